/**
 * How each mode turns room changes into Socket.IO traffic. Both send to Socket.IO rooms named by
 * the room code (io.to(code)), so Socket.IO encodes each broadcast once for all its receivers.
 */
import type { BaselineRoom } from "./room";
import type { BaselineIo, BaselineSocket } from "./serverTypes";
import type { BaselineMode } from "./wire";

export interface Broadcaster {
  /** `socket` has just been seated as `id` and put in the Socket.IO room. */
  joined(room: BaselineRoom, id: string, socket: BaselineSocket): void;
  left(room: BaselineRoom, id: string, hostChanged: boolean): void;
  /** Once per tick interval, after its steps; `moved` holds the avatars whose fields changed. */
  afterTick(room: BaselineRoom, moved: ReadonlySet<string>): void;
}

export function broadcasterFor(mode: BaselineMode, io: BaselineIo): Broadcaster {
  return mode === "snapshot" ? snapshotBroadcaster(io) : eventsBroadcaster(io);
}

/**
 * The naive approach: any change means everyone gets the whole room again. Changes are batched
 * into at most one snapshot per 20 Hz tick, which is kinder to this baseline than the common
 * "emit the state on every event" (a join storm or N movers would otherwise cost N snapshots).
 */
function snapshotBroadcaster(io: BaselineIo): Broadcaster {
  const dirty = new WeakSet<BaselineRoom>();
  return {
    joined: (room) => void dirty.add(room),
    left: (room) => void dirty.add(room),
    afterTick(room, moved) {
      if (moved.size === 0 && !dirty.has(room)) return;
      dirty.delete(room);
      // view() hands out live objects; emit serializes them right away, before the next step.
      io.to(room.code).emit("state", { ...room.view(), serverTime: Date.now() });
    },
  };
}

/** One JSON event per change: joins and leaves at once, moves one event per avatar per tick. */
function eventsBroadcaster(io: BaselineIo): Broadcaster {
  return {
    joined(room, id, socket) {
      const player = room.player(id);
      const avatar = room.avatar(id);
      if (!player || !avatar) return;
      const serverTime = Date.now();
      socket.emit("welcome", { ...room.view(), serverTime });
      socket.to(room.code).emit("playerJoined", { player, avatar, serverTime });
    },
    left(room, id, hostChanged) {
      const serverTime = Date.now();
      io.to(room.code).emit("playerLeft", { id, serverTime });
      if (hostChanged) io.to(room.code).emit("hostChanged", { hostId: room.hostId, serverTime });
    },
    afterTick(room, moved) {
      if (moved.size === 0) return;
      const serverTime = Date.now();
      for (const id of moved) {
        const avatar = room.avatar(id);
        if (avatar) io.to(room.code).emit("avatarMoved", { id, ...avatar, serverTime });
      }
    },
  };
}
