/**
 * A refused Cabo move in words a player understands. The rules name seats by their ids and say
 * why in `details.reason`; this turns both into a sentence with the players' names.
 */
import type { InvalidMoveReason } from "@tavern/shared/cabo/moves";
import { isErrorBody, toErrorBody } from "@tavern/shared/errors";
import { describeError } from "../net/describeError";

const REASONS: Readonly<Record<InvalidMoveReason, string>> = {
  noDrawnCard: "Draw a card first.",
  alreadyDrew: "You already hold a drawn card: swap it into your hand or discard it.",
  windowOpen: "You are still looking at a card: press Done looking to end your turn.",
  noWindow: "There is no card to stop looking at.",
  noSuchPosition: "There is no card there.",
  duplicatePosition: "Pick each card only once.",
  notAPowerCard: "That card has no power: discard it without one.",
  wrongPower: "That card has a different power.",
  noSuchSeat: "That player is not in this round.",
  targetIsYou: "Pick another player's card for that.",
  caboTooEarly: "Cabo cannot be called before everyone has had a turn.",
  caboAlreadyCalled: "Cabo has already been called this round.",
  alreadyDone: "You have already finished looking at your cards.",
};

export function describeRefusal(err: unknown, nameOf: (seat: string) => string): string {
  const e = isErrorBody(err) ? err : toErrorBody(err);
  const details = e.details ?? {};
  if (e.code === "NOT_YOUR_TURN") {
    const turn = typeof details["turn"] === "string" ? details["turn"] : undefined;
    return turn ? `Not your turn: it is ${nameOf(turn)}'s turn. Wait until it is yours.` : "Not your turn: wait until it is yours.";
  }
  if (e.code === "INVALID_MOVE") {
    const reason = details["reason"];
    return typeof reason === "string" && Object.hasOwn(REASONS, reason)
      ? `That move is not allowed: ${REASONS[reason as InvalidMoveReason]}`
      : "That move is not allowed now.";
  }
  return describeError(e);
}
