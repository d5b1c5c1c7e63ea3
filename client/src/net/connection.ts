/**
 * The one owner of the SDK client: guest sign-in (kept in localStorage so a reload takes back the
 * same seat, with the browser's device id kept beside it), create, join by code (any room type,
 * knocking at locked rooms), the live public room list, typed requests, reconnection and the
 * periodic integrity check. Screens subscribe to its events and never touch the SDK directly.
 */
import { Client, type Room } from "@colyseus/sdk";
import { isErrorBody, toErrorBody, type ErrorBody } from "@tavern/shared/errors";
import { typedRequests, type AnyRoomContract, type RequestFn } from "@tavern/shared/contract";
import type {
  AnnouncementMessage,
  ClosingMessage,
  GuestSession,
  KnockSummary,
  KnocksMessage,
  RoomConfigPatch,
  RoomSummary,
  RoomType,
} from "@tavern/shared/protocol";
import { CLOSE_CODES, ROOM_TYPES, deviceIdSchema } from "@tavern/shared/protocol";
import type { LobbyState } from "@tavern/shared/state";
import { SpaceState } from "@tavern/shared/state";
import type { GmNoteMessage } from "@tavern/shared/table/protocol";
import { TableState } from "@tavern/shared/table/state";
import { comebackOf, createPayload, type Comeback } from "./comeback";
import { describeError } from "./describeError";
import { checkSpaceIntegrity, checkTableIntegrity, type IntegrityResult } from "./integrity";

export type ConnectionStatus = "connected" | "reconnecting" | "disconnected";

/** The room we are in, tagged with its type so screens get the right state class. */
export type JoinedRoom = { type: "space"; room: Room<unknown, SpaceState> } | { type: "table"; room: Room<unknown, TableState> };

export interface CreateOptions {
  config: RoomConfigPatch;
  /** Table rooms only: the session's title and rules plugin ("generic", "dnd5e-lite"). */
  title?: string;
  plugin?: string;
}

export interface ListedRoom {
  roomId: string;
  name: string;
  clients: number;
  maxClients: number;
  metadata?: { code?: string; phase?: string; players?: number; maxPlayers?: number; hostName?: string };
}

/** A knock at a locked room, while it waits for the host's answer. */
export interface Knocking {
  code: string;
}

type Events = {
  status: ConnectionStatus;
  /** Set while this client waits at a locked room's door, undefined once the knock ended. */
  knock: Knocking | undefined;
  /** The host's view of who is knocking (empty when not host). */
  knocks: KnockSummary[];
  room: JoinedRoom | undefined;
  rooms: ListedRoom[];
  notice: string;
  announcement: AnnouncementMessage;
  gmNote: GmNoteMessage;
};

type Listener<T> = (value: T) => void;

const SESSION_KEY = "tavern.session";
/**
 * The browser's device id (issued by the server at the first sign-in). Kept apart from the session
 * and never removed, so a "new guest" is still this device and a kick covers it. Clearing the
 * site's storage loses it: that is why a host can also lock a room.
 */
const DEVICE_KEY = "tavern.device";
const INTEGRITY_INTERVAL_MS = 10_000;
/** Close codes after which we do not try to come back on our own. */
const FINAL_CLOSES = new Set<number>([CLOSE_CODES.CONSENTED, CLOSE_CODES.IDLE, CLOSE_CODES.KICKED, CLOSE_CODES.REPLACED]);
const RECOVERY_WINDOW_MS = 60_000;
const FIRST_STATE_TIMEOUT_MS = 10_000;

/**
 * The SDK client, able to hand over a room it is still opening: join() gives the room out only
 * once joined, and a join that waits (a knock) must be possible to give up before that.
 */
class TavernSdk extends Client {
  private waiting: { roomName: string; take: (room: Room) => void } | undefined;

  /** Hands the next room of this name the SDK makes to `take`; the returned function stops waiting. */
  nextRoom(roomName: string, take: (room: Room) => void): () => void {
    const waiting = { roomName, take };
    this.waiting = waiting;
    return () => {
      if (this.waiting === waiting) this.waiting = undefined;
    };
  }

  // Room's first type parameter is the server room class, which this side does not know.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK's own signature: the server room type has no client-side counterpart
  protected override createRoom<T>(roomName: string, rootSchema?: ConstructorParameters<typeof Room<unknown, T>>[1]): Room<any, T> {
    const room = super.createRoom<T>(roomName, rootSchema);
    const waiting = this.waiting;
    if (waiting?.roomName === roomName) {
      this.waiting = undefined;
      waiting.take(room as Room);
    }
    return room;
  }
}

export class TavernConnection {
  readonly sdk: TavernSdk;
  session: GuestSession | undefined;
  joined: JoinedRoom | undefined;
  status: ConnectionStatus = "disconnected";
  /** Times the integrity check found a mismatch and resynced. */
  resyncs = 0;
  integrityChecks = 0;
  private comeback: Comeback | undefined;
  private lastCreate: CreateOptions = { config: {} };
  private integrityTimer: ReturnType<typeof setInterval> | undefined;
  private lobby: Room | undefined;
  private listed = new Map<string, ListedRoom>();
  private recovering = false;
  /** The knock waiting for an answer, if any (one at a time), and its room once the SDK made it. */
  private knocking: Knocking | undefined;
  private knockRoom: Room | undefined;
  private knockCancelled = false;
  // Keyed by event name; on() and emit() keep each set's value type in line with Events.
  private readonly listeners = new Map<keyof Events, Set<Listener<never>>>();

  constructor(private readonly endpoint: string) {
    this.sdk = new TavernSdk(endpoint);
    this.session = loadSession();
    if (this.session) this.sdk.auth.token = this.session.token;
  }

  /** The current room seen through the lifecycle fields every room type shares. */
  get room(): Room<unknown, LobbyState> | undefined {
    return this.joined && lifecycleView(this.joined);
  }

  get selfId(): string {
    return this.session?.playerId ?? "";
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

  /** This browser's device id, once a sign-in has given it one. */
  get deviceId(): string | undefined {
    return loadDeviceId();
  }

  async signIn(name: string): Promise<GuestSession> {
    const deviceId = loadDeviceId();
    const res = await fetch(`${this.endpoint}/api/auth/guest`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(deviceId ? { name, deviceId } : { name }),
    });
    const body: unknown = await res.json();
    if (!res.ok) throw toErrorBody({ name: "rejected", reason: body });
    this.session = body as GuestSession;
    this.sdk.auth.token = this.session.token;
    localStorage.setItem(SESSION_KEY, JSON.stringify(this.session));
    if (this.session.deviceId) localStorage.setItem(DEVICE_KEY, this.session.deviceId);
    return this.session;
  }

  /** Forgets the guest (the next sign-in is a new one); the device id stays. */
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
    const publish = () =>
      this.emit(
        "rooms",
        [...this.listed.values()].filter((r) => r.name !== "lobby"),
      );
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

  async create(type: RoomType, options: CreateOptions): Promise<JoinedRoom> {
    this.lastCreate = options;
    return this.enter(() => this.open(type, "create", createPayload(options)));
  }

  /**
   * Joins the room with this code. Codes do not say which type of room they open, so unless the
   * caller knows (the public list does), the type comes from the lookup endpoint first.
   */
  async joinByCode(code: string, spectator = false, type?: RoomType): Promise<JoinedRoom> {
    const roomType = type ?? (await this.lookupType(code));
    try {
      return await this.enter(() => this.open(roomType, "join", { code, spectator }), spectator);
    } catch (err) {
      if ((err as ErrorBody).code !== "KNOCK_REQUIRED") throw err;
    }
    return this.knock(roomType, code, spectator);
  }

  /**
   * The room is locked: join again asking to knock. The server holds that join until the host
   * answers, so the wait is this one join; "knock" events tell the screens it is waiting.
   */
  private async knock(type: RoomType, code: string, spectator: boolean): Promise<JoinedRoom> {
    if (this.knocking) throw { code: "RATE_LIMITED", message: "You are already knocking at a room." } satisfies ErrorBody;
    const knocking: Knocking = { code: code.trim().toUpperCase() };
    this.knocking = knocking;
    this.knockCancelled = false;
    const stopWatching = this.sdk.nextRoom(type, (room) => {
      this.knockRoom = room;
      // Given up while the seat was being reserved: close as soon as the SDK has connected it.
      if (this.knockCancelled) queueMicrotask(() => room.connection?.close());
    });
    this.emit("knock", knocking);
    try {
      return await this.enter(() => this.open(type, "join", { code, spectator, knock: true }), spectator);
    } catch (err) {
      if (this.knockCancelled) throw { code: "KNOCK_UNANSWERED", message: "You stopped knocking." } satisfies ErrorBody;
      throw err;
    } finally {
      stopWatching();
      this.knocking = undefined;
      this.knockRoom = undefined;
      this.emit("knock", undefined);
    }
  }

  /** Gives up a knock that is waiting: closing its socket withdraws it on the server. */
  cancelKnock(): void {
    if (!this.knocking) return;
    this.knockCancelled = true;
    this.knockRoom?.connection?.close();
  }

  get isKnocking(): boolean {
    return this.knocking !== undefined;
  }

  /** The type of the room behind a code (GET /api/rooms/:code); throws an ErrorBody. */
  async lookupType(code: string): Promise<RoomType> {
    let res: Response;
    try {
      res = await fetch(`${this.endpoint}/api/rooms/${encodeURIComponent(code.trim())}`);
    } catch (err) {
      throw { code: "INTERNAL_ERROR", message: `The server cannot be reached (${String(err)}).` } satisfies ErrorBody;
    }
    const body: unknown = await res.json().catch(() => undefined);
    if (!res.ok)
      throw isErrorBody(body) ? body : ({ code: "INTERNAL_ERROR", message: `Room lookup failed (${res.status}).` } satisfies ErrorBody);
    const summary = body as RoomSummary;
    if (!(ROOM_TYPES as readonly string[]).includes(summary.type)) {
      throw {
        code: "NOT_FOUND",
        message: `Room ${summary.code} is of a type this client does not know (${summary.type}).`,
      } satisfies ErrorBody;
    }
    return summary.type as RoomType;
  }

  /** Leaves on purpose (no recovery). */
  async leave(): Promise<void> {
    const room = this.joined?.room;
    this.comeback = undefined;
    this.detach();
    if (room?.connection.isOpen) await Promise.race([room.leave(true), new Promise((r) => setTimeout(r, 1000))]);
    this.setStatus("disconnected");
  }

  /** A request of the shared contract: resolves with its typed reply or throws an ErrorBody. */
  readonly request: RequestFn<AnyRoomContract> = typedRequests<AnyRoomContract>(
    {
      request: (type, payload) => {
        const room = this.joined?.room;
        if (!room) return Promise.reject({ code: "INVALID_PHASE", message: "You are not in a room." } satisfies ErrorBody);
        return room.request(type, payload);
      },
    },
    toErrorBody,
  );

  private async open(type: RoomType, how: "create" | "join", options: Record<string, unknown>): Promise<JoinedRoom> {
    if (type === "table") return { type, room: await this.sdk[how](type, options, TableState) };
    return { type, room: await this.sdk[how](type, options, SpaceState) };
  }

  private async enter(open: () => Promise<JoinedRoom>, spectator = false): Promise<JoinedRoom> {
    let joined: JoinedRoom;
    try {
      joined = await open();
    } catch (err) {
      throw toErrorBody(err);
    }
    await this.firstState(joined);
    this.attach(joined, spectator);
    return joined;
  }

  /**
   * A join resolves before the room's first full state arrives; until then `room.state` holds
   * the schema's local defaults (nested instances the decoder does not know, which callbacks
   * refuse). Screens start only once the real state is decoded.
   */
  private async firstState(joined: JoinedRoom): Promise<void> {
    const room = lifecycleView(joined);
    if (room.state?.code) return;
    const arrived = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), FIRST_STATE_TIMEOUT_MS);
      room.onStateChange.once(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    if (arrived) return;
    if (room.connection.isOpen) void room.leave(true);
    throw { code: "INTERNAL_ERROR", message: "The room sent no state in time: try again." } satisfies ErrorBody;
  }

  private attach(joined: JoinedRoom, spectator: boolean): void {
    this.detach();
    this.joined = joined;
    const room = lifecycleView(joined);
    // Refreshed at every patch: recovery must work from what we knew last, even after the room is gone.
    const remember = () => {
      const state = joined.room.state;
      if (state?.code) this.comeback = comebackOf(joined, spectator, this.lastCreate);
    };
    remember(); // the first state is already decoded: a page that gets no further patch can still come back
    room.onStateChange(remember);
    if (joined.type === "table") {
      // A GM who hands the role over keeps the GM-only part it was sent, no longer updated: check
      // at once (rather than at the next interval) so that the resync drops it.
      let wasGm = joined.room.state.hostId === this.selfId;
      room.onStateChange(() => {
        const gm = joined.room.state.hostId === this.selfId;
        if (wasGm && !gm && joined.room.state.gm) void this.checkIntegrity();
        wasGm = gm;
      });
    }
    room.onMessage("announcement", (m: AnnouncementMessage) => this.emit("announcement", m));
    room.onMessage("closing", (m: ClosingMessage) => this.emit("notice", m.message));
    room.onMessage("error", (e: ErrorBody) => this.emit("notice", describeError(e)));
    if (joined.type === "table") room.onMessage("gmNote", (m: GmNoteMessage) => this.emit("gmNote", m));
    room.onMessage("knocks", (m: KnocksMessage) => this.emit("knocks", m.knocks));
    room.onDrop(() => {
      if (this.joined === joined) this.setStatus("reconnecting");
    });
    room.onReconnect(() => {
      if (this.joined !== joined) return;
      this.setStatus("connected");
      void this.checkIntegrity();
    });
    room.onLeave((code) => {
      if (this.joined !== joined) return;
      if (FINAL_CLOSES.has(code)) {
        this.comeback = undefined;
        this.detach();
        this.setStatus("disconnected");
        return;
      }
      void this.recover();
    });
    this.integrityTimer = setInterval(() => void this.checkIntegrity(), INTEGRITY_INTERVAL_MS);
    this.setStatus("connected");
    this.emit("room", joined);
  }

  private detach(): void {
    if (this.integrityTimer) clearInterval(this.integrityTimer);
    this.integrityTimer = undefined;
    if (this.joined) {
      this.joined.room.removeAllListeners();
      this.joined = undefined;
      this.emit("knocks", []);
      this.emit("room", undefined);
    }
  }

  /**
   * Comes back to the same room after the SDK's own reconnection gave up (for example the server
   * restarted): join by code again with the same token (the seat is ours), or re-create the room
   * under its code when the restart lost it. Retries with backoff for a minute.
   */
  async recover(): Promise<void> {
    const comeback = this.comeback;
    if (!comeback || this.recovering) return;
    this.recovering = true;
    this.setStatus("reconnecting");
    const { code, type, spectator } = comeback;
    const deadline = Date.now() + RECOVERY_WINDOW_MS;
    let delay = 250;
    try {
      while (Date.now() < deadline) {
        try {
          await this.joinByCode(code, spectator, type);
          return;
        } catch (err) {
          const e = err as ErrorBody;
          console.warn(`[tavern] rejoining ${code}: ${e.code} ${e.message}`);
          if (
            e.code === "KICKED" ||
            e.code === "ROOM_FULL" ||
            e.code === "UNAUTHORIZED" ||
            e.code === "KNOCK_DENIED" ||
            e.code === "KNOCK_UNANSWERED"
          ) {
            this.emit("notice", describeError(e));
            break;
          }
          if (e.code === "NOT_FOUND" && comeback.mayRecreate) {
            try {
              this.lastCreate = comeback.restore;
              await this.enter(() => this.open(type, "create", { ...createPayload(comeback.restore), restoreCode: code }));
              return;
            } catch (createErr) {
              // someone else re-created it first, or the server is still starting: join again
              console.warn(`[tavern] re-creating ${code}: ${(createErr as ErrorBody).code} ${(createErr as ErrorBody).message}`);
            }
          }
        }
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 3000);
      }
      this.comeback = undefined;
      this.detach();
      this.setStatus("disconnected");
    } finally {
      this.recovering = false;
    }
  }

  /** True when there is a room to go back to (the Rejoin button). */
  get canRecover(): boolean {
    return this.comeback !== undefined;
  }

  /** Checks the decoded state against the server's hash; resyncs (joins again) on a mismatch. */
  async checkIntegrity(): Promise<boolean> {
    const joined = this.joined;
    if (!joined || !joined.room.connection.isOpen) return true;
    const result: IntegrityResult =
      joined.type === "table" ? checkTableIntegrity(joined.room, this.selfId) : await checkSpaceIntegrity(joined.room);
    if (result === "unknown") return true;
    this.integrityChecks++;
    if (result === "ok" || this.joined !== joined) return true;
    this.resyncs++;
    const code = joined.room.state.code;
    console.warn(`[tavern] decoded state of ${code} does not match the server's hash: joining again`);
    // Joining again replaces this connection (the server closes it as REPLACED): that close, and
    // its "another tab" notice, are part of the resync, not news for the user.
    joined.room.removeAllListeners();
    try {
      await this.joinByCode(code, this.comeback?.spectator ?? false, joined.type);
    } catch (err) {
      this.emit("notice", describeError(err as ErrorBody));
      if (this.joined === joined) void this.recover();
    }
    return false;
  }
}

/**
 * Every room state extends LobbyState, but Room<State> is invariant in State: this is the one
 * place that widens it, for code that only reads the lifecycle fields and registers listeners.
 */
export function lifecycleView(joined: JoinedRoom): Room<unknown, LobbyState> {
  return joined.room as unknown as Room<unknown, LobbyState>;
}

function loadDeviceId(): string | undefined {
  try {
    const stored = localStorage.getItem(DEVICE_KEY);
    // A value the server would refuse is dropped: the next sign-in gets a new one.
    return stored && deviceIdSchema.safeParse(stored).success ? stored : undefined;
  } catch {
    return undefined;
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
