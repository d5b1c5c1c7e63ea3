/** The live list of public rooms, each with a Join button. */
import { ROOM_TYPES, type RoomType } from "@tavern/shared/protocol";
import type { TavernConnection } from "../../net/connection";
import type { ListedRoom } from "../../net/roomList";
import type { Attempt } from "./Lobby";

export function PublicRooms({ conn, rooms, attempt }: { conn: TavernConnection; rooms: ListedRoom[]; attempt: Attempt }) {
  return (
    <div>
      <h2>Public rooms</h2>
      <ul id="room-list">
        {rooms.length === 0 && <li class="empty">No public rooms yet.</li>}
        {rooms.map((room) => {
          const meta = room.metadata ?? {};
          // The listing names the room type, so no lookup is needed before joining.
          const type = (ROOM_TYPES as readonly string[]).includes(room.name) ? (room.name as RoomType) : undefined;
          return (
            <li key={room.roomId}>
              {`${meta.code ?? "?"} · ${room.name} · ${meta.players ?? 0}/${meta.maxPlayers ?? "?"} · ${meta.phase ?? ""} · host ${meta.hostName ?? ""}`}
              <button onClick={() => attempt(() => conn.joinByCode(meta.code ?? "", false, type))}>Join</button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
