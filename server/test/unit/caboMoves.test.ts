import assert from "node:assert/strict";
import type { CaboMove } from "@tavern/shared/cabo/moves";
import { TavernError, type ErrorCode } from "@tavern/shared/errors";
import { applyMove, entitlementsOf, type CaboState } from "../../src/domain/cabo/index";
import { deepFreeze, handOf, play, rigged } from "../support/caboFixture";

/** The move is refused with `code` (and `reason`), and the given state did not change. */
function refuses(state: CaboState, seat: string, move: CaboMove, code: ErrorCode, reason?: string): void {
  const before = structuredClone(state);
  deepFreeze(state);
  let caught: unknown;
  try {
    applyMove(state, seat, move, { now: 1 });
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof TavernError, `expected ${code}, the move was accepted or threw ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  if (reason !== undefined) assert.equal(caught.details?.reason, reason, caught.message);
  assert.deepEqual(state, before);
}

const three = () =>
  rigged({
    hands: [
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [9, 10, 11, 12],
    ],
    drawPile: [0, 13],
    discard: [6],
  });

describe("cabo moves: who, when and what", () => {
  it("refuses a move out of turn, from a spectator and in the wrong phase", () => {
    const s = three();
    refuses(s, "b", { type: "draw" }, "NOT_YOUR_TURN");
    refuses(s, "nobody", { type: "draw" }, "PERMISSION_DENIED");
    refuses(s, "a", { type: "setupDone" }, "INVALID_PHASE");
    const setup = rigged({
      hands: [
        [1, 2, 3, 4],
        [5, 6, 7, 8],
      ],
      turn: null,
    });
    refuses(setup, "a", { type: "draw" }, "INVALID_PHASE");
    refuses(setup, "a", { type: "callCabo" }, "INVALID_PHASE");
    const over = { ...three(), phase: "roundEnd" as const, turn: null };
    refuses(over, "a", { type: "draw" }, "INVALID_PHASE");
    refuses({ ...over, phase: "matchEnd" }, "a", { type: "setupDone" }, "INVALID_PHASE");
  });

  it("each step of a turn takes only its own moves", () => {
    const s = three();
    refuses(s, "a", { type: "swap", positions: [0] }, "INVALID_MOVE", "noDrawnCard");
    refuses(s, "a", { type: "discard" }, "INVALID_MOVE", "noDrawnCard");
    refuses(s, "a", { type: "closeWindow" }, "INVALID_MOVE", "noWindow");
    const drawn = play(s, [["a", { type: "draw" }]]).state;
    refuses(drawn, "a", { type: "draw" }, "INVALID_MOVE", "alreadyDrew");
    refuses(drawn, "a", { type: "takeDiscard", position: 0 }, "INVALID_MOVE", "alreadyDrew");
    refuses(drawn, "a", { type: "callCabo" }, "INVALID_MOVE", "alreadyDrew");
    refuses(drawn, "b", { type: "discard" }, "NOT_YOUR_TURN");
  });

  it("a double submit meets the next turn", () => {
    const once = play(three(), [
      ["a", { type: "draw" }],
      ["a", { type: "swap", positions: [0] }],
    ]).state;
    refuses(once, "a", { type: "swap", positions: [0] }, "NOT_YOUR_TURN");
    refuses(once, "a", { type: "draw" }, "NOT_YOUR_TURN");
  });

  it("refuses wrong positions: out of the hand, a hole, the same one twice", () => {
    const drawn = play(three(), [["a", { type: "draw" }]]).state;
    refuses(drawn, "a", { type: "swap", positions: [4] }, "INVALID_MOVE", "noSuchPosition");
    refuses(drawn, "a", { type: "swap", positions: [0, 0] }, "INVALID_MOVE", "duplicatePosition");
    refuses(three(), "a", { type: "takeDiscard", position: 7 }, "INVALID_MOVE", "noSuchPosition");
    const holed = rigged({
      hands: [
        [3, 3, 1, 2],
        [5, 6, 7, 8],
      ],
      drawPile: [0, 9, 4],
    });
    const after = play(holed, [
      ["a", { type: "draw" }],
      ["a", { type: "swap", positions: [0, 1] }],
      ["b", { type: "draw" }],
      ["b", { type: "discard" }],
      ["a", { type: "draw" }],
    ]).state;
    assert.deepEqual(handOf(after, "a"), [4, null, 1, 2]);
    assert.equal(after.turn?.drawn, 0);
    refuses(after, "a", { type: "swap", positions: [1] }, "INVALID_MOVE", "noSuchPosition");
  });
});

describe("cabo moves: draw, swap, discard, take the discard", () => {
  it("draw takes the top of the pile; only the drawer is told its value", () => {
    const { state, events } = play(three(), [["a", { type: "draw" }]]);
    assert.equal(state.turn?.drawn, 13);
    assert.deepEqual(state.drawPile, [0]);
    assert.deepEqual(events, [{ type: "drew", seat: "a" }]);
    assert.ok(entitlementsOf(state, "a").some((e) => e.ref.zone === "drawn" && e.value === 13));
    assert.ok(!entitlementsOf(state, "b").some((e) => e.ref.zone === "drawn"));
    assert.ok(!entitlementsOf(state, null).some((e) => e.ref.zone === "drawn"));
  });

  it("a single swap puts the drawn card face down and the replaced card face up on the discard pile", () => {
    const { state, events } = play(three(), [
      ["a", { type: "draw" }],
      ["a", { type: "swap", positions: [2] }],
    ]);
    assert.deepEqual(handOf(state, "a"), [1, 2, 13, 4]);
    assert.equal(state.players[0]?.hand[2]?.faceUp, false);
    assert.deepEqual(state.discard, [6, 3]);
    assert.equal(state.turn?.seat, "b");
    assert.deepEqual(events[1], { type: "swapped", seat: "a", positions: [2], discarded: [3] });
  });

  it("a multi-swap of one value replaces them all with the drawn card, leaving holes", () => {
    const s = rigged({
      hands: [
        [4, 9, 4, 4],
        [5, 6, 7, 8],
      ],
      drawPile: [2, 1],
    });
    const { state, events } = play(s, [
      ["a", { type: "draw" }],
      ["a", { type: "swap", positions: [3, 0, 2] }],
    ]);
    assert.deepEqual(handOf(state, "a"), [1, 9, null, null]);
    assert.deepEqual(state.discard, [6, 4, 4, 4]);
    assert.deepEqual(events[1], { type: "swapped", seat: "a", positions: [0, 2, 3], discarded: [4, 4, 4] });
  });

  it("a mismatched multi-swap keeps every card, adds the drawn one as a new position, leaves the discard", () => {
    const s = rigged({
      hands: [
        [4, 9, 4, 4],
        [5, 6, 7, 8],
      ],
      drawPile: [2, 1],
    });
    const { state, events } = play(s, [
      ["a", { type: "draw" }],
      ["a", { type: "swap", positions: [0, 1] }],
    ]);
    assert.deepEqual(handOf(state, "a"), [4, 9, 4, 4, 1]);
    assert.equal(state.players[0]?.hand[4]?.faceUp, false);
    assert.deepEqual(state.discard, [6]);
    assert.deepEqual(events[1], { type: "mismatched", seat: "a", positions: [0, 1], newPosition: 4 });
    assert.equal(state.turn?.seat, "b");
  });

  it("discard puts the drawn card face up and ends the turn", () => {
    const { state, events } = play(three(), [
      ["a", { type: "draw" }],
      ["a", { type: "discard" }],
    ]);
    assert.deepEqual(state.discard, [6, 13]);
    assert.equal(state.turn?.drawn, null);
    assert.deepEqual(events.slice(1, 2), [{ type: "discarded", seat: "a", value: 13 }]);
    assert.equal(state.turn?.seat, "b");
  });

  it("take the discard: it lies face up (everyone saw it) and the replaced card goes on the pile", () => {
    const { state, events } = play(three(), [["a", { type: "takeDiscard", position: 1 }]]);
    assert.deepEqual(handOf(state, "a"), [1, 6, 3, 4]);
    assert.equal(state.players[0]?.hand[1]?.faceUp, true);
    assert.deepEqual(state.discard, [2]);
    assert.deepEqual(state.drawPile, [0, 13]);
    assert.deepEqual(events[0], { type: "tookDiscard", seat: "a", position: 1, value: 6, discarded: 2 });
    for (const viewer of ["a", "b", "c", null]) {
      assert.ok(entitlementsOf(state, viewer).some((e) => e.ref.zone === "hand" && e.ref.seat === "a" && e.ref.position === 1));
    }
  });
});

describe("cabo powers", () => {
  const withDrawn = (value: number) =>
    play(
      rigged({
        hands: [
          [1, 2, 3, 4],
          [5, 6, 7, 8],
          [9, 10, 11, 12],
        ],
        drawPile: [0, value],
      }),
      [["a", { type: "draw" }]],
    ).state;

  it("refuses a power the card does not give", () => {
    refuses(withDrawn(5), "a", { type: "discard", power: { kind: "peek", position: 0 } }, "INVALID_MOVE", "notAPowerCard");
    refuses(withDrawn(13), "a", { type: "discard", power: { kind: "peek", position: 0 } }, "INVALID_MOVE", "notAPowerCard");
    refuses(withDrawn(7), "a", { type: "discard", power: { kind: "spy", seat: "b", position: 0 } }, "INVALID_MOVE", "wrongPower");
    refuses(withDrawn(10), "a", { type: "discard", power: { kind: "peek", position: 0 } }, "INVALID_MOVE", "wrongPower");
    refuses(withDrawn(12), "a", { type: "discard", power: { kind: "spy", seat: "b", position: 0 } }, "INVALID_MOVE", "wrongPower");
  });

  it("refuses an unknown target", () => {
    refuses(withDrawn(8), "a", { type: "discard", power: { kind: "peek", position: 4 } }, "INVALID_MOVE", "noSuchPosition");
    refuses(withDrawn(9), "a", { type: "discard", power: { kind: "spy", seat: "zz", position: 0 } }, "INVALID_MOVE", "noSuchSeat");
    refuses(withDrawn(9), "a", { type: "discard", power: { kind: "spy", seat: "a", position: 0 } }, "INVALID_MOVE", "targetIsYou");
    refuses(withDrawn(9), "a", { type: "discard", power: { kind: "spy", seat: "b", position: 9 } }, "INVALID_MOVE", "noSuchPosition");
    const swap = (position: number, seat: string, targetPosition: number): CaboMove => ({
      type: "discard",
      power: { kind: "swap", position, seat, targetPosition },
    });
    refuses(withDrawn(11), "a", swap(0, "a", 1), "INVALID_MOVE", "targetIsYou");
    refuses(withDrawn(11), "a", swap(0, "zz", 1), "INVALID_MOVE", "noSuchSeat");
    refuses(withDrawn(11), "a", swap(5, "b", 1), "INVALID_MOVE", "noSuchPosition");
    refuses(withDrawn(11), "a", swap(0, "b", 5), "INVALID_MOVE", "noSuchPosition");
  });

  for (const value of [7, 8]) {
    it(`a ${value} peeks at one of your own cards during a window, then the turn ends`, () => {
      const { state, events } = play(withDrawn(value), [["a", { type: "discard", power: { kind: "peek", position: 3 } }]], 1000);
      assert.equal(state.turn?.seat, "a");
      assert.equal(state.turn?.step, "window");
      assert.deepEqual(state.discard, [6, value]);
      assert.deepEqual(events.at(-1), { type: "peeked", seat: "a", position: 3, until: 6000 });
      const mine = entitlementsOf(state, "a").find((e) => e.reason === "peek");
      assert.deepEqual(mine, { ref: { zone: "hand", seat: "a", position: 3 }, value: 4, reason: "peek" });
      assert.ok(!entitlementsOf(state, "b").some((e) => e.reason === "peek"));
      refuses(state, "a", { type: "draw" }, "INVALID_MOVE", "windowOpen");
      refuses(state, "a", { type: "swap", positions: [0] }, "INVALID_MOVE", "windowOpen");
      const closed = play(state, [["a", { type: "closeWindow" }]]).state;
      assert.equal(closed.turn?.seat, "b");
      assert.ok(!entitlementsOf(closed, "a").some((e) => e.ref.zone === "hand" && e.ref.seat === "a"));
    });
  }

  for (const value of [9, 10]) {
    it(`a ${value} spies on another player's card, for the spy alone`, () => {
      const { state } = play(withDrawn(value), [["a", { type: "discard", power: { kind: "spy", seat: "c", position: 1 } }]]);
      assert.equal(state.turn?.step, "window");
      assert.deepEqual(
        entitlementsOf(state, "a").filter((e) => e.reason === "spy"),
        [{ ref: { zone: "hand", seat: "c", position: 1 }, value: 10, reason: "spy" }],
      );
      for (const viewer of ["b", "c", null]) assert.ok(!entitlementsOf(state, viewer).some((e) => e.reason === "spy"));
      assert.equal(play(state, [["a", { type: "closeWindow" }]]).state.turn?.seat, "b");
    });
  }

  for (const value of [11, 12]) {
    it(`a ${value} swaps two cards unseen and ends the turn`, () => {
      const s = rigged({
        hands: [
          [1, 2, 3, 4],
          [5, 6, 7, 8],
        ],
        drawPile: [0, value],
        faceUp: [["b", 2]],
      });
      const { state, events } = play(s, [
        ["a", { type: "draw" }],
        ["a", { type: "discard", power: { kind: "swap", position: 0, seat: "b", targetPosition: 2 } }],
      ]);
      assert.deepEqual(handOf(state, "a"), [7, 2, 3, 4]);
      assert.deepEqual(handOf(state, "b"), [5, 6, 1, 8]);
      // The face-up card stays face up where it went; the hidden one stays hidden.
      assert.equal(state.players[0]?.hand[0]?.faceUp, true);
      assert.equal(state.players[1]?.hand[2]?.faceUp, false);
      assert.deepEqual(events.at(-2), { type: "blindSwapped", seat: "a", position: 0, target: { seat: "b", position: 2 } });
      assert.equal(state.turn?.seat, "b");
      assert.ok(!entitlementsOf(state, "a").some((e) => e.ref.zone === "hand" && !e.reason.match(/faceUp/)));
    });
  }

  it("a power card may be discarded without its power", () => {
    const { state } = play(withDrawn(9), [["a", { type: "discard" }]]);
    assert.equal(state.turn?.seat, "b");
  });
});
