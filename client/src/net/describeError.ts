/** Error replies (`{ code, message }`) in words a player understands, one wording per code. */
import type { ErrorBody } from "@tavern/shared/errors";

/** Error text a player understands, for each code. */
export function describeError(e: ErrorBody): string {
  switch (e.code) {
    case "NOT_FOUND":
      return `Not found: ${e.message}`;
    case "ROOM_FULL":
      return "That room is full.";
    case "KICKED":
      return "The host removed you from that room.";
    case "KNOCK_REQUIRED":
      return "That room is locked: knock to ask the host to let you in.";
    case "KNOCK_DENIED":
      return "The host did not let you in.";
    case "KNOCK_UNANSWERED":
      return `Nobody let you in: ${e.message}`;
    case "UNAUTHORIZED":
      return "Your guest pass is no longer valid: sign in again.";
    case "PERMISSION_DENIED":
      return `Not allowed: ${e.message}`;
    case "INVALID_PHASE":
      return `Not now: ${e.message}`;
    case "RATE_LIMITED":
      return "Slow down a little and try again.";
    case "VALIDATION_ERROR":
      return `Check your input: ${e.message}`;
    case "VERSION_CONFLICT":
      return `Someone changed the session first: ${e.message}`;
    default:
      return `Something went wrong: ${e.message}`;
  }
}
