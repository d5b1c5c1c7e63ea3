/**
 * Close reasons carry no text but ours. Colyseus builds some reasons from client input (an
 * unregistered message type), and `ws` throws when a reason is over 123 bytes, from inside its
 * listener, where nothing of the room's can catch it. Every connection closes through
 * WebSocketClient.leave(), so that one method is where the reason is replaced by a fixed word
 * chosen by the close code: the code says why, and what a player should read arrives before the
 * close as a `closing` message.
 */
import { CloseCode } from "@colyseus/core";
import { WebSocketClient } from "@colyseus/ws-transport";
import { CLOSE_CODES } from "@tavern/shared/protocol";

const REASONS: Readonly<Record<number, string>> = {
  [CloseCode.CONSENTED]: "left",
  [CloseCode.WITH_ERROR]: "closed by the server",
  [CLOSE_CODES.IDLE]: "idle",
  [CLOSE_CODES.KICKED]: "kicked",
  [CLOSE_CODES.REPLACED]: "replaced",
};

/** The reason sent with `code`: a fixed ASCII word, whatever the caller passed. */
export function closeReasonFor(code: number | undefined): string | undefined {
  return code === undefined ? undefined : REASONS[code];
}

let installed = false;

/** Replaces WebSocketClient.leave once per process (idempotent: tests build many servers). */
export function installCloseReasonGuard(): void {
  if (installed) return;
  installed = true;
  const leave = WebSocketClient.prototype.leave;
  WebSocketClient.prototype.leave = function guardedLeave(this: WebSocketClient, code?: number, _reason?: string | Buffer) {
    leave.call(this, code, closeReasonFor(code));
  };
}
