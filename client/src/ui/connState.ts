/**
 * The connection's events as signals, subscribed once for the page's life: a component that
 * mounts a moment after an event (the knocks list after a join) still reads its latest value.
 */
import { signal, type Signal } from "@preact/signals";
import type { KnockSummary } from "@tavern/shared/protocol";
import type { GuestScope, TavernConnection } from "../net/connection";
import type { Knocking } from "../net/events";
import type { ConnectionStatus } from "../net/joined";
import type { ListedRoom } from "../net/roomList";

export interface ConnState {
  status: Signal<ConnectionStatus>;
  /** The signed-in guest's name, if any. */
  signedInAs: Signal<string | undefined>;
  /** The account the sign-in is claimed under, if any. */
  username: Signal<string | undefined>;
  /** Whether this tab uses the browser's guest or its own. */
  scope: Signal<GuestScope>;
  knock: Signal<Knocking | undefined>;
  knocks: Signal<KnockSummary[]>;
  rooms: Signal<ListedRoom[]>;
}

export function connState(conn: TavernConnection): ConnState {
  const state: ConnState = {
    status: signal(conn.status),
    signedInAs: signal(conn.session?.name),
    username: signal(conn.session?.username),
    scope: signal(conn.guestScope),
    knock: signal(undefined),
    knocks: signal([]),
    rooms: signal([]),
  };
  conn.on("status", (s) => (state.status.value = s));
  conn.on("session", (s) => {
    state.signedInAs.value = s?.name;
    state.username.value = s?.username;
    state.scope.value = conn.guestScope;
  });
  conn.on("knock", (k) => (state.knock.value = k));
  conn.on("knocks", (k) => (state.knocks.value = k));
  conn.on("rooms", (r) => (state.rooms.value = r));
  return state;
}
