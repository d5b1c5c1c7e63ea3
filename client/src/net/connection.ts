/**
 * The one owner of the SDK client: guest sign-in (kept in localStorage so a reload takes back the
 * same seat), create, join by code, the live public room list, typed requests, reconnection and
 * the periodic integrity check. Screens subscribe to its events and never touch the SDK directly.
 */
import { Client, type Room } from "@colyseus/sdk";
import { toErrorBody, type ErrorBody } from "../../../shared/src/errors";
import type { ClosingMessage, AnnouncementMessage, GuestSession, RoomConfigPatch } from "../../../shared/src/protocol";
import { CLOSE_CODES } from "../../../shared/src/protocol";
import { SpaceState } from "../../../shared/src/state";
import { hashState, type StateHashReply } from "../../../shared/src/stateHash";

export type ConnectionStatus = "connected" | "reconnecting" | "disconnected";

export interface ListedRoom {
  roomId: string;
  name: string;
  clients: number;
  maxClients: number;
  metadata?: { code?: string; phase?: string; players?: number; maxPlayers?: number; hostName?: string };
}

type Events = {
  status: ConnectionStatus;
  room: Room<unknown, SpaceState> | undefined;
  rooms: ListedRoom[];
  notice: string;
  announcement: AnnouncementMessage;
};

type Listener<T> = (value: T) => void;

const SESSION_KEY = "tavern.session";
const INTEGRITY_INTERVAL_MS = 10_000;
/** Close codes after which we do not try to come back on our own. */
const FINAL_CLOSES = new Set<number>([CLOSE_CODES.CONSENTED, CLOSE_CODES.IDLE, CLOSE_CODES.KICKED, CLOSE_CODES.REPLACED]);
const RECOVERY_WINDOW_MS = 60_000;

export class TavernConnection {
  readonly sdk: Client;
  session: GuestSession | undefined;
  room: Room<unknown, SpaceState> | undefined;
  status: ConnectionStatus = "disconnected";
  /** Times the integrity check found a mismatch and resynced. */
  resyncs = 0;
  integrityChecks = 0;
  private lastCode: string | undefined;
  private lastConfig: RoomConfigPatch = {};
  private lastSpectator = false;
  private integrityTimer: ReturnType<typeof setInterval> | undefined;
  private lobby: Room | undefined;
  private listed = new Map<string, ListedRoom>();
  private recovering = false;
  // Keyed by event name; on() and emit() keep each set's value type in line with Events.
  private readonly listeners = new Map<keyof Events, Set<Listener<never>>>();

  constructor(private readonly endpoint: string) {
    this.sdk = new Client(endpoint);
    this.session = loadSession();
    if (this.session) this.sdk.auth.token = this.session.token;
  }

  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as Listener<never>);
    return () => set.delete(listener as Listener<never>);
  }

  private emit<K extends keyof Events>(event: K, value: Events[K]): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as Listener<Events[K]>)(value);
  }

  private setStatus(status: ConnectionStatus): void {
    this.status = status;
    this.emit("status", status);
  }

  // ----- identity ------------------------------------------------------------------------

  async signIn(name: string): Promise<GuestSession> {
    const res = await fetch(`${this.endpoint}/api/auth/guest`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name }),
    });
    const body: unknown = await res.json();
    if (!res.ok) throw toErrorBody({ name: "rejected", reason: body });
    this.session = body as GuestSession;
    this.sdk.auth.token = this.session.token;
    localStorage.setItem(SESSION_KEY, JSON.stringify(this.session));
    return this.session;
  }

  signOut(): void {
    localStorage.removeItem(SESSION_KEY);
    this.session = undefined;
    this.sdk.auth.token = undefined as unknown as string;
  }

  // ----- public room list ------------------------------------------------------------------

  async watchRooms(): Promise<void> {
    if (this.lobby) return;
    const lobby = await this.sdk.joinOrCreate("lobby");
    this.lobby = lobby;
    const publish = () => this.emit("rooms", [...this.listed.values()].filter((r) => r.name !== "lobby"));
    lobby.onMessage("rooms", (rooms: ListedRoom[]) => {
      this.listed = new Map(rooms.map((r) => [r.roomId, r]));
      publish();
    });
    lobby.onMessage("+", ([roomId, room]: [string, ListedRoom]) => {
      this.listed.set(roomId, room);
      publish();
    });
    lobby.onMessage("-", (roomId: string) => {
      this.listed.delete(roomId);
      publish();
    });
    lobby.onLeave(() => (this.lobby = undefined));
  }

  // ----- rooms -----------------------------------------------------------------------------

  async create(type: string, config: RoomConfigPatch): Promise<Room<unknown, SpaceState>> {
    this.lastConfig = config;
    this.lastSpectator = false;
    return this.enter(() => this.sdk.create(type, { config }, SpaceState));
  }

  async joinByCode(code: string, spectator = false): Promise<Room<unknown, SpaceState>> {
    this.lastSpectator = spectator;
    return this.enter(() => this.sdk.join("space", { code, spectator }, SpaceState));
  }

  /** Leaves on purpose (no recovery). */
  async leave(): Promise<void> {
    const room = this.room;
    this.lastCode = undefined;
    this.detach();
    if (room?.connection.isOpen) await Promise.race([room.leave(true), new Promise((r) => setTimeout(r, 1000))]);
    this.setStatus("disconnected");
  }

  /** A typed request: resolves with the reply or throws an ErrorBody. */
  async request<T = unknown>(type: string, payload?: unknown): Promise<T> {
    if (!this.room) throw { code: "INVALID_PHASE", message: "You are not in a room." } satisfies ErrorBody;
    try {
      return (await this.room.request(type, payload)) as T;
    } catch (err) {
      throw toErrorBody(err);
    }
  }

  private async enter(join: () => Promise<Room<unknown, SpaceState>>): Promise<Room<unknown, SpaceState>> {
    let room: Room<unknown, SpaceState>;
    try {
      room = await join();
    } catch (err) {
      throw toErrorBody(err);
    }
    this.attach(room);
    return room;
  }

  private attach(room: Room<unknown, SpaceState>): void {
    this.detach();
    this.room = room;
    room.onStateChange.once((state) => {
      this.lastCode = state.code;
    });
    room.onMessage("announcement", (m: AnnouncementMessage) => this.emit("announcement", m));
    room.onMessage("closing", (m: ClosingMessage) => this.emit("notice", m.message));
    room.onMessage("error", (e: ErrorBody) => this.emit("notice", describeError(e)));
    room.onDrop(() => {
      if (this.room === room) this.setStatus("reconnecting");
    });
    room.onReconnect(() => {
      if (this.room !== room) return;
      this.setStatus("connected");
      void this.checkIntegrity();
    });
    room.onLeave((code) => {
      if (this.room !== room) return;
      if (FINAL_CLOSES.has(code)) {
        this.lastCode = undefined;
        this.detach();
        this.setStatus("disconnected");
        return;
      }
      void this.recover();
    });
    this.integrityTimer = setInterval(() => void this.checkIntegrity(), INTEGRITY_INTERVAL_MS);
    this.setStatus("connected");
    this.emit("room", room);
  }

  private detach(): void {
    if (this.integrityTimer) clearInterval(this.integrityTimer);
    this.integrityTimer = undefined;
    if (this.room) {
      this.room.removeAllListeners();
      this.room = undefined;
      this.emit("room", undefined);
    }
  }

  /**
   * Comes back to the same room after the SDK's own reconnection gave up (for example the server
   * restarted): join by code again with the same token (the seat is ours), or re-create the room
   * under its code when the restart lost it. Retries with backoff for a minute.
   */
  async recover(): Promise<void> {
    const code = this.lastCode ?? this.room?.state?.code;
    if (!code || this.recovering) return;
    this.recovering = true;
    this.setStatus("reconnecting");
    const deadline = Date.now() + RECOVERY_WINDOW_MS;
    let delay = 250;
    try {
      while (Date.now() < deadline) {
        try {
          await this.joinByCode(code, this.lastSpectator);
          return;
        } catch (err) {
          const e = err as ErrorBody;
          console.info(`[tavern] rejoining ${code}: ${e.code} ${e.message}`);
          if (e.code === "KICKED" || e.code === "ROOM_FULL" || e.code === "UNAUTHORIZED") {
            this.emit("notice", describeError(e));
            break;
          }
          if (e.code === "NOT_FOUND") {
            try {
              await this.enter(() => this.sdk.create("space", { restoreCode: code, config: this.lastConfig }, SpaceState));
              return;
            } catch (createErr) {
              // someone else re-created it first, or the server is still starting: join again
              console.info(`[tavern] re-creating ${code}: ${(createErr as ErrorBody).code} ${(createErr as ErrorBody).message}`);
            }
          }
        }
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 3000);
      }
      this.detach();
      this.setStatus("disconnected");
    } finally {
      this.recovering = false;
    }
  }

  /** True when there is a room to go back to (the Rejoin button). */
  get canRecover(): boolean {
    return this.lastCode !== undefined;
  }

  /** Compares our decoded state with the server's hash of the same patch; resyncs on mismatch. */
  async checkIntegrity(): Promise<boolean> {
    const room = this.room;
    if (!room || !room.connection.isOpen) return true;
    try {
      const reply = (await room.request("stateHash")) as StateHashReply;
      this.integrityChecks++;
      if (hashState(room.state) === reply.hash) return true;
      this.resyncs++;
      this.lastCode = room.state.code;
      await this.joinByCode(room.state.code, this.lastSpectator);
      return false;
    } catch {
      return true; // a failed check is retried at the next interval
    }
  }
}

/** Error text a player understands, for each code. */
export function describeError(e: ErrorBody): string {
  switch (e.code) {
    case "NOT_FOUND":
      return `Not found: ${e.message}`;
    case "ROOM_FULL":
      return "That room is full.";
    case "KICKED":
      return "The host removed you from that room.";
    case "UNAUTHORIZED":
      return "Your guest pass is no longer valid: sign in again.";
    case "PERMISSION_DENIED":
      return `Not allowed: ${e.message}`;
    case "INVALID_PHASE":
      return `Not now: ${e.message}`;
    case "RATE_LIMITED":
      return "Slow down a little and try again.";
    case "VALIDATION_ERROR":
      return `Check your input: ${e.message}`;
    default:
      return `Something went wrong: ${e.message}`;
  }
}

function loadSession(): GuestSession | undefined {
  try {
    const raw = localStorage.getItem(SESSION_KEY);
    if (!raw) return undefined;
    const session = JSON.parse(raw) as GuestSession;
    return Date.parse(session.expiresAt) > Date.now() + 60_000 ? session : undefined;
  } catch {
    return undefined;
  }
}
