/** Table rooms for the SDK tests: open one (create or join by code) once its state is there, close it until it is disposed. */
import type { Room } from "@colyseus/sdk";
import type { TableState } from "@tavern/shared/table/state";
import { harness, track, waitFor, type Player, type SpaceRoomClient } from "./harness";

export type TableClient = Room<unknown, TableState>;

export async function openTableRoom(player: Player, how: { create?: Record<string, unknown>; code?: string }): Promise<TableClient> {
  const room = (how.code
    ? await player.client.join("table", { code: how.code })
    : await player.client.create("table", how.create ?? {})) as unknown as TableClient;
  track(room as unknown as SpaceRoomClient);
  await waitFor("table state", () => Boolean(room.state?.publicHash));
  return room;
}

/** Leaves and waits until the server disposed the room (its session stored). */
export async function closeTableRoom(room: TableClient): Promise<void> {
  const { colyseus } = await harness();
  const roomId = room.roomId;
  await room.leave(true);
  await waitFor("room disposed", () => !isOpen(colyseus, roomId));
}

function isOpen(colyseus: Awaited<ReturnType<typeof harness>>["colyseus"], roomId: string): boolean {
  try {
    return Boolean(colyseus.getRoomById(roomId));
  } catch {
    return false;
  }
}
