/**
 * One client's life on a baseline server: seat it (create or join, answered by ack), pass its held
 * direction to the room, and free its seat when the socket goes. A socket holds at most one seat.
 */
import { randomUUID } from "node:crypto";
import type { Broadcaster } from "./broadcast";
import { createRequest, handshakeAuth, joinRequest, moveInput } from "./requests";
import type { BaselineRoom } from "./room";
import type { RoomDirectory } from "./roomDirectory";
import type { BaselineSocket } from "./serverTypes";
import type { JoinReply } from "./wire";

type Ack = (reply: JoinReply) => void;

export function handleConnection(socket: BaselineSocket, rooms: RoomDirectory, broadcaster: Broadcaster): void {
  const auth = handshakeAuth.safeParse(socket.handshake.auth);
  const handshakeName = auth.success ? auth.data.name : undefined;
  let seated: { room: BaselineRoom; id: string } | undefined;

  const seat = (room: BaselineRoom, name: string): JoinReply => {
    const id = randomUUID();
    room.add(id, name);
    seated = { room, id };
    // join() is synchronous with the default in-memory adapter: the next broadcast reaches it.
    void socket.join(room.code);
    broadcaster.joined(room, id, socket);
    return { id, roomKey: room.code };
  };

  // Handlers take `unknown`: the typed event map describes honest clients, not what may arrive.
  socket.on("create", (payload: unknown, maybeAck: unknown) => {
    const ack = asAck(maybeAck);
    if (!ack) return;
    const request = createRequest.safeParse(payload);
    const name = request.success ? (request.data.name ?? handshakeName) : undefined;
    if (!request.success || name === undefined) return ack({ error: "invalid create request" });
    if (seated) return ack({ error: "already in a room" });
    ack(seat(rooms.open(request.data.capacity), name));
  });

  socket.on("join", (payload: unknown, maybeAck: unknown) => {
    const ack = asAck(maybeAck);
    if (!ack) return;
    const request = joinRequest.safeParse(payload);
    const name = request.success ? (request.data.name ?? handshakeName) : undefined;
    if (!request.success || name === undefined) return ack({ error: "invalid join request" });
    if (seated) return ack({ error: "already in a room" });
    const room = rooms.find(request.data.roomKey);
    if (!room) return ack({ error: "no such room" });
    if (room.isFull()) return ack({ error: "room full" });
    ack(seat(room, name));
  });

  socket.on("move", (payload: unknown) => {
    const input = moveInput.safeParse(payload);
    if (input.success && seated) seated.room.hold(seated.id, input.data.dx, input.data.dy);
  });

  socket.on("disconnect", () => {
    if (!seated) return;
    const { room, id } = seated;
    seated = undefined;
    const { removed, hostChanged } = room.remove(id);
    if (removed) broadcaster.left(room, id, hostChanged);
    rooms.closeIfEmpty(room);
  });
}

/** Socket.IO passes the client's callback last; without one there is nobody to answer. */
function asAck(value: unknown): Ack | undefined {
  return typeof value === "function" ? (value as Ack) : undefined;
}
