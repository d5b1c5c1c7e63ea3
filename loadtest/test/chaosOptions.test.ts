import assert from "node:assert/strict";
import { CHAOS_USAGE, parseChaosOptions } from "../chaos/options";
import { parseCommandLine } from "../options";

describe("loadtest chaos options", () => {
  it("takes every default with no options, the seed from the generator", () => {
    assert.deepEqual(
      parseChaosOptions([], () => 0.5),
      {
        kind: "chaos",
        options: {
          clients: 200,
          rooms: 4,
          seconds: 30,
          jitterMinMs: 100,
          jitterMaxMs: 400,
          resetRate: 0.02,
          seed: 2 ** 31,
          endpoint: undefined,
          timeoutSeconds: 180,
          out: "loadtest/reports",
          tolerate: [],
        },
      },
    );
  });

  it("reads every option", () => {
    const parsed = parseChaosOptions([
      "--clients=40",
      "--rooms",
      "3",
      "--seconds",
      "10",
      "--jitter",
      "0-50",
      "--reset-rate",
      "0.5",
      "--seed",
      "42",
      "--endpoint",
      "http://127.0.0.1:2567/",
      "--timeout",
      "60",
      "--out",
      "/tmp/r",
      "--tolerate",
      "seat-not-returned, ghost",
    ]);
    assert.deepEqual(parsed, {
      kind: "chaos",
      options: {
        clients: 40,
        rooms: 3,
        seconds: 10,
        jitterMinMs: 0,
        jitterMaxMs: 50,
        resetRate: 0.5,
        seed: 42,
        endpoint: "http://127.0.0.1:2567",
        timeoutSeconds: 60,
        out: "/tmp/r",
        tolerate: ["seat-not-returned", "ghost"],
      },
    });
  });

  it("is reached through the command line", () => {
    const parsed = parseCommandLine(["chaos", "--seed", "1"]);
    assert.equal(parsed.kind, "chaos");
  });

  it("shows the usage on --help", () => {
    assert.deepEqual(parseChaosOptions(["--help"]), { kind: "help", text: CHAOS_USAGE });
  });

  for (const [args, complaint] of [
    [["--clients", "1"], "--clients must be"],
    [["--clients", "10", "--rooms", "11"], "must not exceed --clients"],
    [["--jitter", "400-100"], "--jitter must be"],
    [["--jitter", "100"], "--jitter must be"],
    [["--jitter", "0-9000"], "--jitter must be"],
    [["--reset-rate", "1.5"], "--reset-rate must be"],
    [["--reset-rate=-0.1"], "--reset-rate must be"],
    [["--reset-rate", "abc"], "--reset-rate must be"],
    [["--seed", "4294967296"], "--seed must be"],
    [["--endpoint", "https://tavern.example"], "--endpoint must be one http://"],
    [["--endpoint", "http://a:1,http://b:2"], "--endpoint must be one http://"],
    [["--timeout", "5"], "--timeout must be"],
    [["--out", " "], "--out must not be empty"],
    [["--bogus", "1"], "Unknown option"],
  ] as const) {
    it(`refuses ${args.join(" ")}`, () => {
      const parsed = parseChaosOptions(args);
      assert.equal(parsed.kind, "error");
      assert.ok(parsed.kind === "error" && parsed.message.includes(complaint), parsed.kind === "error" ? parsed.message : "");
    });
  }
});
