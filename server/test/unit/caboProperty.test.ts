/**
 * Random play, checked at every step: legal moves chosen at random (with timeouts, and now and then
 * a player leaving), random attempts that may be illegal (which must leave the state as it was),
 * until the match ends. At every step the deck holds its 52 cards, entitlements match an oracle
 * written apart from them, and the views hold nothing else; the totals are the sum of the rounds.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import type { CaboMove } from "@tavern/shared/cabo/moves";
import { DECK_COMPOSITION, MATCH_LIMIT, SETUP_PEEK_POSITIONS } from "@tavern/shared/cabo/rules";
import { TavernError } from "@tavern/shared/errors";
import {
  addToTotal,
  allCards,
  applyMove,
  countValues,
  entitlementsOf,
  handSum,
  leave,
  newMatch,
  nextDeadline,
  nextRound,
  publicView,
  refKey,
  seatView,
  seededRng,
  tick,
  type CaboEvent,
  type CaboState,
  type CardRef,
  type CaboRng,
  type CaboView,
  type Viewer,
} from "../../src/domain/cabo/index";
import { legalMoves } from "../../src/domain/cabo/legal";
import { deepFreeze, SEATS } from "../support/caboFixture";

const RUNS = Number(process.env.CABO_RUNS ?? 40);
const MAX_STEPS = 20000;
/** Event types (and round-end reasons) the runs met, to show the random play reaches every rule. */
const seen = new Set<string>();

/** Whether `viewer` may know the card at `ref`, written from the rule page, not from entitlements.ts. */
function mayKnow(s: CaboState, viewer: Viewer, ref: CardRef): boolean {
  if (ref.zone === "discard") return true;
  const turn = s.phase === "turn" ? s.turn : null;
  if (ref.zone === "drawn") return turn !== null && turn.drawn !== null && turn.seat === ref.seat && viewer === ref.seat;
  const owner = s.players.find((p) => p.seat === ref.seat);
  const slot = owner?.hand[ref.position];
  if (!owner || !slot) return false;
  if (slot.faceUp || s.phase === "roundEnd" || s.phase === "matchEnd") return true;
  if (viewer === null) return false;
  if (s.phase === "setup") return viewer === ref.seat && !owner.setupDone && !owner.left && SETUP_PEEK_POSITIONS.includes(ref.position);
  const w = turn?.window;
  return !!w && turn?.seat === viewer && w.target.seat === ref.seat && w.target.position === ref.position;
}

function allRefs(s: CaboState): CardRef[] {
  const refs: CardRef[] = s.discard.map((_, index) => ({ zone: "discard", index }));
  for (const p of s.players) {
    p.hand.forEach((slot, position) => slot && refs.push({ zone: "hand", seat: p.seat, position }));
    refs.push({ zone: "drawn", seat: p.seat });
  }
  return refs;
}

function valueAt(s: CaboState, ref: CardRef): number | undefined {
  if (ref.zone === "discard") return s.discard[ref.index];
  if (ref.zone === "drawn") return s.turn?.seat === ref.seat ? (s.turn.drawn ?? undefined) : undefined;
  return s.players.find((p) => p.seat === ref.seat)?.hand[ref.position]?.value;
}

/** Every value a view holds, by where it says it lies. */
function viewValues(v: CaboView): Map<string, number> {
  const out = new Map<string, number>();
  v.discard.forEach((value, index) => out.set(refKey({ zone: "discard", index }), value));
  for (const p of v.players) {
    p.hand.forEach((slot, position) => {
      if (slot && slot.value !== null) out.set(refKey({ zone: "hand", seat: p.seat, position }), slot.value);
      if (slot && slot.value === null) assert.deepEqual(Object.keys(slot).sort(), ["faceUp", "value"]);
    });
  }
  if (v.drawn !== null && v.viewer !== null) out.set(refKey({ zone: "drawn", seat: v.viewer }), v.drawn);
  return out;
}

function checkInvariants(s: CaboState): void {
  assert.deepEqual(countValues(allCards(s)), { ...DECK_COMPOSITION }, "the deck holds its 52 cards");
  const viewers: Viewer[] = [null, ...s.players.map((p) => p.seat), "stranger"];
  const publicKeys = new Set(entitlementsOf(s, null).map((e) => refKey(e.ref)));
  for (const viewer of viewers) {
    const granted = entitlementsOf(s, viewer);
    const keys = new Set(granted.map((e) => refKey(e.ref)));
    const expected = new Set(
      allRefs(s)
        .filter((ref) => mayKnow(s, viewer, ref))
        .map(refKey),
    );
    assert.deepEqual(
      [...keys].sort(),
      [...expected].sort(),
      `entitlements of ${viewer ?? "a spectator"} in ${s.phase}: ${JSON.stringify(granted)} ${JSON.stringify(s.players.map((p) => [p.seat, p.left, p.setupDone, p.inRound]))}`,
    );
    for (const e of granted) assert.equal(e.value, valueAt(s, e.ref), `value at ${refKey(e.ref)}`);
    for (const key of publicKeys) assert.ok(keys.has(key), "a player knows at least what spectators know");
    const view = viewer === null ? publicView(s) : seatView(s, viewer);
    const values = viewValues(view);
    const byKey = new Map(granted.map((e) => [refKey(e.ref), e.value]));
    assert.deepEqual([...values.keys()].sort(), [...byKey.keys()].sort(), "a view holds exactly the entitled values");
    for (const [key, value] of values) assert.equal(value, byKey.get(key));
  }
}

/** Every value an event names lies face up for everyone once it happened. */
function checkEventsPublic(after: CaboState, events: CaboEvent[]): void {
  const discardValues = new Set(after.discard);
  for (const e of events) {
    if (e.type === "discarded") assert.ok(discardValues.has(e.value));
    if (e.type === "swapped") for (const v of e.discarded) assert.ok(discardValues.has(v));
    const text = JSON.stringify(e);
    if (["drew", "peeked", "spied", "blindSwapped", "mismatched", "timedOut"].includes(e.type)) {
      assert.ok(!/"value"|"drawn"/.test(text), `${e.type} names no value`);
    }
  }
}

function randomMove(rng: CaboRng, seats: string[]): CaboMove {
  const pos = () => rng(7);
  const seat = () => [...seats, "zz"][rng(seats.length + 1)] as string;
  switch (rng(9)) {
    case 0:
      return { type: "setupDone" };
    case 1:
      return { type: "draw" };
    case 2:
      return { type: "swap", positions: rng(2) ? [pos()] : [pos(), pos()] };
    case 3:
      return { type: "discard" };
    case 4:
      return { type: "discard", power: { kind: "peek", position: pos() } };
    case 5:
      return { type: "discard", power: { kind: "spy", seat: seat(), position: pos() } };
    case 6:
      return { type: "discard", power: { kind: "swap", position: pos(), seat: seat(), targetPosition: pos() } };
    case 7:
      return { type: "takeDiscard", position: pos() };
    default:
      return rng(2) ? { type: "callCabo" } : { type: "closeWindow" };
  }
}

/**
 * Picks a legal move: drawing more often than taking the discard, and calling Cabo seldom, so that
 * some rounds run the draw pile out.
 */
function pickLegal(rng: CaboRng, moves: CaboMove[], caboOdds: number): CaboMove {
  const draw = moves.find((m) => m.type === "draw");
  const cabo = moves.find((m) => m.type === "callCabo");
  if (cabo && rng(caboOdds) === 0) return cabo;
  if (draw && rng(3) > 0) return draw;
  const others = moves.filter((m) => m.type !== "callCabo");
  return others[rng(others.length)] as CaboMove;
}

interface Outcome {
  steps: number;
  rounds: number;
  refusals: number;
}

function playMatch(seed: string, players: number, peekSeconds: number, caboOdds: number): Outcome {
  const rng = seededRng(`choices:${seed}`);
  const seats = SEATS.slice(0, players) as unknown as string[];
  let now = 0;
  let s = newMatch(seats, { peekSeconds, revealSeconds: 2, turnSeconds: 30 }, { now, rng: seededRng(`deal:${seed}`) }).state;
  let refusals = 0;
  const apply = (next: { state: CaboState; events: CaboEvent[] }) => {
    for (const e of next.events) seen.add(e.type === "roundEnded" ? `roundEnded:${e.result.reason}` : e.type);
    checkEventsPublic(next.state, next.events);
    for (const e of next.events) if (e.type === "roundEnded") checkRound(s, next.state, e.result);
    s = next.state;
    checkInvariants(s);
  };
  checkInvariants(s);
  for (let step = 0; step < MAX_STEPS; step++) {
    if (s.phase === "matchEnd") {
      checkMatch(s);
      return { steps: step, rounds: s.history.length, refusals };
    }
    now += 1 + rng(50);
    if (s.phase === "roundEnd") {
      apply(nextRound(s, { now, rng: seededRng(`deal:${seed}:${s.round}`) }));
      continue;
    }
    const roll = rng(100);
    if (roll < 3) {
      // Time runs out: the next deadline passes.
      now = Math.max(now, nextDeadline(s) ?? now);
      apply(tick(s, now));
    } else if (roll < 4 && rng(10) === 0) {
      apply(leave(s, seats[rng(seats.length)] as string, now));
    } else if (roll < 25) {
      const actor = [...seats, "spectator"][rng(seats.length + 1)] as string;
      const move = randomMove(rng, seats);
      const before = structuredClone(s);
      deepFreeze(s);
      try {
        apply(applyMove(s, actor, move, { now }));
      } catch (err) {
        assert.ok(err instanceof TavernError, `a refusal is typed: ${String(err)}`);
        assert.ok(["NOT_YOUR_TURN", "INVALID_MOVE", "INVALID_PHASE", "PERMISSION_DENIED"].includes(err.code), err.code);
        assert.deepEqual(s, before, "a refused move changes nothing");
        refusals++;
      }
    } else {
      const actors = s.phase === "setup" ? seats : [s.turn?.seat as string];
      const actor = actors[rng(actors.length)] as string;
      const moves = legalMoves(s, actor);
      if (moves.length === 0) continue;
      apply(applyMove(deepFreeze(s), actor, pickLegal(rng, moves, caboOdds), { now }));
    }
  }
  throw new Error(`match ${seed} did not end in ${MAX_STEPS} steps`);
}

function checkRound(before: CaboState, after: CaboState, result: CaboState["history"][number]): void {
  const caller = result.caller;
  const sums = new Map(result.scores.map((x) => [x.seat, x.sum]));
  for (const x of result.scores) {
    const p = after.players.find((q) => q.seat === x.seat);
    assert.ok(p);
    assert.equal(x.sum, handSum(p.hand), "the sum is the hand as it lies");
    const lowest = [...sums].every(([seat, sum]) => seat === caller || (sums.get(caller ?? "") ?? 0) < sum);
    const expected = x.seat !== caller ? x.sum : lowest ? 0 : x.sum + 10;
    assert.equal(x.score, expected);
    const totalBefore = before.players.find((q) => q.seat === x.seat)?.total ?? 0;
    assert.equal(x.total, addToTotal(totalBefore, x.score));
    assert.equal(p.total, x.total);
    assert.notEqual(p.total, 100);
  }
}

function checkMatch(s: CaboState): void {
  for (const p of s.players) {
    const total = s.history.reduce((t, r) => {
      const x = r.scores.find((y) => y.seat === p.seat);
      return x ? addToTotal(t, x.score) : t;
    }, 0);
    assert.equal(p.total, total, "the totals add up from the rounds");
  }
  const present = s.players.filter((p) => !p.left);
  if (present.length >= 2)
    assert.ok(
      present.some((p) => p.total > MATCH_LIMIT),
      "a total passed 100",
    );
  const lowest = Math.min(...present.map((p) => p.total));
  assert.deepEqual(
    s.winners,
    present.filter((p) => p.total === lowest).map((p) => p.seat),
  );
}

describe("cabo: random play (property)", function () {
  this.timeout(120_000);

  it("always ends; the deck, entitlements, views and scores hold at every step; refusals change nothing", () => {
    let refusals = 0;
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 12 }),
        fc.integer({ min: 2, max: 6 }),
        fc.constantFrom(0, 10),
        fc.constantFrom(5, 60),
        (seed, players, peek, odds) => {
          refusals += playMatch(seed, players, peek, odds).refusals;
        },
      ),
      { numRuns: RUNS },
    );
    assert.ok(refusals > 0, "the illegal attempts were tried");
    for (const type of [
      "peeked",
      "spied",
      "blindSwapped",
      "swapped",
      "mismatched",
      "tookDiscard",
      "timedOut",
      "caboCalled",
      "roundEnded:cabo",
      "roundEnded:drawPileEmpty",
    ]) {
      assert.ok(seen.has(type), `random play never met ${type}`);
    }
  });
});
