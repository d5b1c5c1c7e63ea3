/** What the platform API's tests share: admin credentials, keys issued through the admin API, a room of two. */
import assert from "node:assert/strict";
import { ADMIN, createSpace, httpJson, joinSpace, newPlayer, waitFor, type SpaceRoomClient } from "./harness";

export const ADMIN_HEADERS = { authorization: `Basic ${Buffer.from(`${ADMIN.user}:${ADMIN.password}`).toString("base64")}` };
export const ALL_SCOPES = ["rooms:read", "players:write", "games:write"];

/** A key issued by the admin API (its secret shown this once). */
export async function issueKey(scopes: string[], extra: Record<string, unknown> = {}): Promise<{ id: string; key: string }> {
  const res = await httpJson("POST", "/admin/api-keys", { name: "Dungeon Dash", scopes, ...extra }, ADMIN_HEADERS);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body as { id: string; key: string };
}

/** Two players seated in a new space room, each seeing both; their rooms go into `rooms` to be left after the test. */
export async function roomOfTwo(rooms: { connection: { isOpen: boolean }; leave: (c?: boolean) => Promise<number> }[]) {
  const host = await newPlayer("Ana");
  const guest = await newPlayer("Bo");
  const hostRoom: SpaceRoomClient = await createSpace(host);
  const code = hostRoom.state.code;
  const guestRoom = await joinSpace(guest, code);
  rooms.push(hostRoom, guestRoom);
  await waitFor("both seated in both views", () => hostRoom.state.players.size === 2 && guestRoom.state.players.size === 2);
  return { code, hostRoom, guestRoom, hostId: host.session.playerId, guestId: guest.session.playerId };
}
