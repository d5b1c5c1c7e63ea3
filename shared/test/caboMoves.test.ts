import assert from "node:assert/strict";
import { caboMoveSchema } from "../src/cabo/moves";
import { CABO_CONFIG_DEFAULTS, caboConfigSchema, powerOf } from "../src/cabo/rules";

describe("cabo wire payloads and constants", () => {
  it("accepts each move and refuses malformed ones", () => {
    const good = [
      { type: "setupDone" },
      { type: "draw" },
      { type: "swap", positions: [0, 2] },
      { type: "discard" },
      { type: "discard", power: { kind: "peek", position: 1 } },
      { type: "discard", power: { kind: "spy", seat: "p2", position: 0 } },
      { type: "discard", power: { kind: "swap", position: 0, seat: "p2", targetPosition: 3 } },
      { type: "takeDiscard", position: 3 },
      { type: "callCabo" },
      { type: "closeWindow" },
    ];
    for (const move of good) assert.ok(caboMoveSchema.safeParse(move).success, JSON.stringify(move));
    const bad = [
      {},
      { type: "shuffle" },
      { type: "draw", extra: 1 },
      { type: "swap", positions: [] },
      { type: "swap", positions: [1, 1] },
      { type: "swap", positions: [-1] },
      { type: "swap", positions: [1.5] },
      { type: "takeDiscard" },
      { type: "discard", power: { kind: "spy", position: 0 } },
      { type: "discard", power: { kind: "fly" } },
      { type: "discard", power: { kind: "peek", position: 0, seat: "x" } },
    ];
    for (const move of bad) assert.ok(!caboMoveSchema.safeParse(move).success, JSON.stringify(move));
  });

  it("config defaults: peek 10 s, turn 60 s, memory aid off", () => {
    assert.deepEqual(CABO_CONFIG_DEFAULTS, { peekSeconds: 10, turnSeconds: 60, revealSeconds: 5, memoryAid: false });
    assert.ok(!caboConfigSchema.safeParse({ turnSeconds: 0 }).success);
  });

  it("powers: 7/8 peek, 9/10 spy, 11/12 swap, none otherwise", () => {
    assert.deepEqual(
      Array.from({ length: 14 }, (_, v) => powerOf(v)),
      [null, null, null, null, null, null, null, "peek", "peek", "spy", "spy", "swap", "swap", null],
    );
  });
});
