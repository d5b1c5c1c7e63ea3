/**
 * A player's moves: applyMove(state, actor, move, ctx) answers the next state and its events, or
 * throws a TavernError (NOT_YOUR_TURN, INVALID_PHASE, INVALID_MOVE with details.reason,
 * PERMISSION_DENIED for someone not dealt in) and leaves the given state as it was: every move
 * works on a copy, and all checks come before the first change.
 */
import type { CaboMove, PowerUse } from "@tavern/shared/cabo/moves";
import { applyPower, checkCard, checkPower } from "./powers";
import { invalidMove, invalidPhase, notAPlayer, notYourTurn } from "./refusals";
import { draftOf, findPlayer, type CaboContext, type CaboState, type CaboStep, type Draft, type SeatId, type Turn } from "./state";
import { callCabo, checkCaboCall, endSetup, finishTurn } from "./turns";

type Move<T extends CaboMove["type"]> = Extract<CaboMove, { type: T }>;

export function applyMove(state: CaboState, actor: SeatId, move: CaboMove, ctx: Pick<CaboContext, "now">): CaboStep {
  const player = findPlayer(state, actor);
  if (state.phase === "roundEnd" || state.phase === "matchEnd") {
    throw invalidPhase(state.phase, state.phase === "roundEnd" ? "The round is over." : "The match is over.");
  }
  if (!player || !player.inRound || player.left) throw notAPlayer();
  if (move.type === "setupDone") return setupDone(state, actor, ctx.now);
  if (state.phase === "setup") throw invalidPhase(state.phase, "The setup peek is still running.");
  const turn = state.turn;
  if (!turn) throw invalidPhase(state.phase, "No turn is running.");
  if (turn.seat !== actor) throw notYourTurn(turn.seat);
  checkStep(turn, move);
  const draft = draftOf(state, ctx.now);
  switch (move.type) {
    case "draw":
      draw(draft, actor);
      break;
    case "swap":
      swap(draft, actor, move);
      break;
    case "discard":
      discard(draft, actor, move.power);
      break;
    case "takeDiscard":
      takeDiscard(draft, actor, move);
      break;
    case "callCabo":
      checkCaboCall(state, actor);
      callCabo(draft, actor);
      break;
    case "closeWindow":
      closeWindow(draft, actor);
      break;
  }
  return { state: draft.state, events: draft.events };
}

/** Each step of a turn admits its own moves; the refusal says what the step is waiting for. */
function checkStep(turn: Turn, move: CaboMove): void {
  const needs: Record<Turn["step"], readonly CaboMove["type"][]> = {
    action: ["draw", "takeDiscard", "callCabo"],
    drawn: ["swap", "discard"],
    window: ["closeWindow"],
  };
  if (needs[turn.step].includes(move.type)) return;
  if (turn.step === "window") throw invalidMove("windowOpen", "A peeked or spied card is shown; close it to end the turn.");
  if (move.type === "closeWindow") throw invalidMove("noWindow", "No peeked or spied card is shown.");
  if (turn.step === "drawn") throw invalidMove("alreadyDrew", "You hold a drawn card: swap it or discard it.");
  throw invalidMove("noDrawnCard", "Draw a card first.");
}

function setupDone(state: CaboState, actor: SeatId, now: number): CaboStep {
  if (state.phase !== "setup") throw invalidPhase(state.phase, "The setup peek is over.");
  if (findPlayer(state, actor)?.setupDone) throw invalidMove("alreadyDone", "You have already ended your setup peek.");
  const draft = draftOf(state, now);
  markSetupDone(draft, actor);
  return { state: draft.state, events: draft.events };
}

/** A player stops looking at their setup cards; once everyone still in has, turns begin. */
export function markSetupDone(draft: Draft, seat: SeatId): void {
  const s = draft.state;
  const player = findPlayer(s, seat);
  if (!player || player.setupDone) return;
  player.setupDone = true;
  draft.events.push({ type: "setupDone", seat });
  endSetupIfAllDone(draft);
}

export function endSetupIfAllDone(draft: Draft): void {
  const s = draft.state;
  if (s.phase === "setup" && s.players.every((p) => !p.inRound || p.left || p.setupDone)) endSetup(draft);
}

export function draw(draft: Draft, seat: SeatId): void {
  const turn = draft.state.turn;
  const card = draft.state.drawPile.pop();
  // The round ends after the turn that took the last card, so a turn never starts on an empty pile.
  if (!turn || card === undefined) throw new Error("draw from an empty draw pile");
  turn.drawn = card;
  turn.step = "drawn";
  draft.events.push({ type: "drew", seat });
}

/**
 * The drawn card replaces the cards at `positions` when they all share one value (always so for a
 * single position): they go face up to the discard pile in position order, the drawn card lies face
 * down at the first of them and the others become holes. When they differ, the player keeps them
 * all, the drawn card lies face down at a new position at the end and the discard pile stays.
 */
function swap(draft: Draft, seat: SeatId, { positions }: Move<"swap">): void {
  const s = draft.state;
  if (new Set(positions).size !== positions.length) throw invalidMove("duplicatePosition", "Name each position once.");
  for (const position of positions) checkCard(s, { seat, position }, "your");
  const hand = findPlayer(s, seat)?.hand;
  const turn = s.turn;
  if (!hand || !turn || turn.drawn === null) return;
  const sorted = [...positions].sort((a, b) => a - b);
  const values = sorted.map((p) => hand[p]?.value);
  const card = { value: turn.drawn, faceUp: false };
  turn.drawn = null;
  if (values.every((v) => v === values[0])) {
    const discarded: number[] = [];
    for (const p of sorted) {
      discarded.push(hand[p]?.value ?? 0);
      hand[p] = null;
    }
    s.discard.push(...discarded);
    hand[sorted[0] ?? 0] = card;
    draft.events.push({ type: "swapped", seat, positions: sorted, discarded });
  } else {
    hand.push(card);
    draft.events.push({ type: "mismatched", seat, positions: sorted, newPosition: hand.length - 1 });
  }
  finishTurn(draft);
}

function discard(draft: Draft, seat: SeatId, power: PowerUse | undefined): void {
  const s = draft.state;
  const turn = s.turn;
  if (!turn || turn.drawn === null) return;
  const value = turn.drawn;
  if (power) checkPower(s, seat, value, power);
  discardDrawn(draft, seat);
  if (power) applyPower(draft, seat, power);
  if (turn.step !== "window") finishTurn(draft);
}

/** The drawn card goes face up on the discard pile (no power used yet). */
export function discardDrawn(draft: Draft, seat: SeatId): void {
  const turn = draft.state.turn;
  if (!turn || turn.drawn === null) return;
  draft.state.discard.push(turn.drawn);
  draft.events.push({ type: "discarded", seat, value: turn.drawn });
  turn.drawn = null;
}

/** The top discard replaces the card at `position` and stays face up; the replaced card goes face up on the pile. */
function takeDiscard(draft: Draft, seat: SeatId, { position }: Move<"takeDiscard">): void {
  const s = draft.state;
  checkCard(s, { seat, position }, "your");
  const hand = findPlayer(s, seat)?.hand;
  const value = s.discard.pop();
  const old = hand?.[position];
  if (!hand || !old || value === undefined) return;
  hand[position] = { value, faceUp: true };
  s.discard.push(old.value);
  draft.events.push({ type: "tookDiscard", seat, position, value, discarded: old.value });
  finishTurn(draft);
}

export function closeWindow(draft: Draft, seat: SeatId): void {
  const turn = draft.state.turn;
  if (!turn?.window) return;
  turn.window = null;
  draft.events.push({ type: "windowClosed", seat });
  finishTurn(draft);
}
