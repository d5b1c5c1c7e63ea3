/**
 * The bare Colyseus room (room.ts) as a SpaceTarget, driven exactly like Tavern's: the same SDK,
 * HTTP matchmaking, WebSocket and join handshake, and a join that ends at the first state holding
 * this player. It has no sign-in, so preparing a player does nothing; the room's key is its id.
 * The state class is passed to the SDK, as Tavern's target passes SpaceState, so neither decodes a
 * schema handshake the other skips.
 */
import type { Room } from "@colyseus/sdk";
import { whenState } from "../clientKit";
import { ColyseusPeer, CountingClient } from "../space/colyseusPeer";
import type { PreparedPlayer, SpaceTarget } from "../space/target";
import { BareState } from "./state";

type BareRoom = Room<unknown, BareState>;

export function bareColyseusTarget(endpoint: string): SpaceTarget<ColyseusPeer<BareState>> {
  return {
    name: "colyseus",
    endpoint,
    prepare(playerName): Promise<PreparedPlayer<ColyseusPeer<BareState>>> {
      const client = new CountingClient(endpoint);
      const seat = async (room: BareRoom) => {
        await whenState(room, (state) => (state.players?.has(room.sessionId) ? true : undefined));
        return { peer: new ColyseusPeer(room.sessionId, room, client), roomKey: room.roomId };
      };
      return Promise.resolve({
        async create(capacity) {
          return seat((await client.create("space", { name: playerName, capacity }, BareState)) as BareRoom);
        },
        async join(roomKey) {
          return (await seat((await client.joinById(roomKey, { name: playerName }, BareState)) as BareRoom)).peer;
        },
        discard: () => Promise.resolve(),
      });
    },
  };
}
