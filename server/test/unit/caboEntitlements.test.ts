import assert from "node:assert/strict";
import { entitlementsOf, leave, newMatch, publicView, seatView, seededRng, type CaboState, type Viewer } from "../../src/domain/cabo/index";
import { play, rigged } from "../support/caboFixture";

const privateOf = (s: CaboState, viewer: Viewer) =>
  entitlementsOf(s, viewer)
    .filter((e) => e.reason !== "discard")
    .map((e) => [e.reason, e.ref, e.value]);

describe("cabo entitlements and views", () => {
  it("setup peek: each player their own positions 0 and 1, until they end it; spectators the discard only", () => {
    const s = rigged({
      hands: [
        [1, 2, 3, 4],
        [5, 6, 7, 8],
      ],
      turn: null,
    });
    assert.deepEqual(privateOf(s, "a"), [
      ["setupPeek", { zone: "hand", seat: "a", position: 0 }, 1],
      ["setupPeek", { zone: "hand", seat: "a", position: 1 }, 2],
    ]);
    assert.deepEqual(privateOf(s, null), []);
    assert.deepEqual(privateOf(s, "stranger"), []);
    const done = play(s, [["a", { type: "setupDone" }]]).state;
    assert.deepEqual(privateOf(done, "a"), []);
    assert.equal(privateOf(done, "b").length, 2);
    const three = rigged({
      hands: [
        [1, 2, 3, 4],
        [5, 6, 7, 8],
        [9, 9, 9, 9],
      ],
      turn: null,
    });
    assert.deepEqual(privateOf(leave(three, "b", 1).state, "b"), [], "a player who left sees nothing more");
  });

  it("once the peek is over nobody knows a face-down card", () => {
    const s = newMatch(["a", "b", "c"], {}, { now: 0, rng: seededRng("views") }).state;
    const turns = play(s, [
      ["a", { type: "setupDone" }],
      ["b", { type: "setupDone" }],
      ["c", { type: "setupDone" }],
    ]).state;
    for (const viewer of ["a", "b", "c", null]) assert.deepEqual(privateOf(turns, viewer), []);
  });

  it("a hidden card is shown as 'a card lies here' and nothing more", () => {
    const s = rigged({
      hands: [
        [1, 2, 3, 4],
        [5, 6, 7, 8],
      ],
      faceUp: [["b", 3]],
      drawPile: [0, 9],
    });
    const drawn = play(s, [["a", { type: "draw" }]]).state;
    const pub = publicView(drawn);
    assert.deepEqual(pub.players[0]?.hand, [
      { faceUp: false, value: null },
      { faceUp: false, value: null },
      { faceUp: false, value: null },
      { faceUp: false, value: null },
    ]);
    assert.deepEqual(pub.players[1]?.hand[3], { faceUp: true, value: 8 });
    assert.equal(pub.drawn, null);
    assert.equal(pub.turn?.holdsDrawn, true);
    assert.equal(pub.drawPile, 1);
    assert.deepEqual(pub.discard, [6]);
    assert.equal(seatView(drawn, "a").drawn, 9);
    assert.equal(seatView(drawn, "b").drawn, null);
    assert.deepEqual(seatView(drawn, "b"), { ...pub, viewer: "b" }, "b knows nothing a spectator does not");
    assert.doesNotMatch(JSON.stringify(pub), /"id"|"card"/);
  });

  it("a spy window shows the card in the spy's view only, then it is gone", () => {
    const s = rigged({
      hands: [
        [1, 2, 3, 4],
        [5, 6, 7, 8],
      ],
      drawPile: [0, 10],
    });
    const open = play(s, [
      ["a", { type: "draw" }],
      ["a", { type: "discard", power: { kind: "spy", seat: "b", position: 2 } }],
    ]).state;
    assert.deepEqual(seatView(open, "a").players[1]?.hand[2], { faceUp: false, value: 7 });
    assert.deepEqual(seatView(open, "b").players[1]?.hand[2], { faceUp: false, value: null });
    assert.deepEqual(publicView(open).window, { kind: "spy", seat: "a", target: { seat: "b", position: 2 }, until: 5001 });
    const closed = play(open, [["a", { type: "closeWindow" }]]).state;
    assert.deepEqual(seatView(closed, "a").players[1]?.hand[2], { faceUp: false, value: null });
  });

  it("the round-end reveal shows every card to everyone", () => {
    const s = rigged({
      hands: [
        [1, 2],
        [5, 6],
      ],
      drawPile: [0],
    });
    const over = play(s, [
      ["a", { type: "draw" }],
      ["a", { type: "discard" }],
    ]).state;
    assert.equal(over.phase, "roundEnd");
    for (const viewer of [null, "a", "b"]) {
      assert.deepEqual(
        entitlementsOf(over, viewer)
          .filter((e) => e.reason === "reveal")
          .map((e) => e.value),
        [1, 2, 5, 6],
      );
    }
    assert.deepEqual(
      publicView(over).players.map((p) => p.hand.map((c) => c?.value)),
      [
        [1, 2],
        [5, 6],
      ],
    );
  });

  it("the view says whether Cabo may be called", () => {
    const early = rigged({ hands: [[1], [2]] });
    assert.equal(publicView(early).turn?.caboAllowed, false);
    assert.equal(publicView(rigged({ hands: [[1], [2]], turnsTaken: 1 })).turn?.caboAllowed, true);
  });
});
