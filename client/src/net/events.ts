/** The connection's events, and the tiny typed emitter the net parts share to tell the screens. */
import type { AnnouncementMessage, GuestSession, KnockSummary } from "@tavern/shared/protocol";
import type { ConnectionStatus, JoinedRoom } from "./joined";
import type { ListedRoom } from "./roomList";

/** A knock at a locked room, while it waits for the host's answer. */
export interface Knocking {
  code: string;
}

export type ConnectionEvents = {
  status: ConnectionStatus;
  /** The guest signed in (or out, undefined). */
  session: GuestSession | undefined;
  /** Set while this client waits at a locked room's door, undefined once the knock ended. */
  knock: Knocking | undefined;
  /** The host's view of who is knocking (empty when not host). */
  knocks: KnockSummary[];
  room: JoinedRoom | undefined;
  rooms: ListedRoom[];
  /** Something to tell the user: an error (a failure) or information (a room closed, for example). */
  notice: { text: string; kind: "error" | "info" };
  announcement: AnnouncementMessage;
  /** The server renewed this player's token (it was past half its life). */
  renewedSession: GuestSession;
};

export type Listener<T> = (value: T) => void;

export type Emit<Events> = <K extends keyof Events>(event: K, value: Events[K]) => void;

export class Emitter<Events> {
  // Keyed by event name; on() and emit() keep each set's value type in line with Events.
  private readonly listeners = new Map<keyof Events, Set<Listener<never>>>();

  /** Returns the unsubscribe. */
  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as Listener<never>);
    return () => set.delete(listener as Listener<never>);
  }

  readonly emit: Emit<Events> = (event, value) => {
    for (const listener of this.listeners.get(event) ?? []) (listener as Listener<typeof value>)(value);
  };
}
