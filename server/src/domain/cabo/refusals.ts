/** The typed refusals of Cabo's rules: each a TavernError the room turns into a reply. */
import type { InvalidMoveReason } from "@tavern/shared/cabo/moves";
import { TavernError } from "@tavern/shared/errors";

export function invalidMove(reason: InvalidMoveReason, message: string): TavernError {
  return new TavernError("INVALID_MOVE", message, { reason });
}

export function notYourTurn(seat: string): TavernError {
  return new TavernError("NOT_YOUR_TURN", `It is ${seat}'s turn.`, { turn: seat });
}

export function invalidPhase(phase: string, message: string): TavernError {
  return new TavernError("INVALID_PHASE", message, { phase });
}

export function notAPlayer(): TavernError {
  return new TavernError("PERMISSION_DENIED", "Only players dealt into this round make moves.");
}
