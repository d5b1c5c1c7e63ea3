/**
 * The Socket.IO baselines as SpaceTargets, so the soak drives them exactly like Tavern. The
 * returned target's peers are SocketIoPeers (a SpacePeer plus avatarOf, which tests use).
 */
import type { SpaceTarget } from "../space/target";
import { SocketIoPeer } from "./peer";
import type { BaselineMode } from "./wire";

export interface SocketIoTarget extends SpaceTarget {
  readonly name: BaselineMode;
  createRoom(playerName: string, capacity: number): Promise<{ peer: SocketIoPeer; roomKey: string }>;
  joinRoom(roomKey: string, playerName: string): Promise<SocketIoPeer>;
}

export function socketIoTarget(name: BaselineMode, endpoint: string): SocketIoTarget {
  return {
    name,
    endpoint,
    createRoom: (playerName, capacity) => SocketIoPeer.open(name, endpoint, playerName, { create: { capacity } }),
    joinRoom: async (roomKey, playerName) => (await SocketIoPeer.open(name, endpoint, playerName, { join: { roomKey } })).peer,
  };
}
