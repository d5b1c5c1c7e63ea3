/**
 * What the room shows: publicView (everyone, spectators included) and seatView (one player), both
 * projected from entitlementsOf alone, so a view can never hold a value its viewer is not entitled
 * to. A hidden card is `{ faceUp: false, value: null }`: "a card lies here", nothing that tells one
 * hidden card from another, so the room can project it as "unknown" and nothing else.
 */
import type { CaboConfig, CardValue } from "@tavern/shared/cabo/rules";
import { entitlementsOf, refKey, type Viewer } from "./entitlements";
import type { CaboPhase, CardAt, RoundResult, SeatId, Turn, Window } from "./state";
import { type CaboState } from "./state";

/** A hand position as a viewer sees it: null for a hole, value null for a card they may not know. */
export type SlotView = null | { faceUp: boolean; value: CardValue | null };

export interface PlayerView {
  seat: SeatId;
  left: boolean;
  inRound: boolean;
  total: number;
  /** Cards in the hand (holes left out). */
  cards: number;
  hand: SlotView[];
}

export interface TurnView {
  seat: SeatId;
  step: Turn["step"];
  deadline: number;
  /** Whether the player holds a drawn card (its value is only in their own view's `drawn`). */
  holdsDrawn: boolean;
  /** Whether the player may call Cabo now. */
  caboAllowed: boolean;
}

export interface WindowView {
  kind: Window["kind"];
  seat: SeatId;
  target: CardAt;
  until: number;
}

export interface CaboView {
  viewer: Viewer;
  config: CaboConfig;
  match: number;
  round: number;
  phase: CaboPhase;
  players: PlayerView[];
  /** Cards left in the draw pile. */
  drawPile: number;
  /** The whole discard pile, face up; the top is the last element. */
  discard: CardValue[];
  setupUntil: number | null;
  setupDone: SeatId[];
  turn: TurnView | null;
  /** The viewer's own drawn card during their turn; null otherwise. */
  drawn: CardValue | null;
  /** Who is looking at which card, until when (public); the value is in the looker's view only. */
  window: WindowView | null;
  cabo: { caller: SeatId; lastTurns: SeatId[] } | null;
  history: RoundResult[];
  winners: SeatId[];
}

export function publicView(state: CaboState): CaboView {
  return viewOf(state, null);
}

export function seatView(state: CaboState, viewer: SeatId): CaboView {
  return viewOf(state, viewer);
}

function viewOf(state: CaboState, viewer: Viewer): CaboView {
  const known = new Map(entitlementsOf(state, viewer).map((e) => [refKey(e.ref), e.value]));
  const valueAt = (key: string) => known.get(key) ?? null;
  const turn = state.phase === "turn" ? state.turn : null;
  const players = state.players.map<PlayerView>((p) => ({
    seat: p.seat,
    left: p.left,
    inRound: p.inRound,
    total: p.total,
    cards: p.hand.filter(Boolean).length,
    hand: p.hand.map((slot, position) => (slot ? { faceUp: slot.faceUp, value: valueAt(`hand:${p.seat}:${position}`) } : null)),
  }));
  const mover = turn ? state.players.find((p) => p.seat === turn.seat) : undefined;
  return {
    viewer,
    config: { ...state.config },
    match: state.match,
    round: state.round,
    phase: state.phase,
    players,
    drawPile: state.drawPile.length,
    discard: state.discard.map((_, index) => valueAt(`discard:${index}`) ?? 0),
    setupUntil: state.phase === "setup" ? state.setupUntil : null,
    setupDone: state.phase === "setup" ? state.players.filter((p) => p.setupDone).map((p) => p.seat) : [],
    turn: turn
      ? {
          seat: turn.seat,
          step: turn.step,
          deadline: turn.deadline,
          holdsDrawn: turn.drawn !== null,
          caboAllowed: turn.step === "action" && state.cabo === null && (mover?.turnsTaken ?? 0) >= 1,
        }
      : null,
    drawn: viewer !== null && turn ? valueAt(`drawn:${viewer}`) : null,
    window: turn?.window ? { kind: turn.window.kind, seat: turn.seat, target: { ...turn.window.target }, until: turn.window.until } : null,
    cabo: state.cabo ? { caller: state.cabo.caller, lastTurns: [...state.cabo.lastTurns] } : null,
    history: structuredClone(state.history),
    winners: [...state.winners],
  };
}
