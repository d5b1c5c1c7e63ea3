import assert from "node:assert/strict";
import { parseSwitchOptions, SWITCH_USAGE } from "../switchOptions";

describe("loadtest switch options", () => {
  it("takes every default with no options", () => {
    assert.deepEqual(parseSwitchOptions([]), {
      kind: "switch",
      options: { clients: 40, rooms: 4, hops: 10, pauseMs: 50, endpoint: undefined, timeoutSeconds: 60, out: "loadtest/reports" },
    });
  });

  it("reads every option, in both --name value and --name=value forms", () => {
    const parsed = parseSwitchOptions([
      "--clients",
      "100",
      "--rooms=50",
      "--hops",
      "20",
      "--pause-ms",
      "0",
      "--endpoint",
      "https://tavern.example:8443/",
      "--timeout=120",
      "--out",
      "/tmp/r",
    ]);
    assert.deepEqual(parsed, {
      kind: "switch",
      options: {
        clients: 100,
        rooms: 50,
        hops: 20,
        pauseMs: 0,
        endpoint: "https://tavern.example:8443",
        timeoutSeconds: 120,
        out: "/tmp/r",
      },
    });
  });

  it("accepts the bounds", () => {
    const low = parseSwitchOptions(["--clients", "1", "--rooms", "2", "--hops", "1", "--timeout", "1"]);
    const high = parseSwitchOptions(["--clients", "499", "--rooms", "50", "--hops", "1000", "--pause-ms", "10000", "--timeout", "3600"]);
    assert.equal(low.kind, "switch");
    assert.equal(high.kind, "switch");
  });

  it("answers --help and -h with the usage, which names ADMIN_PASSWORD for --endpoint", () => {
    assert.deepEqual(parseSwitchOptions(["--help"]), { kind: "help", text: SWITCH_USAGE });
    assert.equal(parseSwitchOptions(["-h", "--clients", "0"]).kind, "help");
    assert.match(SWITCH_USAGE, /ADMIN_PASSWORD/);
    for (const option of ["--clients", "--rooms", "--hops", "--pause-ms", "--endpoint", "--timeout", "--out"]) {
      assert.ok(SWITCH_USAGE.includes(option), `usage mentions ${option}`);
    }
  });

  for (const [args, pattern] of [
    [["--clients", "0"], /--clients must be a whole number from 1 to 499, got "0"/],
    [["--clients", "500"], /--clients must be a whole number from 1 to 499/],
    [["--clients", "4.5"], /--clients/],
    [["--clients", "-3"], /--clients/],
    [["--rooms", "1"], /--rooms must be a whole number from 2 to 50, got "1"/],
    [["--rooms", "51"], /--rooms must be a whole number from 2 to 50/],
    [["--hops", "0"], /--hops must be a whole number from 1 to 1000/],
    [["--hops", "ten"], /--hops/],
    [["--pause-ms", "10001"], /--pause-ms must be a whole number of milliseconds from 0 to 10000/],
    [["--timeout", "0"], /--timeout must be a whole number of seconds from 1 to 3600/],
    [["--endpoint", "ws://127.0.0.1:2567"], /--endpoint must be one http:\/\/ or https:\/\/ URL/],
    [["--endpoint", "localhost:2567"], /--endpoint/],
    [["--endpoint", "http://a:1,http://b:2"], /--endpoint must be one/],
    [["--endpoint", "http://a,b"], /--endpoint must be one/],
    [["--endpoint", "http://u:p@host:1"], /--endpoint/],
    [["--out", "  "], /--out must not be empty/],
    [["--speed", "9"], /Unknown option '--speed'/],
    [["--hops"], /argument missing/],
    [["extra"], /positional/],
  ] as const) {
    it(`refuses ${JSON.stringify(args)}`, () => {
      const parsed = parseSwitchOptions(args);
      assert.equal(parsed.kind, "error");
      assert.match(parsed.kind === "error" ? parsed.message : "", pattern);
    });
  }

  it("lists every problem at once, not only the first", () => {
    const parsed = parseSwitchOptions([
      "--clients",
      "0",
      "--rooms",
      "99",
      "--hops",
      "0",
      "--pause-ms",
      "x",
      "--timeout",
      "0",
      "--out",
      "",
      "--endpoint",
      "ftp://x",
    ]);
    assert.equal(parsed.kind, "error");
    const message = parsed.kind === "error" ? parsed.message : "";
    for (const option of ["--clients", "--rooms", "--hops", "--pause-ms", "--timeout", "--out", "--endpoint"]) {
      assert.ok(message.includes(option), `${option} is named in:\n${message}`);
    }
    assert.match(message, /^bad options:\n/);
  });
});
