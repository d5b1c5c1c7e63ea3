/**
 * Cabo states for unit tests: a rigged deal (hands, piles and turn given) and a small driver that
 * plays a list of moves. A rigged deal need not hold all 52 cards; the property test uses real ones.
 */
import { CABO_CONFIG_DEFAULTS, type CaboConfig } from "@tavern/shared/cabo/rules";
import type { CaboMove } from "@tavern/shared/cabo/moves";
import { applyMove, type CaboEvent, type CaboState } from "../../src/domain/cabo/index";

export const SEATS = ["a", "b", "c", "d", "e", "f"] as const;

export interface Rig {
  /** One hand per seat (a, b, c, ...), face down unless listed in faceUp. */
  hands: number[][];
  /** Top last. */
  drawPile?: number[];
  /** Top last. */
  discard?: number[];
  /** Whose turn it is (default "a"); null for the setup peek. */
  turn?: string | null;
  /** Turns every player has completed (default 0: the first round of turns). */
  turnsTaken?: number;
  faceUp?: Array<[seat: string, position: number]>;
  config?: Partial<CaboConfig>;
  now?: number;
}

export function rigged(rig: Rig): CaboState {
  const now = rig.now ?? 0;
  const config = { ...CABO_CONFIG_DEFAULTS, ...rig.config };
  const turnSeat = rig.turn === undefined ? "a" : rig.turn;
  return {
    config,
    match: 1,
    round: 1,
    phase: turnSeat === null ? "setup" : "turn",
    players: rig.hands.map((hand, i) => {
      const seat = SEATS[i] as string;
      return {
        seat,
        hand: hand.map((value, position) => ({
          value,
          faceUp: (rig.faceUp ?? []).some(([s, p]) => s === seat && p === position),
        })),
        total: 0,
        left: false,
        inRound: true,
        turnsTaken: rig.turnsTaken ?? 0,
        setupDone: false,
      };
    }),
    drawPile: rig.drawPile ?? [5, 5, 5, 5],
    discard: rig.discard ?? [6],
    setupUntil: turnSeat === null ? now + config.peekSeconds * 1000 : null,
    turn:
      turnSeat === null
        ? null
        : { seat: turnSeat, step: "action", startedAt: now, deadline: now + config.turnSeconds * 1000, drawn: null, window: null },
    cabo: null,
    history: [],
    winners: [],
  };
}

/** Plays moves in order at `now`, returning the last state and every event. */
export function play(state: CaboState, moves: Array<[seat: string, move: CaboMove]>, now = 1): { state: CaboState; events: CaboEvent[] } {
  const events: CaboEvent[] = [];
  for (const [seat, move] of moves) {
    const step = applyMove(state, seat, move, { now });
    state = step.state;
    events.push(...step.events);
  }
  return { state, events };
}

/** The values of a seat's hand, holes as null. */
export function handOf(state: CaboState, seat: string): Array<number | null> {
  return (state.players.find((p) => p.seat === seat)?.hand ?? []).map((slot) => slot?.value ?? null);
}

/** Freezes a state all the way down, so a rule that changes its input throws in the test. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
