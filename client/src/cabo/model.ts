/**
 * What a Cabo page shows, computed from the decoded state alone (plus the player's picks and, with
 * the memory aid, what they remember): one plain model that the table scene draws, the action panel
 * reads and the test hook hands to tests. A card's shown value comes only from what this client
 * holds: the public slot (face up, or every card at the round's reveal), its own private part (the
 * setup peek, a peek or spy window, the drawn card), or the memory aid when the room allows it.
 */
import { powerOf, type PowerKind } from "@tavern/shared/cabo/rules";
import { UNKNOWN_CARD, knownKey, type CaboState } from "@tavern/shared/cabo/state";
import type { Picks } from "./selection";

/** Why a card's value is shown: everyone sees it, only this player does now, or they remember it. */
export type Shown = "public" | "setup" | "peek" | "spy" | "remembered";

export interface CardModel {
  position: number;
  /** False for a hole a multi-swap left. */
  present: boolean;
  faceUp: boolean;
  /** The value shown on this page, undefined when the card shows its back. */
  value: number | undefined;
  shown: Shown | undefined;
  picked: boolean;
  /** Someone is peeking or spying at this card right now (its value is the looker's alone). */
  watched: boolean;
}

export interface SeatModel {
  seat: string;
  name: string;
  self: boolean;
  turn: boolean;
  left: boolean;
  connected: boolean;
  inRound: boolean;
  total: number;
  /** This round's score and hand sum, at the round's end. */
  round: { sum: number; score: number } | undefined;
  caller: boolean;
  setupDone: boolean;
  cards: CardModel[];
}

export type CaboStage = "idle" | "setup" | "turn" | "roundEnd" | "matchEnd";

export interface CaboTableModel {
  stage: CaboStage;
  /** The room's lifecycle phase (lobby | playing | finished). */
  roomPhase: string;
  selfId: string;
  /** Whether this page plays in the match (a spectator or a late joiner only watches). */
  playing: boolean;
  host: boolean;
  round: number;
  seats: SeatModel[];
  drawPile: number;
  discardTop: number | undefined;
  discardCount: number;
  turnSeat: string;
  turnName: string;
  turnStep: string;
  myTurn: boolean;
  turnDeadline: number;
  setupUntil: number;
  /** The card this player drew, while they hold it. */
  drawn: number | undefined;
  drawnPower: PowerKind | null;
  /** Someone else holds a drawn card (shown face down by the piles). */
  otherHolds: boolean;
  caboAllowed: boolean;
  caller: string;
  callerName: string;
  window: { kind: string; seat: string; target: string; position: number; until: number } | undefined;
  nextRoundAt: number;
  winners: string[];
  lastAction: string;
  memoryAid: boolean;
  picks: Picks;
}

export function tableModel(
  state: CaboState,
  selfId: string,
  picks: Picks,
  remembered: ReadonlyMap<string, number> = new Map(),
): CaboTableModel {
  const g = state.game;
  const nameOf = (seat: string) => state.players.get(seat)?.name ?? "A player who left";
  const secret = state.secrets?.get(selfId);
  const stage = (["setup", "turn", "roundEnd", "matchEnd"].includes(g.phase) ? g.phase : "idle") as CaboStage;
  const reveal = stage === "roundEnd" || stage === "matchEnd";
  const lastResult = reveal ? g.history.at(-1) : undefined;
  const windowOpen = g.windowKind !== "" && g.windowPosition >= 0;
  const setupDone = new Set(g.setupDone);

  const seats: SeatModel[] = [];
  g.players.forEach((p) => {
    const self = p.seat === selfId;
    const cards: CardModel[] = [];
    p.hand.forEach((slot, position) => {
      const key = knownKey(p.seat, position);
      let value: number | undefined;
      let shown: Shown | undefined;
      if (slot.present && slot.value !== UNKNOWN_CARD) [value, shown] = [slot.value, "public"];
      else if (slot.present && secret?.known.has(key)) {
        value = secret.known.get(key);
        shown = stage === "setup" ? "setup" : windowOpen && g.windowSeat === selfId && g.windowKind === "spy" ? "spy" : "peek";
      } else if (slot.present && g.memoryAid && remembered.has(key)) [value, shown] = [remembered.get(key), "remembered"];
      const picked = self ? picks.own.includes(position) : picks.target?.seat === p.seat && picks.target.position === position;
      const watched = windowOpen && g.windowTarget === p.seat && g.windowPosition === position;
      cards.push({ position, present: slot.present, faceUp: slot.faceUp, value, shown, picked, watched });
    });
    const score = lastResult?.scores.find((s) => s.seat === p.seat);
    seats.push({
      seat: p.seat,
      name: nameOf(p.seat),
      self,
      turn: stage === "turn" && g.turnSeat === p.seat,
      left: p.left,
      connected: state.players.get(p.seat)?.connected ?? false,
      inRound: p.inRound,
      total: p.total,
      round: score ? { sum: score.sum, score: score.score } : undefined,
      caller: g.caller === p.seat,
      setupDone: setupDone.has(p.seat),
      cards,
    });
  });

  const drawn = secret && secret.drawn !== UNKNOWN_CARD ? secret.drawn : undefined;
  const myTurn = stage === "turn" && g.turnSeat === selfId;
  return {
    stage,
    roomPhase: state.phase,
    selfId,
    playing: seats.some((s) => s.self && !s.left),
    host: state.hostId === selfId,
    round: g.round,
    seats,
    drawPile: g.drawPile,
    discardTop: g.discard.length > 0 ? g.discard.at(-1) : undefined,
    discardCount: g.discard.length,
    turnSeat: g.turnSeat,
    turnName: g.turnSeat ? nameOf(g.turnSeat) : "",
    turnStep: g.turnStep,
    myTurn,
    turnDeadline: g.turnDeadline,
    setupUntil: g.setupUntil,
    drawn,
    drawnPower: drawn === undefined ? null : powerOf(drawn),
    otherHolds: g.holdsDrawn && !myTurn,
    caboAllowed: myTurn && g.caboAllowed,
    caller: g.caller,
    callerName: g.caller ? nameOf(g.caller) : "",
    window: windowOpen
      ? { kind: g.windowKind, seat: g.windowSeat, target: g.windowTarget, position: g.windowPosition, until: g.windowUntil }
      : undefined,
    nextRoundAt: g.nextRoundAt,
    winners: [...g.winners],
    lastAction: g.lastAction,
    memoryAid: g.memoryAid,
    picks,
  };
}

/** The player's own seat in the model, if they play. */
export function ownSeat(m: CaboTableModel): SeatModel | undefined {
  return m.seats.find((s) => s.self);
}
