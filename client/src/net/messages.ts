/** The joined room's server messages, fanned out as connection events for the screens. */
import type { ErrorBody } from "@tavern/shared/errors";
import type { AnnouncementMessage, ClosingMessage, GuestSession, KnocksMessage } from "@tavern/shared/protocol";
import { describeError } from "./describeError";
import type { ConnectionEvents, Emit } from "./events";
import { lifecycleView, type JoinedRoom } from "./joined";

/** The listeners go with the room's own (removeAllListeners) when the link lets go of it. */
export function fanOutMessages(joined: JoinedRoom, emit: Emit<ConnectionEvents>): void {
  const room = lifecycleView(joined);
  room.onMessage("announcement", (m: AnnouncementMessage) => emit("announcement", m));
  room.onMessage("closing", (m: ClosingMessage) => emit("notice", { text: m.message, kind: "info" }));
  room.onMessage("error", (e: ErrorBody) => emit("notice", { text: describeError(e), kind: "error" }));
  room.onMessage("knocks", (m: KnocksMessage) => emit("knocks", m.knocks));
  room.onMessage("session", (s: GuestSession) => emit("renewedSession", s));
}
