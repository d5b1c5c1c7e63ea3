/**
 * Cabo's constants, written once for the server's rules, the room, the client and the tests: the
 * deck, the deal, the powers, the scoring numbers and the room config with its defaults.
 * docs/CABO.md says the same in words.
 */
import { z } from "zod";

export const MIN_CARD_VALUE = 0;
export const MAX_CARD_VALUE = 13;
/** A card is its value and nothing else: Cabo has no suits, so two cards of one value are the same card. */
export type CardValue = number;

/** How many cards of each value the deck holds: 0 and 13 twice, 1 to 12 four times (52 cards). */
export const DECK_COMPOSITION: Readonly<Record<CardValue, number>> = Object.freeze(
  Object.fromEntries(
    Array.from({ length: MAX_CARD_VALUE + 1 }, (_, value) => [value, value === MIN_CARD_VALUE || value === MAX_CARD_VALUE ? 2 : 4]),
  ),
);
export const DECK_SIZE = 52;

export const MIN_PLAYERS = 2;
export const MAX_PLAYERS = 6;
/** Cards dealt face down to each player, positions 0 to HAND_SIZE - 1. */
export const HAND_SIZE = 4;
/** The positions each player looks at during the setup peek. */
export const SETUP_PEEK_POSITIONS: readonly number[] = [0, 1];
/**
 * Positions are never renumbered (a replaced-away card leaves a hole, a kept drawn card takes a new
 * position at the end), so a hand's positions stay below the deck size; the wire bound is this.
 */
export const MAX_POSITIONS = DECK_SIZE;

/** 7/8 peek at one of your own cards, 9/10 spy on another player's card, 11/12 swap two cards unseen. */
export const POWER_KINDS = ["peek", "spy", "swap"] as const;
export type PowerKind = (typeof POWER_KINDS)[number];

export function powerOf(value: CardValue): PowerKind | null {
  if (value === 7 || value === 8) return "peek";
  if (value === 9 || value === 10) return "spy";
  if (value === 11 || value === 12) return "swap";
  return null;
}

/** Scoring: a caller who is not strictly lowest scores their sum plus this. */
export const CALLER_PENALTY = 10;
/** A total that lands exactly here drops to RESET_TOTAL_TO. */
export const RESET_TOTAL_AT = 100;
export const RESET_TOTAL_TO = 50;
/** The match ends once a total is above this. */
export const MATCH_LIMIT = 100;

/**
 * The room config of a Cabo room (besides the lifecycle's). Times are whole seconds as people set
 * them; the rules turn them into milliseconds.
 */
export const caboConfigSchema = z
  .object({
    /** How long each player sees their positions 0 and 1 at the start of a round (0: no setup peek). */
    peekSeconds: z.number().int().min(0).max(60).default(10),
    /** How long a turn may take before the player draws and discards automatically. */
    turnSeconds: z.number().int().min(5).max(600).default(60),
    /** How long a peeked or spied card stays shown (its window); the turn ends with the window. */
    revealSeconds: z.number().int().min(1).max(30).default(5),
    /** Whether the client may keep showing a card the player once saw. Off: the game is about memory. */
    memoryAid: z.boolean().default(false),
  })
  .strict();
export type CaboConfig = z.output<typeof caboConfigSchema>;

export const CABO_CONFIG_DEFAULTS: CaboConfig = Object.freeze(caboConfigSchema.parse({}));
