/**
 * Turn order and the Cabo call. Turns go in seat order over the players still in the round; a
 * player who left for good is skipped (their hand stays as it lies). After a Cabo call each other
 * player has exactly one more turn, then the round ends; it also ends after the turn that took the
 * draw pile's last card.
 */
import { activePlayers, findPlayer, type CaboState, type Draft, type SeatId } from "./state";
import { invalidMove } from "./refusals";
import { endRound } from "./scoring";

const SECOND = 1000;

/** The first active seat after `seat` in seat order (wrapping), or undefined if none. */
export function nextActiveSeat(state: CaboState, seat: SeatId): SeatId | undefined {
  const n = state.players.length;
  const from = state.players.findIndex((p) => p.seat === seat);
  for (let step = 1; step <= n; step++) {
    const p = state.players[(from + step) % n];
    if (p && p.inRound && !p.left) return p.seat;
  }
  return undefined;
}

/** Who starts a round: the seat order rotates by one each round, skipping players who left. */
export function firstSeatOfRound(state: CaboState): SeatId | undefined {
  const n = state.players.length;
  const start = (state.round - 1) % n;
  for (let step = 0; step < n; step++) {
    const p = state.players[(start + step) % n];
    if (p && p.inRound && !p.left) return p.seat;
  }
  return undefined;
}

export function startTurn(draft: Draft, seat: SeatId): void {
  const s = draft.state;
  const deadline = draft.now + s.config.turnSeconds * SECOND;
  s.turn = { seat, step: "action", startedAt: draft.now, deadline, drawn: null, window: null };
  draft.events.push({ type: "turnStarted", seat, deadline });
}

/** Ends the setup peek and starts the round's first turn. */
export function endSetup(draft: Draft): void {
  const s = draft.state;
  s.phase = "turn";
  s.setupUntil = null;
  draft.events.push({ type: "setupEnded" });
  const first = firstSeatOfRound(s);
  if (first === undefined) endRound(draft, "abandoned");
  else startTurn(draft, first);
}

/**
 * Ends the current turn (or the turn of a player who just left) and passes it on, or ends the
 * round: after the draw pile's last card, or once every last turn after a Cabo call was taken.
 */
export function finishTurn(draft: Draft): void {
  const s = draft.state;
  const turn = s.turn;
  if (!turn) return;
  const player = findPlayer(s, turn.seat);
  if (player) player.turnsTaken++;
  if (turn.drawn !== null) s.discard.push(turn.drawn);
  s.turn = null;
  if (s.cabo) s.cabo.lastTurns = s.cabo.lastTurns.filter((seat) => seat !== turn.seat);
  if (activePlayers(s).length < 2) return endRound(draft, "abandoned");
  if (s.drawPile.length === 0) return endRound(draft, "drawPileEmpty");
  if (s.cabo) {
    const next = s.cabo.lastTurns[0];
    return next === undefined ? endRound(draft, "cabo") : startTurn(draft, next);
  }
  const next = nextActiveSeat(s, turn.seat);
  if (next === undefined) return endRound(draft, "abandoned");
  startTurn(draft, next);
}

/** Cabo may be called once per round, by a player who has already had a turn in it. */
export function checkCaboCall(state: CaboState, seat: SeatId): void {
  if (state.cabo) throw invalidMove("caboAlreadyCalled", `${state.cabo.caller} has already called Cabo.`);
  const player = findPlayer(state, seat);
  if (!player || player.turnsTaken < 1) throw invalidMove("caboTooEarly", "Cabo cannot be called in the first round of turns.");
}

/** The caller's turn ends at once; every other active player, in turn order, has one more turn. */
export function callCabo(draft: Draft, seat: SeatId): void {
  const s = draft.state;
  const lastTurns: SeatId[] = [];
  for (let next = nextActiveSeat(s, seat); next !== undefined && next !== seat; next = nextActiveSeat(s, next)) {
    lastTurns.push(next);
  }
  s.cabo = { caller: seat, lastTurns };
  draft.events.push({ type: "caboCalled", seat, lastTurns: [...lastTurns] });
  finishTurn(draft);
}
