/**
 * One simulated player on a Socket.IO baseline: a socket.io-client connection seated by `create`
 * or `join`, its own RoomReplica, a frame byte counter and the SpacePeer callbacks. A peer is
 * handed out only once its replica holds its own player (the first snapshot or the welcome), so
 * "joined" means the same on every target: seated and able to see the room.
 */
import { io, type Socket } from "socket.io-client";
import type { ErrorCode } from "@tavern/shared/errors";
import type { SeenPlayer, SpacePeer } from "../space/target";
import { countIncomingFrames, type FrameCounter } from "./frameBytes";
import { RoomReplica } from "./replica";
import type { AvatarView, BaselineMode, ClientToServerEvents, ServerToClientEvents, Stamped } from "./wire";

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export type Seating = { create: { capacity: number } } | { join: { roomKey: string } };

const CONNECT_TIMEOUT_MS = 10_000;
const SEAT_TIMEOUT_MS = 10_000;
const CLOSE_WAIT_MS = 2_000;

export class SocketIoPeer implements SpacePeer {
  private readonly replica = new RoomReplica();
  private readonly timeListeners: ((serverTimeMs: number, receivedAtMs: number) => void)[] = [];
  private readonly updateListeners: (() => void)[] = [];
  private readonly dropListeners: ((reason: string) => void)[] = [];
  private closing: Promise<boolean> | undefined;
  /** Set before disconnect(), which emits "disconnect" synchronously: that one is no drop. */
  private closeRequested = false;
  private dropped = false;
  private wrongMode: string | undefined;
  private changed: (() => void) | undefined;
  private seatedId = "";
  private readonly socket: ClientSocket;
  private readonly frames: FrameCounter;

  private constructor(mode: BaselineMode, endpoint: string, name: string) {
    this.socket = io(endpoint, {
      transports: ["websocket"],
      forceNew: true,
      reconnection: false,
      timeout: CONNECT_TIMEOUT_MS,
      auth: { name },
    });
    this.frames = countIncomingFrames(this.socket);
    this.listen(mode);
    this.socket.on("disconnect", (reason) => {
      if (this.closeRequested || this.dropped) return;
      this.dropped = true;
      for (const listener of this.dropListeners) listener(reason);
    });
  }

  /** Connects, takes a seat and waits until the room (with this peer in it) has arrived. */
  static async open(
    mode: BaselineMode,
    endpoint: string,
    name: string,
    seating: Seating,
  ): Promise<{ peer: SocketIoPeer; roomKey: string }> {
    const peer = new SocketIoPeer(mode, endpoint, name);
    try {
      await peer.connected();
      const reply =
        "create" in seating
          ? await peer.socket.timeout(SEAT_TIMEOUT_MS).emitWithAck("create", { name, capacity: seating.create.capacity })
          : await peer.socket.timeout(SEAT_TIMEOUT_MS).emitWithAck("join", { name, roomKey: seating.join.roomKey });
      if ("error" in reply) throw new SeatRefused(mode, reply.error);
      peer.seatedId = reply.id;
      await peer.seesItself(mode);
      return { peer, roomKey: reply.roomKey };
    } catch (error) {
      await peer.close();
      throw error;
    }
  }

  get id(): string {
    return this.seatedId;
  }

  players(): SeenPlayer[] {
    return this.replica.players();
  }

  playerCount(): number {
    return this.replica.playerCount();
  }

  onUpdate(listener: () => void): void {
    this.updateListeners.push(listener);
  }

  /** Not part of SpacePeer: this peer's view of one avatar, for tests and debugging. */
  avatarOf(playerId: string): AvatarView | undefined {
    return this.replica.avatar(playerId);
  }

  move(dx: number, dy: number): void {
    this.socket.emit("move", { dx, dy });
  }

  bytesReceived(): number {
    return this.frames.bytes();
  }

  stopDecoding(): void {
    // The Manager hands each Engine.IO data packet to its Socket.IO decoder (JSON.parse and event
    // dispatch); a no-op decoder leaves only the frame counting. Engine.IO pings and the socket's
    // close are handled below the decoder, so drops and close() still work. The field is private
    // in socket.io-client's types, hence the structural cast.
    const manager = this.socket.io as unknown as { decoder?: { add(data: unknown): void } };
    if (!manager.decoder) throw new Error("stopDecoding: socket.io-client has no decoder on its Manager (version changed?)");
    manager.decoder.add = () => {};
  }

  onServerTime(listener: (serverTimeMs: number, receivedAtMs: number) => void): void {
    this.timeListeners.push(listener);
  }

  onDrop(listener: (reason: string) => void): void {
    this.dropListeners.push(listener);
  }

  close(): Promise<boolean> {
    this.closeRequested = true;
    this.closing ??= (async () => {
      this.socket.disconnect();
      // Waiting for the WebSocket to close makes "closed" mean the server has seen it go; bounded,
      // and a close that never completes is reported (false), not thrown.
      let timer: NodeJS.Timeout | undefined;
      const giveUp = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), CLOSE_WAIT_MS)));
      const closed = await Promise.race([this.frames.closed.then(() => true), giveUp]);
      clearTimeout(timer);
      return closed;
    })().catch(() => false);
    return this.closing;
  }

  /**
   * Subscribes to the mode's messages only. The other mode's opening message ("welcome" or
   * "state") means the target was pointed at the wrong server: opening fails at once, rather than
   * a soak comparing the wrong two things.
   */
  private listen(mode: BaselineMode): void {
    const s = this.socket;
    const foreign = mode === "snapshot" ? "welcome" : "state";
    s.on(foreign, () => {
      this.wrongMode = `the server sent "${foreign}": it runs the other mode, not ${mode}`;
      this.changed?.();
    });
    if (mode === "snapshot") {
      s.on("state", (m) => this.apply(m, () => this.replica.replace(m)));
      return;
    }
    s.on("welcome", (m) => this.apply(m, () => this.replica.replace(m)));
    s.on("playerJoined", (m) => this.apply(m, () => this.replica.addPlayer(m)));
    s.on("playerLeft", (m) => this.apply(m, () => this.replica.removePlayer(m.id)));
    s.on("avatarMoved", (m) => this.apply(m, () => this.replica.moveAvatar(m)));
    s.on("hostChanged", (m) => this.apply(m, () => this.replica.setHost(m.hostId)));
  }

  private apply(message: Stamped, update: () => void): void {
    // Taken before the replica update: Socket.IO has just decoded the JSON, which is the moment
    // the interface asks for; applying a big snapshot is the load script's cost, not the server's.
    const receivedAt = Date.now();
    update();
    for (const listener of this.timeListeners) listener(message.serverTime, receivedAt);
    for (const listener of this.updateListeners) listener();
    this.changed?.();
  }

  private connected(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.once("connect", () => resolve());
      this.socket.once("connect_error", (error) => reject(error));
    });
  }

  private seesItself(mode: BaselineMode): Promise<void> {
    if (this.wrongMode) return Promise.reject(new Error(this.wrongMode));
    if (this.replica.has(this.seatedId)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = (error?: Error): void => {
        clearTimeout(timer);
        this.socket.off("disconnect", onDisconnect);
        this.changed = undefined;
        if (error) reject(error);
        else resolve();
      };
      const timer = setTimeout(
        () => done(new Error(`no ${mode === "snapshot" ? "state" : "welcome"} with this player within ${SEAT_TIMEOUT_MS} ms`)),
        SEAT_TIMEOUT_MS,
      );
      const onDisconnect = (reason: string): void => done(new Error(`disconnected before the room arrived: ${reason}`));
      this.socket.on("disconnect", onDisconnect);
      this.changed = () => {
        if (this.wrongMode) done(new Error(this.wrongMode));
        else if (this.replica.has(this.seatedId)) done();
      };
    });
  }
}

/**
 * A baseline's refusal, with the code Tavern gives the same refusal, so the storm's errors by code
 * read alike on every target (shared/src/errors.ts's toErrorBody takes an ErrorCode `code`).
 */
class SeatRefused extends Error {
  readonly code: ErrorCode;

  constructor(mode: BaselineMode, reason: string) {
    super(`${mode} baseline refused the seat: ${reason}`);
    this.code = reason === "room full" ? "ROOM_FULL" : reason === "no such room" ? "NOT_FOUND" : "VALIDATION_ERROR";
  }
}
