import assert from "node:assert/strict";
import { parseCommandLine } from "../options";

describe("loadtest command line", () => {
  it("storm without options takes every default", () => {
    assert.deepEqual(parseCommandLine(["storm"]), {
      kind: "storm",
      options: {
        clients: 60,
        targets: ["tavern", "colyseus", "snapshot", "events"],
        endpoint: undefined,
        timeoutSeconds: 30,
        out: "loadtest/reports",
      },
    });
  });
  it("reads every option", () => {
    const parsed = parseCommandLine([
      "storm",
      "--clients",
      "500",
      "--targets",
      "events, tavern,events",
      "--endpoint",
      "http://localhost:2567/,http://localhost:2568",
      "--timeout=90",
      "--out",
      "/tmp/r",
    ]);
    assert.deepEqual(parsed, {
      kind: "storm",
      options: {
        clients: 500,
        targets: ["events", "tavern"],
        endpoint: ["http://localhost:2567", "http://localhost:2568"],
        timeoutSeconds: 90,
        out: "/tmp/r",
      },
    });
  });
  it("says in the help what is compared and what decides the exit status", () => {
    const help = parseCommandLine(["storm", "--help"]);
    const text = help.kind === "help" ? help.text : "";
    assert.match(text, /--targets LIST/);
    assert.match(text, /snapshot {2}a plain Socket\.IO server/);
    assert.match(text, /0 when Tavern's storm passed/);
    assert.match(text, /do not change the exit status/);
  });
  it("answers --help at the top and for storm", () => {
    assert.equal(parseCommandLine(["--help"]).kind, "help");
    assert.equal(parseCommandLine(["storm", "-h"]).kind, "help");
  });
  for (const [args, pattern] of [
    [[], /missing command/],
    [["swarm"], /unknown command "swarm"/],
    [["storm", "--clients", "1"], /--clients must be a whole number from 2 to 500/],
    [["storm", "--clients", "501"], /--clients/],
    [["storm", "--clients", "12.5"], /--clients/],
    [["storm", "--timeout", "0"], /--timeout/],
    [["storm", "--endpoint", "ws://localhost:2567"], /--endpoint must be http:\/\/ or https:\/\/ URLs/],
    [["storm", "--endpoint", "localhost"], /--endpoint/],
    [["storm", "--endpoint", "http://a:1,nope"], /comma-separated/],
    [["storm", "--out", " "], /--out must not be empty/],
    [["storm", "--targets", "tavern,kafka"], /--targets must list some of tavern,colyseus,snapshot,events, got "tavern,kafka"/],
    [["storm", "--targets", ","], /--targets must list some of/],
    [["storm", "--speed", "9"], /Unknown option '--speed'/],
    [["storm", "--clients"], /argument missing/],
  ] as const) {
    it(`refuses ${JSON.stringify(args)}`, () => {
      const parsed = parseCommandLine(args);
      assert.equal(parsed.kind, "error");
      assert.match(parsed.kind === "error" ? parsed.message : "", pattern);
    });
  }
});
