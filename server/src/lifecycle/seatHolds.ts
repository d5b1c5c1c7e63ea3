/**
 * What keeps a dropped player's seat for the grace period. Two kinds, one interface for the seat
 * book: Colyseus's reconnection (the SDK comes back with its reconnection token), and Tavern's own
 * hold for a connection Colyseus cannot hold: one dropped before its join, or its reconnection,
 * was acknowledged by the client. Colyseus refuses `allowReconnection` for such a connection
 * ("not joined"), and the client's token is then useless (or was rotated on a reply it never
 * received); a join by code with the same identity within the grace takes the held seat back.
 */
import type { Client, ClientPrivate, Deferred } from "@colyseus/core";

export type HoldEnd = "reclaimed" | "kicked";

export interface SeatHold {
  /** The seat stays while its connection is gone: the room's onLeave must not free it. */
  readonly outlivesConnection: boolean;
  /** The hold ends before its time: the player took the seat back, or was kicked. */
  end(why: HoldEnd): void;
}

/** Whether Colyseus can hold this connection's seat: it saw the client acknowledge the join (Room.allowReconnection's own test). */
export function joinAcknowledged(client: Client): boolean {
  return (client as Client & ClientPrivate)._enqueuedMessages === undefined;
}

/** Colyseus's reconnection: ending it rejects the SDK's way back, and the room's onLeave follows. */
export function reconnectionHold(reconnection: Deferred<Client>): SeatHold {
  return {
    outlivesConnection: false,
    end: (why) => reconnection.reject(new Error(why === "kicked" ? "kicked" : "seat reclaimed by a new connection")),
  };
}

/** Tavern's own hold: a timer for the grace, after which `expired` frees the seat. */
export class RejoinHold implements SeatHold {
  readonly outlivesConnection = true;
  private readonly timer: NodeJS.Timeout;

  constructor(
    graceMs: number,
    private readonly outcome: { expired(): void; ended(why: HoldEnd): void },
  ) {
    this.timer = setTimeout(() => outcome.expired(), graceMs);
    this.timer.unref();
  }

  end(why: HoldEnd): void {
    clearTimeout(this.timer);
    this.outcome.ended(why);
  }

  /** The room is going away: no seat to free later. */
  cancel(): void {
    clearTimeout(this.timer);
  }
}
