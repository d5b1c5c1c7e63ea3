/**
 * The entitlement oracle of a game with hidden information, for any room type: every state frame
 * the server sends to a client is decoded, at the moment it is sent, by a decoder of the test's
 * own, and what that decoder then holds is checked against what the viewer is entitled to at that
 * very moment (the rules' own answer, read from the server's room). After every broadcast every
 * client is checked again, so a value whose window closed must have been taken away by then.
 * A game gives two functions: what a decoded state holds, and what a viewer is entitled to.
 */
import { Protocol } from "@colyseus/core";
import { Decoder, type Schema } from "@colyseus/schema";
import { WebSocketClient } from "@colyseus/ws-transport";
import { STATE_CODES, frameCode } from "./frames";

/** Values by the place they lie (a key both functions agree on, e.g. "hand:<seat>:<position>"). */
export type Holdings = Map<string, number>;

export interface EntitlementRules<S extends Schema> {
  /** A fresh state of the room's class, for the test's decoders. */
  newState(): S;
  /** Whose frames these are: a player id, or null for a spectator; undefined for a client not under test. */
  viewerOf(client: { auth?: unknown; sessionId: string }): string | null | undefined;
  holdings(decoded: S, viewer: string | null): Holdings;
  entitled(viewer: string | null): Holdings;
}

export interface OracleReport {
  framesChecked: number;
  checks: number;
  violations: string[];
  /** Also checks every client after each broadcast of this room (call once the room exists). */
  watchBroadcasts(room: { broadcastPatch(): boolean }): void;
  stop(): void;
}

/** WebSocket readyState of an open connection. */
const OPEN = 1;

interface Watched<S extends Schema> {
  decoder: Decoder<S> | undefined;
  viewer: string | null;
}

/**
 * Starts watching every WebSocket client of the process that `viewerOf` names; `watchBroadcasts`
 * adds the room's broadcasts once it exists.
 */
export function watchEntitlements<S extends Schema>(rules: EntitlementRules<S>): OracleReport {
  const watched = new Map<object, Watched<S>>();
  const undo: (() => void)[] = [];
  const report: OracleReport = {
    framesChecked: 0,
    checks: 0,
    violations: [],
    watchBroadcasts: (room) => {
      const original = room.broadcastPatch.bind(room);
      room.broadcastPatch = () => {
        const sent = original();
        for (const [client, w] of watched) {
          // A closed connection receives nothing more (a dropped client's next life is a new connection).
          if ((client as { ref?: { readyState?: number } }).ref?.readyState !== OPEN) watched.delete(client);
          else check(w, "after a broadcast");
        }
        return sent;
      };
      undo.push(() => (room.broadcastPatch = original));
    },
    stop: () => undo.splice(0).forEach((f) => f()),
  };
  const check = (w: Watched<S>, when: string) => {
    if (!w.decoder) return;
    report.checks++;
    const held = rules.holdings(w.decoder.state, w.viewer);
    const allowed = rules.entitled(w.viewer);
    for (const [where, value] of held) {
      if (allowed.get(where) !== value) {
        report.violations.push(
          `${when}: ${w.viewer ?? "spectator"} holds ${where}=${value}, entitled to ${allowed.get(where) ?? "nothing"}`,
        );
      }
    }
  };

  const prototype = WebSocketClient.prototype as unknown as { raw(data: Uint8Array, ...rest: unknown[]): void };
  const originalRaw = prototype.raw;
  prototype.raw = function (this: WebSocketClient, data: Uint8Array, ...rest: unknown[]) {
    originalRaw.call(this, data, ...rest);
    const viewer = rules.viewerOf(this as unknown as { auth?: unknown; sessionId: string });
    if (viewer === undefined || !STATE_CODES.has(frameCode(data))) return;
    let w = watched.get(this);
    if (!w) {
      w = { decoder: undefined, viewer };
      watched.set(this, w);
    }
    // A full state starts the client's decoding over (a join, a reconnection).
    if (frameCode(data) === Protocol.ROOM_STATE || !w.decoder) w.decoder = new Decoder(rules.newState());
    w.decoder.decode(data, { offset: 1 });
    report.framesChecked++;
    check(w, "on a frame");
  };

  undo.push(() => (prototype.raw = originalRaw));
  return report;
}
