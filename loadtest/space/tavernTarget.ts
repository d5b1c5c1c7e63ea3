/**
 * Tavern's space room behind the load scripts' SpaceTarget: a guest signs in over HTTP, then
 * creates or joins a `space` room through the Colyseus SDK; movement goes as fire-and-forget
 * `move` messages, as a game client sends input.
 */
import { Client, Protocol, type Room } from "@colyseus/sdk";
import { SpaceState } from "../../shared/src/state";
import { leaveQuietly, roomCodeOf, signIn } from "../clientKit";
import type { SpacePeer, SpaceTarget } from "./target";

type SpaceRoom = Room<unknown, SpaceState>;

/** The low bits of a frame's first byte hold its protocol code (the rest are modifier flags). */
const PROTOCOL_CODE_MASK = 0x1f;

/** How long one sign-in may take before the peer gives up. */
const SIGN_IN_TIMEOUT_MS = 30_000;

export function tavernTarget(endpoint: string): SpaceTarget {
  const connect = async (playerName: string) => {
    const session = await signIn(endpoint, playerName, Date.now() + SIGN_IN_TIMEOUT_MS);
    const client = new Client(endpoint);
    client.auth.token = session.token;
    return { client, playerId: session.playerId };
  };
  return {
    name: "tavern",
    endpoint,
    async createRoom(playerName, capacity) {
      const { client, playerId } = await connect(playerName);
      const room = (await client.create("space", { config: { maxPlayers: capacity } }, SpaceState)) as SpaceRoom;
      const peer = new TavernPeer(playerId, room);
      return { peer, roomKey: await roomCodeOf(room) };
    },
    async joinRoom(roomKey, playerName) {
      const { client, playerId } = await connect(playerName);
      const room = (await client.join("space", { code: roomKey }, SpaceState)) as SpaceRoom;
      return new TavernPeer(playerId, room);
    },
  };
}

class TavernPeer implements SpacePeer {
  private bytes = 0;
  private closing = false;
  private lastServerTime = 0;
  private readonly timeListeners: Array<(serverTimeMs: number, receivedAtMs: number) => void> = [];

  constructor(
    readonly id: string,
    private readonly room: SpaceRoom,
  ) {
    room.onMessage("*", () => {}); // announcements and replies are counted in bytes, not handled
    // The SDK exposes its socket; counting there sees every frame (patches, messages, replies).
    // Frames that arrived before this constructor (the join handshake, the first full state) are
    // not counted: the soak measures a window after everyone joined.
    const socket = (room.connection.transport as { ws?: WebSocket }).ws;
    socket?.addEventListener("message", (event: MessageEvent) => {
      this.bytes += payloadBytes(event.data);
    });
    room.onStateChange((state) => {
      const serverTime = state.serverTime;
      if (serverTime > this.lastServerTime) {
        this.lastServerTime = serverTime;
        const receivedAt = Date.now();
        for (const listener of this.timeListeners) listener(serverTime, receivedAt);
      }
    });
  }

  playerIds(): string[] {
    return this.room.state?.players ? [...this.room.state.players.keys()] : [];
  }

  move(dx: number, dy: number): void {
    if (this.room.connection.isOpen) this.room.send("move", { dx, dy });
  }

  bytesReceived(): number {
    return this.bytes;
  }

  stopDecoding(): void {
    // The SDK hands every frame to this one handler; patches are skipped, everything else (errors,
    // leave, messages) still goes through, so leaving and drops work as before.
    const events = this.room.connection.events;
    const dispatch = events.onmessage;
    events.onmessage = (event: MessageEvent) => {
      const data = event.data as unknown;
      if (data instanceof ArrayBuffer && data.byteLength > 0 && ((new Uint8Array(data, 0, 1)[0] ?? 0) & PROTOCOL_CODE_MASK) === Protocol.ROOM_STATE_PATCH) return;
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

  async close(): Promise<void> {
    this.closing = true;
    await leaveQuietly(this.room);
  }
}

/** Bytes of a WebSocket message payload as the client received it. */
export function payloadBytes(data: unknown): number {
  if (data instanceof ArrayBuffer) return data.byteLength;
  if (ArrayBuffer.isView(data)) return data.byteLength;
  if (typeof data === "string") return Buffer.byteLength(data, "utf8");
  if (data instanceof Blob) return data.size;
  return 0;
}
