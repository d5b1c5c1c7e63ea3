/**
 * One simulated player in a Colyseus room of the shared space (Tavern's `space`, or the bare
 * Colyseus room of loadtest/bare), as a SpacePeer: the SDK room it joined, fed by schema patches,
 * and the byte count of its WebSocket from the first frame on. Both states hold the players in a
 * map keyed by player id and the send time of the last moving patch, which is all a peer reads.
 */
import { Client, Protocol, type Room } from "@colyseus/sdk";
import type { SchemaConstructor } from "@colyseus/sdk/serializer/SchemaSerializer";
import { leaveQuietly } from "../clientKit";
import { payloadBytes } from "../payloadBytes";
import type { SeenPlayer, SpacePeer } from "./target";

/** What a peer reads of a room's state: the players by id, and the last moving patch's send time. */
export interface PeerState {
  players?: { size: number; forEach(callback: (player: { name: string }, id: string) => void): void };
  serverTime: number;
}

/** The low bits of a frame's first byte hold its protocol code (the rest are modifier flags). */
const PROTOCOL_CODE_MASK = 0x1f;

/**
 * A Colyseus client that counts the WebSocket payload bytes its rooms receive from the socket's
 * first frame (the join handshake and the first full state included), as the Socket.IO peers
 * do. Counting on the room after join() resolved would miss frames already delivered by then,
 * more or fewer depending on timing. One client per simulated player, so one count per player.
 */
export class CountingClient extends Client {
  private received = 0;

  bytesReceived(): number {
    return this.received;
  }

  protected override createRoom<T>(roomName: string, rootSchema?: SchemaConstructor<T>) {
    const room = super.createRoom<T>(roomName, rootSchema);
    const connect = room.connect.bind(room);
    // The SDK creates the WebSocket synchronously in connect() and dispatches its messages from
    // later tasks, so a listener added right after connect() sees every frame.
    room.connect = (...args: Parameters<typeof connect>) => {
      connect(...args);
      const socket = (room.connection.transport as { ws?: WebSocket }).ws;
      socket?.addEventListener("message", (event: MessageEvent) => {
        this.received += payloadBytes(event.data);
      });
    };
    return room;
  }
}

export class ColyseusPeer<S extends PeerState = PeerState> implements SpacePeer {
  private closing = false;
  private lastServerTime = 0;
  private readonly timeListeners: Array<(serverTimeMs: number, receivedAtMs: number) => void> = [];

  constructor(
    readonly id: string,
    private readonly room: Room<unknown, S>,
    private readonly client: CountingClient,
  ) {
    room.onMessage("*", () => {}); // announcements and replies are counted in bytes, not handled
    room.onStateChange((state) => {
      const serverTime = state.serverTime;
      if (serverTime > this.lastServerTime) {
        this.lastServerTime = serverTime;
        const receivedAt = Date.now();
        for (const listener of this.timeListeners) listener(serverTime, receivedAt);
      }
    });
  }

  players(): SeenPlayer[] {
    const seen: SeenPlayer[] = [];
    this.room.state?.players?.forEach((player, id) => seen.push({ id, name: player.name }));
    return seen;
  }

  playerCount(): number {
    return this.room.state?.players?.size ?? 0;
  }

  onUpdate(listener: () => void): void {
    // Fires after each decoded patch (and the first full state), once the state is updated.
    this.room.onStateChange(() => listener());
  }

  move(dx: number, dy: number): void {
    if (this.room.connection.isOpen) this.room.send("move", { dx, dy });
  }

  bytesReceived(): number {
    return this.client.bytesReceived();
  }

  stopDecoding(): void {
    // The SDK hands every frame to this one handler; patches are skipped, everything else (errors,
    // leave, messages) still goes through, so leaving and drops work as before. The byte count
    // listens on the socket itself and keeps counting.
    const events = this.room.connection.events;
    const dispatch = events.onmessage;
    events.onmessage = (event: MessageEvent) => {
      const data = event.data as unknown;
      if (
        data instanceof ArrayBuffer &&
        data.byteLength > 0 &&
        ((new Uint8Array(data, 0, 1)[0] ?? 0) & PROTOCOL_CODE_MASK) === Protocol.ROOM_STATE_PATCH
      )
        return;
      dispatch?.(event);
    };
  }

  onServerTime(listener: (serverTimeMs: number, receivedAtMs: number) => void): void {
    this.timeListeners.push(listener);
  }

  onDrop(listener: (reason: string) => void): void {
    let told = false;
    const tell = (reason: string) => {
      if (this.closing || told) return;
      told = true;
      listener(reason);
    };
    this.room.onDrop((code, reason) => tell(`dropped (${code}${reason ? ` ${reason}` : ""})`));
    this.room.onLeave((code) => tell(`left by the server (${code})`));
  }

  close(): Promise<boolean> {
    this.closing = true;
    return leaveQuietly(this.room);
  }
}
