/**
 * The Socket.IO baselines as SpaceTargets, so the load scripts drive them exactly like Tavern. The
 * returned target's peers are SocketIoPeers (a SpacePeer plus avatarOf, which tests use).
 *
 * A baseline has no sign-in (the name travels in the Socket.IO handshake), so preparing a player
 * does nothing, and create/join cover the whole way in: the Socket.IO connection (WebSocket,
 * Engine.IO open, Socket.IO connect), the seat request and its ack, and the first room view that
 * includes this player. Tavern's create/join likewise open their WebSocket (after an HTTP
 * matchmaking request) and end at the first state holding the player: both time a client that
 * arrives and takes a seat; only Tavern's guest sign-in stays outside.
 */
import type { PreparedPlayer, SpaceTarget } from "../space/target";
import { SocketIoPeer } from "./peer";
import type { BaselineMode } from "./wire";

export interface SocketIoTarget extends SpaceTarget<SocketIoPeer> {
  readonly name: BaselineMode;
}

export function socketIoTarget(name: BaselineMode, endpoint: string): SocketIoTarget {
  return {
    name,
    endpoint,
    prepare: (playerName): Promise<PreparedPlayer<SocketIoPeer>> =>
      Promise.resolve({
        create: (capacity) => SocketIoPeer.open(name, endpoint, playerName, { create: { capacity } }),
        join: async (roomKey) => (await SocketIoPeer.open(name, endpoint, playerName, { join: { roomKey } })).peer,
        discard: () => Promise.resolve(),
      }),
  };
}
