/**
 * A match: its rounds, their deals and the totals, and play again. The room decides who may start
 * the next round or a new match (the host, or everyone ready); these functions only check the phase.
 */
import { caboConfigSchema, HAND_SIZE, MAX_PLAYERS, MIN_PLAYERS, type CaboConfig } from "@tavern/shared/cabo/rules";
import { TavernError } from "@tavern/shared/errors";
import { newDeck, shuffle } from "./deck";
import { invalidPhase } from "./refusals";
import { type CaboContext, type CaboState, type CaboStep, type Draft, type Player, type SeatId } from "./state";
import { endSetup, firstSeatOfRound } from "./turns";

const SECOND = 1000;

/** A new match between `seats` (in seat order, 2 to 6 distinct ids), its first round dealt. */
export function newMatch(seats: readonly SeatId[], config: Partial<CaboConfig>, ctx: CaboContext, match = 1): CaboStep {
  if (seats.length < MIN_PLAYERS || seats.length > MAX_PLAYERS) {
    throw new TavernError("VALIDATION_ERROR", `Cabo takes ${MIN_PLAYERS} to ${MAX_PLAYERS} players, not ${seats.length}.`);
  }
  if (new Set(seats).size !== seats.length || seats.some((s) => typeof s !== "string" || s.length === 0)) {
    throw new TavernError("VALIDATION_ERROR", "Each seat needs its own non-empty id.");
  }
  const parsed = caboConfigSchema.safeParse(config);
  if (!parsed.success) throw new TavernError("VALIDATION_ERROR", "Invalid Cabo config.");
  const players: Player[] = seats.map((seat) => ({
    seat,
    hand: [],
    total: 0,
    left: false,
    inRound: false,
    turnsTaken: 0,
    setupDone: false,
  }));
  const state: CaboState = {
    config: parsed.data,
    match,
    round: 0,
    phase: "roundEnd",
    players,
    drawPile: [],
    discard: [],
    setupUntil: null,
    turn: null,
    cabo: null,
    history: [],
    winners: [],
  };
  const draft: Draft = { state, events: [], now: ctx.now };
  deal(draft, ctx);
  return { state: draft.state, events: draft.events };
}

/** The next round of the match, once the last one was scored. */
export function nextRound(state: CaboState, ctx: CaboContext): CaboStep {
  if (state.phase !== "roundEnd") {
    throw invalidPhase(state.phase, state.phase === "matchEnd" ? "The match is over: play again." : "The round is still running.");
  }
  const draft: Draft = { state: structuredClone(state), events: [], now: ctx.now };
  deal(draft, ctx);
  return { state: draft.state, events: draft.events };
}

/**
 * A new match once this one has ended: totals back to 0, the same config unless another is given,
 * between the players still there unless the room names the seats (someone joined or left).
 */
export function playAgain(
  state: CaboState,
  ctx: CaboContext,
  options: { seats?: readonly SeatId[]; config?: Partial<CaboConfig> } = {},
): CaboStep {
  if (state.phase !== "matchEnd") throw invalidPhase(state.phase, "Play again once the match is over.");
  const seats = options.seats ?? state.players.filter((p) => !p.left).map((p) => p.seat);
  return newMatch(seats, options.config ?? state.config, ctx, state.match + 1);
}

/**
 * Shuffles the whole deck and deals 4 face down to each player still there, one card to start the
 * discard pile, the rest as the draw pile; then the setup peek (or the first turn without one).
 */
function deal(draft: Draft, ctx: CaboContext): void {
  const s = draft.state;
  const deck = shuffle(newDeck(), ctx.rng);
  s.round++;
  s.cabo = null;
  s.turn = null;
  s.winners = [];
  for (const p of s.players) {
    p.inRound = !p.left;
    p.turnsTaken = 0;
    p.setupDone = false;
    p.hand = [];
  }
  const dealt = s.players.filter((p) => p.inRound);
  for (let i = 0; i < HAND_SIZE; i++) for (const p of dealt) p.hand.push({ value: deck.pop() ?? 0, faceUp: false });
  s.discard = [deck.pop() ?? 0];
  s.drawPile = deck;
  s.phase = "setup";
  s.setupUntil = draft.now + s.config.peekSeconds * SECOND;
  draft.events.push({
    type: "roundStarted",
    match: s.match,
    round: s.round,
    firstSeat: firstSeatOfRound(s) ?? "",
    setupUntil: s.config.peekSeconds > 0 ? s.setupUntil : null,
  });
  if (s.config.peekSeconds === 0) endSetup(draft);
}
