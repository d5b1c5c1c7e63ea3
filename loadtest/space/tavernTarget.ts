/**
 * Tavern's space room behind the load scripts' SpaceTarget. Preparing a player signs a guest in
 * over HTTP (outside any timed join, as a game client signs in once on start); create and join
 * then go through the Colyseus SDK (HTTP matchmaking, WebSocket, join handshake) and resolve once
 * the first state holding this player has been decoded. SpaceState is passed to the SDK, so, like
 * the real client, it skips the schema handshake. Movement goes as fire-and-forget `move` messages.
 */
import { SpaceState } from "@tavern/shared/state";
import { signIn, whenState } from "../clientKit";
import type { PreparedPlayer, SpaceTarget } from "./target";
import type { Room } from "@colyseus/sdk";
import { ColyseusPeer, CountingClient } from "./colyseusPeer";

/** How long one sign-in may take when the caller sets no deadline. */
const SIGN_IN_TIMEOUT_MS = 30_000;

type SpaceRoom = Room<unknown, SpaceState>;

export function tavernTarget(endpoint: string): SpaceTarget<ColyseusPeer<SpaceState>> {
  return {
    name: "tavern",
    endpoint,
    async prepare(playerName, deadline = Date.now() + SIGN_IN_TIMEOUT_MS): Promise<PreparedPlayer<ColyseusPeer<SpaceState>>> {
      const session = await signIn(endpoint, playerName, deadline);
      const client = new CountingClient(endpoint);
      client.auth.token = session.token;
      const seat = async (room: SpaceRoom) => {
        // Until the first state holding this player arrives, the client cannot show the room.
        const roomKey = await whenState(room, (state) => (state.code && state.players?.has(session.playerId) ? state.code : undefined));
        return { peer: new ColyseusPeer(session.playerId, room, client), roomKey };
      };
      return {
        async create(capacity) {
          return seat((await client.create("space", { config: { maxPlayers: capacity } }, SpaceState)) as SpaceRoom);
        },
        async join(roomKey) {
          return (await seat((await client.join("space", { code: roomKey }, SpaceState)) as SpaceRoom)).peer;
        },
        // A signed-in client holds no connection until it creates or joins.
        discard: () => Promise.resolve(),
      };
    },
  };
}
