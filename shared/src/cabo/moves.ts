/**
 * The wire payloads of Cabo's moves: what a player sends, validated before the rules see it. One
 * request (`move`) carries one of these, told apart by `type`; the rules answer a legal move with
 * the next state and refuse the others with NOT_YOUR_TURN, INVALID_PHASE or INVALID_MOVE, whose
 * `details.reason` is one of INVALID_MOVE_REASONS. docs/CABO.md describes each move.
 */
import { z } from "zod";
import { MAX_POSITIONS } from "./rules";

/** The seat a move names: the player id the room gave that seat. */
export const caboSeatSchema = z.string().min(1).max(64);
export const positionSchema = z
  .number()
  .int()
  .min(0)
  .max(MAX_POSITIONS - 1);

/** The power of a discarded 7/8 (peek), 9/10 (spy) or 11/12 (swap), if the player uses it. */
export const powerUseSchema = z.discriminatedUnion("kind", [
  /** Look at one of your own cards. */
  z.object({ kind: z.literal("peek"), position: positionSchema }).strict(),
  /** Look at one card of another player. */
  z.object({ kind: z.literal("spy"), seat: caboSeatSchema, position: positionSchema }).strict(),
  /** Exchange your card at `position` with another player's card at `targetPosition`, neither seen. */
  z.object({ kind: z.literal("swap"), position: positionSchema, seat: caboSeatSchema, targetPosition: positionSchema }).strict(),
]);
export type PowerUse = z.infer<typeof powerUseSchema>;

export const caboMoveSchema = z.discriminatedUnion("type", [
  /** Stop looking at your positions 0 and 1 before the setup peek runs out. */
  z.object({ type: z.literal("setupDone") }).strict(),
  /** Take the top card of the draw pile (only you see it). */
  z.object({ type: z.literal("draw") }).strict(),
  /**
   * Put the drawn card in place of the cards at `positions`. Several positions only replace if all
   * their cards share one value; otherwise you keep them all and the drawn card becomes a new position.
   */
  z
    .object({
      type: z.literal("swap"),
      positions: z
        .array(positionSchema)
        .min(1)
        .max(MAX_POSITIONS)
        .refine((list) => new Set(list).size === list.length, "positions must differ"),
    })
    .strict(),
  /** Put the drawn card face up on the discard pile, using its power if it has one and you want to. */
  z.object({ type: z.literal("discard"), power: powerUseSchema.optional() }).strict(),
  /** Take the top discard (instead of drawing) and put it in place of your card at `position`. */
  z.object({ type: z.literal("takeDiscard"), position: positionSchema }).strict(),
  /** End the round: every other player has one more turn. Not in the first round of turns. */
  z.object({ type: z.literal("callCabo") }).strict(),
  /** Stop looking at a peeked or spied card before its window runs out; ends the turn. */
  z.object({ type: z.literal("closeWindow") }).strict(),
]);
export type CaboMove = z.infer<typeof caboMoveSchema>;
export type CaboMoveType = CaboMove["type"];

/** Requests of the `cabo` room besides the lifecycle ones. */
export const caboRequests = {
  move: caboMoveSchema,
} as const;

/** Why a move was INVALID_MOVE (`details.reason`), so a client can say it in its own words. */
export const INVALID_MOVE_REASONS = [
  /** swap or discard before drawing. */
  "noDrawnCard",
  /** draw, takeDiscard or callCabo after drawing. */
  "alreadyDrew",
  /** any move but closeWindow while a peeked or spied card is shown. */
  "windowOpen",
  /** closeWindow with no window open. */
  "noWindow",
  /** a position out of the hand or where no card lies (a hole left by a multi-swap). */
  "noSuchPosition",
  "duplicatePosition",
  /** a power on a discarded card that has none. */
  "notAPowerCard",
  /** a power other than the discarded card's. */
  "wrongPower",
  /** a target seat that is not in the round. */
  "noSuchSeat",
  /** spy or swap aimed at your own cards. */
  "targetIsYou",
  /** callCabo in the first round of turns. */
  "caboTooEarly",
  "caboAlreadyCalled",
  /** setupDone sent twice. */
  "alreadyDone",
] as const;
export type InvalidMoveReason = (typeof INVALID_MOVE_REASONS)[number];
