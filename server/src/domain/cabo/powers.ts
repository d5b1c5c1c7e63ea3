/**
 * The powers of a discarded card: 7/8 peek at one of your own cards, 9/10 spy on one card of
 * another player, 11/12 swap one of your cards with one of another player's, neither seen. A peek
 * or spy opens a window (the card is shown to that player only, then hidden again) and the turn
 * ends when it closes; a swap ends the turn at once.
 */
import type { PowerUse } from "@tavern/shared/cabo/moves";
import { powerOf, type CardValue } from "@tavern/shared/cabo/rules";
import { invalidMove } from "./refusals";
import { findPlayer, type CaboState, type CardAt, type Draft, type SeatId } from "./state";

const SECOND = 1000;

/** Refuses a power the discarded card does not give, or one aimed at no card. */
export function checkPower(state: CaboState, seat: SeatId, value: CardValue, use: PowerUse): void {
  const kind = powerOf(value);
  if (kind === null) throw invalidMove("notAPowerCard", `A ${value} has no power.`);
  if (kind !== use.kind) throw invalidMove("wrongPower", `A ${value} gives ${kind}, not ${use.kind}.`);
  if (use.kind === "peek") return checkCard(state, { seat, position: use.position }, "your");
  if (use.seat === seat) throw invalidMove("targetIsYou", `${use.kind === "spy" ? "Spy" : "Swap"} on another player's card.`);
  const target = findPlayer(state, use.seat);
  if (!target || !target.inRound) throw invalidMove("noSuchSeat", "That seat is not in this round.");
  if (use.kind === "swap") checkCard(state, { seat, position: use.position }, "your");
  checkCard(state, { seat: use.seat, position: use.kind === "spy" ? use.position : use.targetPosition }, "their");
}

export function checkCard(state: CaboState, at: CardAt, whose: string): void {
  const hand = findPlayer(state, at.seat)?.hand ?? [];
  if (!hand[at.position]) throw invalidMove("noSuchPosition", `No card lies at ${whose} position ${at.position}.`);
}

/** Uses a checked power in the draft. */
export function applyPower(draft: Draft, seat: SeatId, use: PowerUse): void {
  const s = draft.state;
  const turn = s.turn;
  if (!turn) return;
  if (use.kind === "swap") {
    const own = findPlayer(s, seat)?.hand;
    const other = findPlayer(s, use.seat)?.hand;
    if (!own || !other) return;
    // Face-up cards stay face up: everyone saw them, wherever they go.
    [own[use.position], other[use.targetPosition]] = [other[use.targetPosition] ?? null, own[use.position] ?? null];
    draft.events.push({ type: "blindSwapped", seat, position: use.position, target: { seat: use.seat, position: use.targetPosition } });
    return;
  }
  const target: CardAt = use.kind === "peek" ? { seat, position: use.position } : { seat: use.seat, position: use.position };
  const until = draft.now + s.config.revealSeconds * SECOND;
  turn.step = "window";
  turn.window = { kind: use.kind, target, until };
  draft.events.push(
    use.kind === "peek" ? { type: "peeked", seat, position: use.position, until } : { type: "spied", seat, target: { ...target }, until },
  );
}
