/**
 * Failures in words a player understands, one wording per error code. Whatever was thrown (an
 * error reply, the SDK's own errors, a fetch that never reached the server) is read here, so no
 * screen shows "Failed to fetch", a schema validator's wording or "connection is not open".
 */
import { isErrorBody, toErrorBody, type ErrorBody } from "@tavern/shared/errors";
import { plainValidation } from "./plainWords";

export const UNREACHABLE = "Tavern's server cannot be reached right now: check your connection, or try again in a moment.";
export const NOT_CONNECTED = "You are not connected to the room right now: wait until the badge says connected, then try again.";

/** Error text a player understands, for whatever a failed action threw. */
export function describeError(err: unknown): string {
  if (isNetworkText(messageOf(err))) return UNREACHABLE;
  const e: ErrorBody = isErrorBody(err) ? err : toErrorBody(err);
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
      // An account's refusals (a wrong password) say what to do; a token's say to sign in again.
      return /password/i.test(e.message) ? e.message : "Your guest pass is no longer valid: sign in again.";
    case "ALREADY_EXISTS":
      return e.message;
    case "PERMISSION_DENIED":
      return `Not allowed: ${e.message}`;
    case "INVALID_PHASE":
      return `Not now: ${e.message}`;
    case "RATE_LIMITED":
      return "Slow down a little and try again.";
    case "VALIDATION_ERROR":
      return `Check your input: ${plainValidation(e.message)}`;
    case "VERSION_CONFLICT":
      return `Someone changed the session first: ${e.message}`;
    case "NOT_YOUR_TURN":
      return "Not your turn: wait until it is yours.";
    case "INVALID_MOVE":
      return `That move is not allowed: ${e.message}`;
    case "PERSISTENCE_ERROR":
      return "The server could not save that just now, so nothing changed: try again in a moment.";
    default:
      if (/connection is not open/i.test(e.message)) return NOT_CONNECTED;
      // Tavern's own messages are sentences; a runtime's (a bug, a socket) are not worth showing.
      return isSentence(e.message) ? `Something went wrong: ${e.message}` : "Something went wrong: try again in a moment.";
  }
}

function messageOf(err: unknown): string {
  const message = typeof err === "object" && err !== null ? (err as { message?: unknown }).message : undefined;
  return typeof message === "string" ? message : "";
}

function isSentence(text: string): boolean {
  return /^[A-Z][^\n]*[.!?]$/.test(text) && !/\b(?:TypeError|ReferenceError|SyntaxError|undefined|null)\b/.test(text);
}

/** What browsers say when a request never reached the server. */
function isNetworkText(message: string): boolean {
  return /failed to fetch|networkerror|load failed|network request failed/i.test(message);
}
