import assert from "node:assert/strict";
import type { CaboMove } from "@tavern/shared/cabo/moves";
import { TavernError } from "@tavern/shared/errors";
import { DECK_COMPOSITION } from "@tavern/shared/cabo/rules";
import {
  addToTotal,
  allCards,
  applyMove,
  countValues,
  leave,
  newMatch,
  nextDeadline,
  nextRound,
  playAgain,
  scoreRound,
  seededRng,
  tick,
  type CaboEvent,
  type CaboState,
  type RoundResult,
} from "../../src/domain/cabo/index";
import { handOf, play, rigged } from "../support/caboFixture";

const drawDiscard = (seat: string): Array<[string, CaboMove]> => [
  [seat, { type: "draw" }],
  [seat, { type: "discard" }],
];
const resultOf = (events: CaboEvent[]): RoundResult | undefined => events.flatMap((e) => (e.type === "roundEnded" ? [e.result] : []))[0];
const ctx = (now = 0, seed = "round") => ({ now, rng: seededRng(seed) });

describe("cabo: the Cabo call and the last turns", () => {
  it("is refused in the first round of turns", () => {
    const s = rigged({
      hands: [
        [1, 2, 3, 4],
        [5, 6, 7, 8],
      ],
    });
    assert.throws(() => applyMove(s, "a", { type: "callCabo" }, { now: 1 }), { code: "INVALID_MOVE", details: { reason: "caboTooEarly" } });
    const second = play(s, [...drawDiscard("a"), ...drawDiscard("b")]).state;
    assert.equal(second.turn?.seat, "a");
    assert.equal(play(second, [["a", { type: "callCabo" }]]).state.cabo?.caller, "a");
  });

  it("gives every other player exactly one more turn, then the round ends and the caller does not play again", () => {
    const s = rigged({
      hands: [
        [0, 0, 1, 1],
        [5, 6, 7, 8],
        [9, 9, 9, 9],
      ],
      turn: "b",
      turnsTaken: 1,
      drawPile: [3, 3, 3, 3, 3, 3],
    });
    const called = play(s, [["b", { type: "callCabo" }]]);
    assert.deepEqual(called.state.cabo, { caller: "b", lastTurns: ["c", "a"] });
    assert.equal(called.state.turn?.seat, "c");
    assert.throws(() => applyMove(called.state, "c", { type: "callCabo" }, { now: 1 }), {
      code: "INVALID_MOVE",
      details: { reason: "caboAlreadyCalled" },
    });
    const { state, events } = play(called.state, [...drawDiscard("c"), ...drawDiscard("a")]);
    assert.equal(state.phase, "roundEnd");
    const result = resultOf(events);
    assert.equal(result?.reason, "cabo");
    assert.equal(result?.caller, "b");
    assert.equal(result?.callerWon, false);
    assert.deepEqual(
      result?.scores.map((x) => [x.seat, x.sum, x.score]),
      [
        ["a", 2, 2],
        ["b", 26, 36],
        ["c", 36, 36],
      ],
    );
  });

  it("a caller with the strictly lowest sum scores 0; a tie is not strictly lowest", () => {
    const lowest = rigged({
      hands: [
        [1, 1, 1, 1],
        [2, 2, 2, 2],
      ],
      turnsTaken: 1,
    });
    const won = resultOf(play(lowest, [["a", { type: "callCabo" }], ...drawDiscard("b")]).events);
    assert.deepEqual(
      won?.scores.map((x) => x.score),
      [0, 8],
    );
    assert.equal(won?.callerWon, true);
    const tie = rigged({
      hands: [
        [2, 2, 2, 2],
        [2, 2, 2, 2],
      ],
      turnsTaken: 1,
    });
    const lost = resultOf(play(tie, [["a", { type: "callCabo" }], ...drawDiscard("b")]).events);
    assert.deepEqual(
      lost?.scores.map((x) => x.score),
      [18, 8],
    );
    assert.equal(lost?.callerWon, false);
  });
});

describe("cabo: round end and scoring", () => {
  it("ends after the turn that took the draw pile's last card; the discard pile is not reshuffled", () => {
    const s = rigged({
      hands: [
        [1, 2, 3, 4],
        [5, 6, 7, 8],
      ],
      drawPile: [0, 13],
      discard: [6, 6, 6],
    });
    const { state, events } = play(s, [...drawDiscard("a"), ["b", { type: "draw" }]]);
    assert.equal(state.drawPile.length, 0);
    assert.equal(state.phase, "turn");
    const end = play(state, [["b", { type: "swap", positions: [0] }]]);
    assert.equal(end.state.phase, "roundEnd");
    assert.equal(resultOf([...events, ...end.events])?.reason, "drawPileEmpty");
    assert.deepEqual(
      resultOf(end.events)?.scores.map((x) => x.sum),
      [10, 0 + 6 + 7 + 8],
    );
  });

  it("the last card's peek window runs out before the round ends", () => {
    const s = rigged({
      hands: [
        [1, 2, 3, 4],
        [5, 6, 7, 8],
      ],
      drawPile: [7],
    });
    const peeking = play(s, [
      ["a", { type: "draw" }],
      ["a", { type: "discard", power: { kind: "peek", position: 0 } }],
    ]).state;
    assert.equal(peeking.phase, "turn");
    assert.equal(tick(peeking, 1 + 5000).state.phase, "roundEnd");
  });

  it("scores hands as they lie, holes and face-up cards included", () => {
    const s = rigged({
      hands: [
        [13, 4],
        [1, 1, 1, 1, 1],
      ],
      faceUp: [["a", 0]],
    });
    s.players[0]?.hand.push(null);
    const result = scoreRound({ ...s, cabo: null }, "drawPileEmpty");
    assert.deepEqual(
      result.scores.map((x) => x.score),
      [17, 5],
    );
    assert.equal(result.caller, null);
    assert.equal(result.callerWon, null);
  });

  it("a total of exactly 100 drops to 50; 101 stays", () => {
    assert.equal(addToTotal(90, 10), 50);
    assert.equal(addToTotal(100, 0), 50);
    assert.equal(addToTotal(91, 10), 101);
    assert.equal(addToTotal(0, 0), 0);
    const s = rigged({
      hands: [
        [1, 2, 3, 4],
        [5, 5],
      ],
      drawPile: [0],
    });
    s.players[0]!.total = 90;
    s.players[1]!.total = 30;
    const { state } = play(s, drawDiscard("a"));
    assert.deepEqual(
      state.players.map((p) => p.total),
      [50, 40],
    );
    assert.equal(state.phase, "roundEnd");
  });

  it("the match ends once a total passes 100; the lowest total wins, ties share", () => {
    const s = rigged({
      hands: [
        [13, 13, 12],
        [1, 2],
        [0, 3],
      ],
      drawPile: [0],
    });
    s.players[0]!.total = 70;
    s.players[1]!.total = 10;
    s.players[2]!.total = 10;
    const { state, events } = play(s, drawDiscard("a"));
    assert.equal(state.phase, "matchEnd");
    assert.deepEqual(state.winners, ["b", "c"]);
    assert.deepEqual(events.at(-1), { type: "matchEnded", winners: ["b", "c"] });
    assert.throws(() => nextRound(state, ctx()), { code: "INVALID_PHASE" });
  });
});

describe("cabo: a match's rounds and play again", () => {
  const conserved = (s: CaboState) => assert.deepEqual(countValues(allCards(s)), { ...DECK_COMPOSITION });

  it("deals 4 face down to each, one discard, the rest as draw pile; the setup peek first", () => {
    const { state, events } = newMatch(["a", "b", "c", "d"], {}, ctx(1000));
    conserved(state);
    assert.equal(state.phase, "setup");
    assert.equal(state.setupUntil, 11000);
    assert.equal(state.discard.length, 1);
    assert.equal(state.drawPile.length, 52 - 16 - 1);
    for (const p of state.players) assert.ok(p.hand.length === 4 && p.hand.every((c) => c && !c.faceUp));
    assert.deepEqual(events, [{ type: "roundStarted", match: 1, round: 1, firstSeat: "a", setupUntil: 11000 }]);
    assert.deepEqual(newMatch(["a", "b", "c", "d"], {}, ctx(1000)).state, state, "one seed, one deal");
  });

  it("refuses a match of 1 or 7 players, repeated seats, a bad config", () => {
    for (const seats of [["a"], ["a", "b", "c", "d", "e", "f", "g"], ["a", "a"], ["a", ""]]) {
      assert.throws(() => newMatch(seats, {}, ctx()), { code: "VALIDATION_ERROR" });
    }
    assert.throws(() => newMatch(["a", "b"], { turnSeconds: -1 }, ctx()), { code: "VALIDATION_ERROR" });
  });

  it("without a setup peek the first turn starts at once", () => {
    const { state, events } = newMatch(["a", "b"], { peekSeconds: 0 }, ctx(5));
    assert.equal(state.phase, "turn");
    assert.equal(state.turn?.seat, "a");
    assert.equal(state.turn?.deadline, 5 + 60000);
    assert.deepEqual(
      events.map((e) => e.type),
      ["roundStarted", "setupEnded", "turnStarted"],
    );
  });

  it("the next round keeps the totals, deals again and rotates who starts", () => {
    let s = newMatch(["a", "b", "c"], { peekSeconds: 0 }, ctx()).state;
    assert.throws(() => nextRound(s, ctx()), { code: "INVALID_PHASE" });
    s = { ...s, drawPile: s.drawPile.slice(0, 1) };
    s = play(s, drawDiscard("a")).state;
    assert.equal(s.phase, "roundEnd");
    const totals = s.players.map((p) => p.total);
    const next = nextRound(s, ctx(10, "second"));
    assert.equal(next.state.round, 2);
    assert.equal(next.state.turn?.seat, "b");
    assert.deepEqual(
      next.state.players.map((p) => p.total),
      totals,
    );
    conserved(next.state);
    assert.equal(next.state.history.length, 1);
  });

  it("play again starts match 2 from zero, only once the match is over, without those who left", () => {
    const s = rigged({ hands: [[13, 13, 13, 13], [1], [2]], drawPile: [0] });
    s.players[0]!.total = 90;
    const over = play(leave(s, "c", 1).state, drawDiscard("a")).state;
    assert.equal(over.phase, "matchEnd");
    assert.throws(() => playAgain(s, ctx()), { code: "INVALID_PHASE" });
    const again = playAgain(over, ctx(50));
    assert.equal(again.state.match, 2);
    assert.equal(again.state.round, 1);
    assert.deepEqual(
      again.state.players.map((p) => [p.seat, p.total]),
      [
        ["a", 0],
        ["b", 0],
      ],
    );
    assert.deepEqual(again.state.history, []);
    conserved(again.state);
    const renamed = playAgain(over, ctx(50), { seats: ["b", "x", "y"], config: { turnSeconds: 30 } });
    assert.deepEqual(
      renamed.state.players.map((p) => p.seat),
      ["b", "x", "y"],
    );
    assert.equal(renamed.state.config.turnSeconds, 30);
  });
});

describe("cabo timers", () => {
  it("the setup peek ends at its time or when every player is done", () => {
    const s = newMatch(["a", "b"], {}, ctx(0)).state;
    assert.equal(nextDeadline(s), 10000);
    assert.equal(tick(s, 9999).state, s, "nothing due: the same state");
    const ended = tick(s, 10000);
    assert.equal(ended.state.phase, "turn");
    assert.equal(ended.state.turn?.deadline, 70000);
    const early = play(s, [
      ["a", { type: "setupDone" }],
      ["b", { type: "setupDone" }],
    ]);
    assert.equal(early.state.phase, "turn");
    assert.throws(() => applyMove(play(s, [["a", { type: "setupDone" }]]).state, "a", { type: "setupDone" }, { now: 2 }), {
      code: "INVALID_MOVE",
      details: { reason: "alreadyDone" },
    });
  });

  it("a turn that runs out draws and discards for the player, without a power, and leaves the hand as it was", () => {
    const s = rigged({
      hands: [
        [1, 2, 3, 4],
        [5, 6, 7, 8],
      ],
      drawPile: [0, 9, 9],
    });
    assert.equal(nextDeadline(s), 60000);
    const { state, events } = tick(s, 60000);
    assert.deepEqual(handOf(state, "a"), [1, 2, 3, 4]);
    assert.deepEqual(state.discard, [6, 9]);
    assert.deepEqual(
      events.map((e) => e.type),
      ["timedOut", "drew", "discarded", "turnStarted"],
    );
    assert.equal(state.turn?.seat, "b");
    assert.equal(state.turn?.deadline, 120000);
    const held = tick(play(state, [["b", { type: "draw" }]], 60500).state, 120000).state;
    assert.deepEqual(held.discard, [6, 9, 9]);
    assert.equal(held.turn?.seat, "a");
  });

  it("a peek or spy window closes at its time and ends the turn", () => {
    const s = rigged({
      hands: [
        [1, 2, 3, 4],
        [5, 6, 7, 8],
      ],
      drawPile: [0, 10],
      config: { revealSeconds: 3 },
    });
    const open = play(
      s,
      [
        ["a", { type: "draw" }],
        ["a", { type: "discard", power: { kind: "spy", seat: "b", position: 0 } }],
      ],
      59000,
    ).state;
    assert.equal(nextDeadline(open), 62000, "the window, not the turn's deadline");
    assert.equal(tick(open, 61999).state.turn?.step, "window");
    const closed = tick(open, 62000);
    assert.equal(closed.state.turn?.seat, "b");
    assert.deepEqual(
      closed.events.map((e) => e.type),
      ["windowClosed", "turnStarted"],
    );
  });

  it("nothing times out between rounds", () => {
    const s = { ...rigged({ hands: [[1], [2]] }), phase: "roundEnd" as const, turn: null };
    assert.equal(nextDeadline(s), null);
    assert.equal(tick(s, 1e12).state, s);
  });
});

describe("cabo: a player who left for good", () => {
  it("is skipped; their cards stay and are scored as they lie", () => {
    const s = rigged({
      hands: [
        [1, 2, 3, 4],
        [13, 13, 13, 13],
        [5, 6, 7, 8],
      ],
      drawPile: [0, 1, 2, 3],
    });
    const gone = leave(s, "b", 1);
    assert.deepEqual(gone.events, [{ type: "left", seat: "b" }]);
    const { state, events } = play(gone.state, [...drawDiscard("a"), ...drawDiscard("c"), ...drawDiscard("a"), ...drawDiscard("c")]);
    assert.ok(!events.some((e) => e.type === "turnStarted" && e.seat === "b"));
    assert.deepEqual(
      resultOf(events)?.scores.map((x) => [x.seat, x.score]),
      [
        ["a", 10],
        ["b", 52],
        ["c", 26],
      ],
    );
    assert.equal(state.phase, "roundEnd");
    const next = nextRound(state, ctx()).state;
    assert.equal(next.players[1]?.inRound, false);
    assert.equal(next.players[1]?.hand.length, 0);
    assert.equal(allCards(next).length, 52);
  });

  it("leaving during one's own turn ends it: a held card goes to the discard pile, the turn passes", () => {
    const s = rigged({
      hands: [
        [1, 2, 3, 4],
        [5, 6, 7, 8],
        [9, 9, 9, 9],
      ],
      drawPile: [0, 12],
    });
    const held = play(s, [["a", { type: "draw" }]]).state;
    const { state } = leave(held, "a", 2);
    assert.equal(state.turn?.seat, "b");
    assert.deepEqual(state.discard, [6, 12]);
    assert.throws(() => applyMove(state, "a", { type: "draw" }, { now: 3 }), TavernError);
  });

  it("is no longer owed a last turn after a Cabo call; during the setup peek counts as done", () => {
    const s = rigged({
      hands: [
        [1, 2, 3, 4],
        [5, 6, 7, 8],
        [9, 9, 9, 9],
      ],
      turnsTaken: 1,
    });
    const called = play(s, [["a", { type: "callCabo" }]]).state;
    const { state } = leave(called, "c", 2);
    assert.deepEqual(state.cabo?.lastTurns, ["b"]);
    assert.equal(play(state, drawDiscard("b")).state.phase, "roundEnd");
    const setup = rigged({
      hands: [
        [1, 2, 3, 4],
        [5, 6, 7, 8],
        [9, 9, 9, 9],
      ],
      turn: null,
    });
    const done = play(setup, [
      ["a", { type: "setupDone" }],
      ["b", { type: "setupDone" }],
    ]).state;
    assert.equal(leave(done, "c", 2).state.phase, "turn");
  });

  it("when one player is left the round is scored at once and the match ends", () => {
    const s = rigged({
      hands: [
        [1, 2, 3, 4],
        [5, 6, 7, 8],
      ],
    });
    const { state, events } = leave(s, "a", 1);
    assert.equal(resultOf(events)?.reason, "abandoned");
    assert.equal(state.phase, "matchEnd");
    assert.deepEqual(state.winners, ["b"]);
    assert.equal(leave(state, "a", 2).state, state, "leaving twice changes nothing");
    assert.throws(() => leave(state, "zz", 2), { code: "NOT_FOUND" });
  });
});
