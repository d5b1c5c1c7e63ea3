/**
 * Cabo's game state as plain data, and the small readers every rule shares. The state is the whole
 * deal, hidden cards included: it never leaves the server as is. What a viewer may know of it is
 * entitlements.ts's job, and the views are built from that alone.
 *
 * A card is its bare value. Nothing in the state names a card (no id, no serial), so nothing a view
 * copies from it can follow a hidden card around; a hidden position is "a card lies here" and no more.
 */
import type { CaboConfig, CardValue, PowerKind } from "@tavern/shared/cabo/rules";
import type { CaboRng } from "./rng";

export type { CaboConfig, CardValue } from "@tavern/shared/cabo/rules";
/** A player's seat: the id the room gave the player. */
export type SeatId = string;

/** A card lying in a hand. Face up only when it came from the discard pile (everyone saw it). */
export interface Card {
  value: CardValue;
  faceUp: boolean;
}
/** A hand position: a card, or a hole where a multi-swap took a card away. Positions never move. */
export type Slot = Card | null;

export interface Player {
  seat: SeatId;
  hand: Slot[];
  /** Match total after the rounds played so far. */
  total: number;
  /** Left the room for good: their cards stay and are scored as they lie; their turns are skipped. */
  left: boolean;
  /** Dealt into the current round (a player who left before the deal is not). */
  inRound: boolean;
  /** Turns completed in this round (Cabo may be called from the second one on). */
  turnsTaken: number;
  /** Ended their setup peek early (or left). */
  setupDone: boolean;
}

/** A card a player is looking at after using a peek (own card) or spy (another's) power. */
export interface Window {
  kind: Extract<PowerKind, "peek" | "spy">;
  target: CardAt;
  until: number;
}

export interface CardAt {
  seat: SeatId;
  position: number;
}

/**
 * The current turn: `action` (draw, take the discard or call Cabo), `drawn` (swap or discard the
 * drawn card), `window` (a peeked or spied card is shown; the turn ends when it closes).
 */
export interface Turn {
  seat: SeatId;
  step: "action" | "drawn" | "window";
  startedAt: number;
  /** When the turn times out (the player draws and discards automatically); not used during a window. */
  deadline: number;
  drawn: CardValue | null;
  window: Window | null;
}

export interface Cabo {
  caller: SeatId;
  /** Seats still owed their last turn, in turn order. The round ends when it is empty. */
  lastTurns: SeatId[];
}

export type RoundEndReason = "cabo" | "drawPileEmpty" | "abandoned";

export interface SeatScore {
  seat: SeatId;
  /** Sum of the cards in the hand at the reveal. */
  sum: number;
  /** What the round adds to the total (the caller rule applied). */
  score: number;
  /** The total after this round (the 100 -> 50 rule applied). */
  total: number;
}

export interface RoundResult {
  round: number;
  reason: RoundEndReason;
  caller: SeatId | null;
  /** Whether the caller had the strictly lowest sum; null without a caller. */
  callerWon: boolean | null;
  scores: SeatScore[];
}

/**
 * `setup`: the setup peek is running. `turn`: players take turns. `roundEnd`: every card is shown and
 * scored, the room starts the next round. `matchEnd`: a total passed 100 (or too few players are left).
 */
export type CaboPhase = "setup" | "turn" | "roundEnd" | "matchEnd";

export interface CaboState {
  config: CaboConfig;
  /** 1 for the room's first match, one more at each play again. */
  match: number;
  /** 1 for a match's first round. */
  round: number;
  phase: CaboPhase;
  /** Seat order, fixed for the match. */
  players: Player[];
  /** Face down; the top is the last element. */
  drawPile: CardValue[];
  /** Face up; the top is the last element. */
  discard: CardValue[];
  setupUntil: number | null;
  turn: Turn | null;
  cabo: Cabo | null;
  history: RoundResult[];
  /** Lowest totals once the match has ended, otherwise empty. */
  winners: SeatId[];
}

/** What moves, timers and round changes answer: the next state and what happened, in order. */
export interface CaboStep {
  state: CaboState;
  events: CaboEvent[];
}

export interface CaboContext {
  now: number;
  rng: CaboRng;
}

/**
 * What happened, for the room to announce and the client to animate. Every event is public by
 * construction: it carries only values that lie face up for everyone once it has happened (a
 * discard, a taken discard, the round's scores), never a drawn, peeked or spied card.
 */
export type CaboEvent =
  | { type: "roundStarted"; match: number; round: number; firstSeat: SeatId; setupUntil: number | null }
  | { type: "setupDone"; seat: SeatId }
  | { type: "setupEnded" }
  | { type: "turnStarted"; seat: SeatId; deadline: number }
  | { type: "drew"; seat: SeatId }
  | { type: "swapped"; seat: SeatId; positions: number[]; discarded: CardValue[] }
  | { type: "mismatched"; seat: SeatId; positions: number[]; newPosition: number }
  | { type: "discarded"; seat: SeatId; value: CardValue }
  | { type: "tookDiscard"; seat: SeatId; position: number; value: CardValue; discarded: CardValue }
  | { type: "peeked"; seat: SeatId; position: number; until: number }
  | { type: "spied"; seat: SeatId; target: CardAt; until: number }
  | { type: "blindSwapped"; seat: SeatId; position: number; target: CardAt }
  | { type: "windowClosed"; seat: SeatId }
  | { type: "caboCalled"; seat: SeatId; lastTurns: SeatId[] }
  | { type: "timedOut"; seat: SeatId }
  | { type: "left"; seat: SeatId }
  | { type: "roundEnded"; result: RoundResult }
  | { type: "matchEnded"; winners: SeatId[] };

/** A step in the making: rules change `state` (a private copy) and append to `events`. */
export interface Draft {
  state: CaboState;
  events: CaboEvent[];
  now: number;
}

export function draftOf(state: CaboState, now: number): Draft {
  return { state: structuredClone(state), events: [], now };
}

export function findPlayer(state: CaboState, seat: SeatId): Player | undefined {
  return state.players.find((p) => p.seat === seat);
}

/** Players who still take turns: dealt into this round and not gone. */
export function activePlayers(state: CaboState): Player[] {
  return state.players.filter((p) => p.inRound && !p.left);
}

export function slotAt(state: CaboState, at: CardAt): Card | null {
  return findPlayer(state, at.seat)?.hand[at.position] ?? null;
}

/** Number of cards in a hand (holes do not count). */
export function cardCount(hand: readonly Slot[]): number {
  return hand.reduce((n, slot) => (slot ? n + 1 : n), 0);
}

/** Every card of the deal wherever it lies: draw pile, discard, hands, a drawn card. Always 52. */
export function allCards(state: CaboState): CardValue[] {
  const cards = [...state.drawPile, ...state.discard];
  for (const p of state.players) for (const slot of p.hand) if (slot) cards.push(slot.value);
  if (state.turn?.drawn !== null && state.turn?.drawn !== undefined) cards.push(state.turn.drawn);
  return cards;
}

/**
 * The next moment something times out (setup peek, window or turn), for the room's clock: call
 * tick() at or after it. Null when nothing is running.
 */
export function nextDeadline(state: CaboState): number | null {
  if (state.phase === "setup") return state.setupUntil;
  if (state.phase !== "turn" || !state.turn) return null;
  return state.turn.window ? state.turn.window.until : state.turn.deadline;
}
