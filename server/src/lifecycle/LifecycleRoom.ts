/**
 * The room lifecycle every Tavern room type shares: code, seats keyed by player id, roles, ready
 * flags, phases, host migration, reconnection grace, capacity, kicks, idle expiry, request
 * validation and rate limits. Room types extend it and add their own state and requests; the
 * rules themselves live in ./rules.ts.
 */
import { lifecycleContract, type Ok, type PayloadOut, type ReplyOf, type RequestName, type RequestTable } from "@tavern/shared/contract";
import {
  Room,
  matchMaker,
  ServerError,
  CloseCode,
  ClientState,
  updateLobby,
  type Deferred,
  type Client,
  type MessageContext,
  type RoomException,
  type RoomMethodName,
} from "@colyseus/core";
import type { z } from "zod";
import { TavernError, JOIN_ERROR_NUMBERS, type ErrorBody } from "@tavern/shared/errors";
import {
  CLOSE_CODES,
  createRoomOptionsSchema,
  joinOptionsSchema,
  type AnnouncementMessage,
  type ClosingMessage,
  type KnocksMessage,
  type Phase,
  type RoomConfig,
  type RoomListingMetadata,
} from "@tavern/shared/protocol";
import { ChatLineState, CHAT_HISTORY, PlayerState, type LobbyState } from "@tavern/shared/state";
import type { PlayerIdentity } from "../auth/guestTokens";
import { callerOf, type Caller, type JoinAuth } from "./joinGate";
import { guardFrames } from "./frameGuard";
import type { Logger } from "../logger";
import { isRoomCode, normalizeRoomCode } from "@tavern/shared/roomCodes";
import { hashState, type StateHashReply } from "@tavern/shared/stateHash";
import { services, type RoomServices } from "../services";
import { TokenBuckets } from "./rateLimiter";
import {
  admitNewcomer,
  applyConfigPatch,
  checkCanStart,
  checkKick,
  checkPrivateEntry,
  checkTransferHost,
  countSeats,
  pickNextHost,
  requireHost,
  requirePhase,
} from "./rules";
import { describeZodError } from "./validation";
import { payloadProblem } from "@tavern/shared/text";
import { KickList, entryAtDoor } from "./admission";
import { KnockQueue } from "./knocks";
import type { AuditKind } from "../persistence/auditLog";

export interface AdminRoomSnapshot {
  roomId: string;
  roomType: string;
  code: string;
  phase: Phase;
  /** Patches sent so far (space), or the session version (table). */
  version: number;
  hash: string;
  state: Record<string, unknown>;
  /** Table rooms: the session document the hash covers. */
  document?: unknown;
}

export interface RequestContext {
  client: Client;
  playerId: string;
  seat: PlayerState;
}

type RequestHandler<P, R = unknown> = (ctx: RequestContext, payload: P) => R | Promise<R>;
/** A request answering Ok may return nothing: the router answers `{ ok: true }`. */
type HandlerReply<R> = R extends Ok ? R | void : R;

const LISTING_DEBOUNCE_MS = 100;
const IDLE_CHECK_MS = 1000;
/** How long a reopen waits for a code still held by a room that is closing, and how often it asks. */
const CLAIM_WAIT_MS = 1000;
const CLAIM_RETRY_MS = 25;
/** Knocks a locked room holds at once: each holds a socket and a connection slot (see connectionCap). */
const MAX_KNOCKS = 20;

export abstract class LifecycleRoom<S extends LobbyState = LobbyState> extends Room<{
  state: S;
  metadata: RoomListingMetadata;
}> {
  /** The registered room name (bounded: used as a metrics label). */
  protected abstract readonly roomType: string;
  protected readonly svc: RoomServices = services();
  protected log: Logger = this.svc.logger;

  /** sessionId → playerId for every client that holds (or held) a seat. */
  private readonly sessionToPlayer = new Map<string, string>();
  /** playerId → the client currently owning that seat (the newest tab wins). */
  private readonly clientOfPlayer = new Map<string, Client>();
  /** playerId → the grace-period reservation of a dropped client. */
  private readonly pendingReconnection = new Map<string, Deferred<Client>>();
  /** Kicked players and their devices (./admission.ts). */
  private readonly kicks = new KickList();
  /** Joins waiting at a locked room's door for the host's answer (./knocks.ts, passDoor). */
  private readonly knocks = new KnockQueue({
    timeoutMs: this.svc.config.knockTimeoutSeconds * 1000,
    max: MAX_KNOCKS,
    onChange: () => this.showKnocks(),
  });
  private readonly requestBuckets = new TokenBuckets(this.svc.config.requestRatePerSecond, this.svc.config.requestRatePerSecond * 2);
  private readonly chatBuckets = new TokenBuckets(2, 10);
  /** Sessions counted in the connected-clients gauge, so every path decrements exactly once. */
  private readonly countedSessions = new Set<string>();
  private lastActivityAt = Date.now();
  private listingUpdateScheduled = false;
  /** Patches broadcast so far; the version a state hash refers to. */
  private patchVersion = 0;
  /** Set while broadcastPatch runs: bytes a client's raw() sends then are patch bytes. */
  private sendingPatch = false;
  private patchBytesSent = 0;
  /** stateHash requests waiting for the next patch (see onBeforePatch). */
  private pendingHashReplies: { client: Client; resolve: (reply: StateHashReply) => void }[] = [];

  protected abstract createState(): S;

  /**
   * The host changed the config or kicked someone. Rooms whose life outlasts the process (stored
   * table sessions) save moderation() here, and give it back through restoreKicked and the
   * config option when they reopen.
   */
  protected onModerationChanged(): void {}

  /** The room's config and the players (and their devices) kicked from it. */
  protected moderation(): { config: RoomConfig; kicked: string[]; kickedDevices: string[] } {
    return { config: this.readConfig(), ...this.kicks.toStored() };
  }

  /** Players and devices kicked before the room was last closed stay out. */
  protected restoreKicked(playerIds: readonly string[], deviceIds: readonly string[] = []): void {
    this.kicks.restore(playerIds, deviceIds);
  }

  /** Room types register their own requests here (called once from onCreate). */
  protected registerRoomRequests(): void {}

  /** Called after the phase changed (start, finish, reset). */
  protected onPhaseChanged(_from: Phase, _to: Phase): void {}

  /** Called when a new seat was created, after the player is in state. */
  protected onSeatAdded(_seat: PlayerState): void {}

  /** Called when a seat is removed for good (left, grace expired, kicked). */
  protected onSeatRemoved(_playerId: string): void {}

  /** Called whenever a client takes a seat: a new seat, a reclaimed one, or a reconnection. */
  protected onClientSeated(_client: Client, _seat: PlayerState): void {}

  /** Called after the host changed (migration or transfer). */
  protected onHostChanged(_nextId: string, _previousId: string | undefined): void {}

  /**
   * A code this room owns already (a stored session reopening under its own code), claimed as it
   * is; set by a room type before onCreate runs. A client's `restoreCode` is checked instead.
   */
  protected ownCode: string | undefined;
  /** The creator is host before taking a seat; the audit log records it once they do. */
  private awaitingCreator = false;

  /**
   * Whether the host role passes to another player when the host's seat is removed. A room where
   * the host holds authority others must not inherit (the GM of a table) keeps it for the host's
   * return instead.
   */
  protected readonly migrateHostOnLeave: boolean = true;

  // ----- creation and disposal -------------------------------------------------------------

  override async onCreate(options: unknown): Promise<void> {
    const parsed = createRoomOptionsSchema.safeParse(options ?? {});
    if (!parsed.success) {
      throw joinError(new TavernError("VALIDATION_ERROR", `Invalid room options: ${describeZodError(parsed.error)}`));
    }
    const caller = callerOf(options);
    if (caller) catchJoinError(() => this.svc.creationLimit.take(caller));
    const defaults: RoomConfig = {
      maxPlayers: 16,
      minPlayers: 1,
      allowSpectators: true,
      maxSpectators: 20,
      private: false,
      reconnectGraceSeconds: this.svc.config.reconnectGraceSeconds,
      idleTimeoutSeconds: this.svc.config.roomIdleTimeoutSeconds,
      locked: false,
    };
    let config: RoomConfig;
    try {
      config = applyConfigPatch(defaults, parsed.data.config ?? {}, []);
    } catch (err) {
      throw err instanceof TavernError ? joinError(err) : err;
    }

    this.state = this.createState();
    this.writeConfig(config);
    this.state.code = await this.claimCode(parsed.data.restoreCode, caller);
    // The creator is the host (in a table: the GM) whoever connects first, over HTTP too.
    if (caller) {
      this.state.hostId = caller.playerId;
      this.awaitingCreator = true;
    }
    this.log = this.svc.logger.child({ roomType: this.roomType, roomId: this.roomId, code: this.state.code });
    this.maxMessagesPerSecond = this.svc.config.floodMessagesPerSecond;
    this.maxClients = connectionCap(config);
    await this.setMatchmaking({ metadata: this.listingMetadata(), unlisted: config.private });

    guardFrames(this, {
      roomType: this.roomType,
      metrics: this.svc.metrics,
      logger: () => this.log,
      reportException: (err, where) => this.reportException(err, where),
    });
    this.registerLifecycleRequests();
    this.registerRoomRequests();
    this.dephasePatches();
    this.clock.setInterval(() => this.closeIfIdle(), IDLE_CHECK_MS);
    this.svc.metrics.rooms.inc({ room_type: this.roomType, phase: this.state.phase });
    this.audit("created", "", { config });
    this.log.info({ config }, "room created");
  }

  /**
   * Rooms created together (a burst of players, tables reopened after a restart, a load script)
   * would share their patch timer's phase: every room then encodes and sends in the same
   * event-loop turn, and the other rooms' messages wait behind that burst. Starting patches after
   * a random part of one interval spreads the rooms over it.
   */
  private dephasePatches(): void {
    const rate = this.patchRate ?? 0;
    if (rate <= 0) return;
    this.patchRate = null; // until then Colyseus only ticks the clock; a joiner still gets the full state
    this.clock.setTimeout(() => {
      this.patchRate = rate;
    }, Math.random() * rate);
  }

  /** Gives the room a fresh code: the claimed one turned out to be taken elsewhere (a stored session's). */
  protected async replaceCode(): Promise<void> {
    const taken = this.state.code;
    this.state.code = await this.svc.codes.claim(this.roomId);
    await this.svc.codes.release(taken);
    this.log = this.svc.logger.child({ roomType: this.roomType, roomId: this.roomId, code: this.state.code });
    await this.setMatchmaking({ metadata: this.listingMetadata() });
  }

  private async claimCode(requested: string | undefined, caller: Caller | undefined): Promise<string> {
    if (this.ownCode !== undefined) return this.claimOwnCode(this.ownCode);
    if (requested === undefined) return this.svc.codes.claim(this.roomId);
    const code = normalizeRoomCode(requested);
    if (!isRoomCode(code)) {
      throw joinError(new TavernError("VALIDATION_ERROR", `"${requested.slice(0, 32)}" is not a room code.`));
    }
    if (caller) await this.checkRestore(code, caller);
    return this.claimOwnCode(code);
  }

  /**
   * Who may bring a code back: a player who held a seat in a room of this type under it (the
   * audit log remembers), and never under a stored table session's code, which reopens by itself
   * for whoever joins it and stays its GM's.
   */
  private async checkRestore(code: string, caller: Caller): Promise<void> {
    if (await this.svc.sessions.idForCode(code)) {
      throw joinError(
        new TavernError("PERMISSION_DENIED", `The code ${code} belongs to a stored table session: join it by its code instead.`, {
          field: "code",
        }),
      );
    }
    if (!(await this.svc.audit.heldSeat(code, this.roomType, caller.playerId))) {
      throw joinError(new TavernError("PERMISSION_DENIED", `Only a player who was in room ${code} can bring it back.`, { field: "code" }));
    }
  }

  private async claimOwnCode(code: string): Promise<string> {
    if (!(await this.claimReleasedSoon(code))) {
      throw joinError(
        new TavernError("VALIDATION_ERROR", `The code ${code} is already in use: join that room instead.`, { field: "code" }),
      );
    }
    return code;
  }

  /**
   * Claims a code another room may still hold for a moment: a room that just emptied leaves the
   * matchmaker before its onDispose releases the code, so a reopen right after everyone left would
   * be refused. While the holder has no listing, ask again for up to CLAIM_WAIT_MS; a holder that
   * is listed is a live room, and a claim is never taken from anyone.
   */
  private async claimReleasedSoon(code: string): Promise<boolean> {
    const giveUpAt = Date.now() + CLAIM_WAIT_MS;
    for (;;) {
      if (await this.svc.codes.claimExact(code, this.roomId)) return true;
      const holder = await this.svc.codes.resolve(code);
      const [listing] = holder === undefined ? [] : await matchMaker.query({ roomId: holder });
      if (listing || Date.now() >= giveUpAt) return false;
      // No holder any more (released between the two calls) or one that is closing: ask again.
      await new Promise((resolve) => setTimeout(resolve, CLAIM_RETRY_MS));
    }
  }

  override async onDispose(): Promise<void> {
    if (!this.state?.code) return; // onCreate failed before the room had a code
    this.knocks.endAll(new TavernError("KNOCK_UNANSWERED", "The room closed."));
    this.svc.metrics.rooms.dec({ room_type: this.roomType, phase: this.state.phase });
    await this.svc.codes.release(this.state.code);
    this.audit("disposed", "");
    this.log.info("room disposed");
  }

  // ----- joining, dropping, leaving --------------------------------------------------------

  override async onJoin(client: Client, options: unknown): Promise<void> {
    const identity = client.auth as JoinAuth;
    const joinOptions = joinOptionsSchema.safeParse(options ?? {}).data;
    const request = { wantsSpectator: joinOptions?.spectator === true, offeredCode: joinOptions?.code };
    let knocked: boolean;
    try {
      knocked = await this.passDoor(client, identity, request, joinOptions?.knock === true);
      this.seat(client, identity, request);
    } catch (err) {
      const body = err instanceof TavernError ? err.toBody() : { code: "INTERNAL_ERROR" as const, message: String(err) };
      this.svc.metrics.joins.inc({ room_type: this.roomType, outcome: body.code });
      throw err instanceof TavernError ? joinError(err) : err;
    }
    this.touch();
    this.countConnected(client, true);
    this.meterPatches(client);
    const seat = this.state.players.get(identity.playerId);
    if (seat) this.onClientSeated(client, seat);
    if (identity.playerId === this.state.hostId && this.knocks.size > 0) this.showKnocks();
    // A knock's wait is the host's thinking time, not the server's latency.
    if (!knocked) this.svc.metrics.joinLatency.observe({ room_type: this.roomType }, (Date.now() - identity.requestedAt) / 1000);
    this.scheduleListingUpdate();
  }

  private countConnected(client: Client, connected: boolean): void {
    const changed = connected ? !this.countedSessions.has(client.sessionId) : this.countedSessions.has(client.sessionId);
    if (!changed) return;
    if (connected) this.countedSessions.add(client.sessionId);
    else this.countedSessions.delete(client.sessionId);
    this.svc.metrics.connectedClients.inc({ room_type: this.roomType }, connected ? 1 : -1);
  }

  private seat(client: Client, identity: PlayerIdentity, request: { wantsSpectator: boolean; offeredCode: string | undefined }): void {
    const { playerId, name } = identity;
    const existing = this.state.players.get(playerId);
    if (existing) {
      // Same player again (reload, second tab, or return after a drop): take back the seat.
      const pending = this.pendingReconnection.get(playerId);
      const previous = this.clientOfPlayer.get(playerId);
      this.pendingReconnection.delete(playerId);
      this.clientOfPlayer.set(playerId, client);
      this.sessionToPlayer.set(client.sessionId, playerId);
      if (pending) {
        pending.reject(new Error("seat reclaimed by a new connection"));
      } else if (previous && previous !== client) {
        previous.send("closing", {
          reason: "replaced",
          message: "You joined this room from another tab or device; this one was disconnected.",
        } satisfies ClosingMessage);
        previous.leave(CLOSE_CODES.REPLACED);
      }
      existing.connected = true;
      existing.name = name;
      this.svc.metrics.joins.inc({ room_type: this.roomType, outcome: "reclaimed" });
      this.log.info({ playerId, replaced: Boolean(previous && !pending) }, "seat reclaimed");
      return;
    }

    checkPrivateEntry({
      isPrivate: this.state.config.private,
      code: this.state.code,
      offeredCode: request.offeredCode,
      isHost: playerId === this.state.hostId,
    });
    const role = admitNewcomer(this.state.players.values(), this.readConfig(), {
      wantsSpectator: request.wantsSpectator,
      isKicked: this.kicks.refuses(identity),
    });
    const seat = new PlayerState();
    seat.id = playerId;
    seat.name = name;
    seat.role = role;
    seat.connected = true;
    seat.ready = false;
    seat.joinedAt = Date.now();
    this.state.players.set(playerId, seat);
    this.clientOfPlayer.set(playerId, client);
    this.sessionToPlayer.set(client.sessionId, playerId);
    this.audit("joined", playerId, { role });
    if (this.state.hostId === playerId) {
      // The creator, or a host whose role was kept for them (migrateHostOnLeave false), takes it, whatever they asked.
      seat.role = "host";
      if (this.awaitingCreator) {
        this.awaitingCreator = false;
        this.audit("host-changed", playerId, { previousId: "", why: "created the room" });
      }
    } else if (role === "player" && this.state.hostId === "") {
      this.setHost(playerId, undefined, "first player in the room");
    }
    this.svc.metrics.joins.inc({ room_type: this.roomType, outcome: "joined" });
    this.onSeatAdded(seat);
  }

  override onDrop(client: Client, code?: number): void {
    const playerId = this.ownerOf(client);
    this.countConnected(client, false);
    if (!playerId) return;
    const seat = this.state.players.get(playerId);
    if (!seat) return;
    seat.connected = false;
    const grace = this.state.config.reconnectGraceSeconds;
    // A client closed for flooding (WITH_ERROR) does not get its seat held.
    if (grace <= 0 || code === CloseCode.WITH_ERROR) return;
    this.log.info({ playerId, code, grace }, "player dropped; holding seat");
    const reconnection = this.allowReconnection(client, grace);
    this.pendingReconnection.set(playerId, reconnection);
    reconnection.then(
      () => this.svc.metrics.reconnections.inc({ room_type: this.roomType, outcome: "reconnected" }),
      () => this.svc.metrics.reconnections.inc({ room_type: this.roomType, outcome: "expired" }),
    );
    this.scheduleListingUpdate();
  }

  override onReconnect(client: Client): void {
    const playerId = this.sessionToPlayer.get(client.sessionId);
    if (!playerId) return;
    this.pendingReconnection.delete(playerId);
    this.clientOfPlayer.set(playerId, client);
    const seat = this.state.players.get(playerId);
    if (seat) seat.connected = true;
    this.countConnected(client, true);
    this.meterPatches(client);
    if (seat) this.onClientSeated(client, seat);
    if (playerId === this.state.hostId && this.knocks.size > 0) this.showKnocks();
    this.touch();
    this.log.info({ playerId }, "player reconnected");
    this.scheduleListingUpdate();
  }

  override onLeave(client: Client, code?: number): void {
    const playerId = this.ownerOf(client);
    this.sessionToPlayer.delete(client.sessionId);
    this.requestBuckets.forget(client.sessionId);
    this.chatBuckets.forget(client.sessionId);
    this.countConnected(client, false);
    if (!playerId) return;
    this.clientOfPlayer.delete(playerId);
    this.pendingReconnection.delete(playerId);
    this.removeSeat(playerId, code === CloseCode.CONSENTED ? "left the room" : "did not come back in time");
  }

  /** The client that holds a player's seat right now, if connected. */
  protected clientOf(playerId: string): Client | undefined {
    return this.clientOfPlayer.get(playerId);
  }

  /** The player id whose seat this exact client owns now, or undefined (replaced, refused, kicked). */
  protected ownerOf(client: Client): string | undefined {
    const playerId = this.sessionToPlayer.get(client.sessionId);
    if (!playerId) return undefined;
    const owner = this.clientOfPlayer.get(playerId);
    return owner?.sessionId === client.sessionId ? playerId : undefined;
  }

  private removeSeat(playerId: string, reason: string): void {
    const seat = this.state.players.get(playerId);
    if (!seat) return;
    this.state.players.delete(playerId);
    this.log.info({ playerId, reason }, "seat removed");
    this.audit(reason === "was kicked" ? "kicked" : "left", playerId, { reason });
    if (this.state.hostId === playerId && this.migrateHostOnLeave) {
      this.setHost(pickNextHost(this.state.players.values(), playerId), playerId, `${seat.name} ${reason}`);
    }
    // A host kept for their return (a table's GM) left the seat: their knocks have nobody to answer them.
    if (this.state.hostId === playerId) this.onDoorHostChanged();
    this.onSeatRemoved(playerId);
    this.scheduleListingUpdate();
  }

  private setHost(nextId: string | undefined, previousId: string | undefined, why: string): void {
    const previous = previousId ? this.state.players.get(previousId) : undefined;
    if (previous && previous.role === "host") previous.role = "player";
    const next = nextId ? this.state.players.get(nextId) : undefined;
    if (next) next.role = "host";
    this.state.hostId = next ? next.id : "";
    this.audit("host-changed", this.state.hostId, { previousId: previousId ?? "", why });
    this.onDoorHostChanged();
    this.onHostChanged(this.state.hostId, previousId);
    if (previousId === undefined) return; // the first host of a room is not news
    const text = next ? `${next.name} is now the host (${why}).` : `The room has no host (${why}).`;
    this.announce({ kind: "host-changed", text, playerId: this.state.hostId, previousHostId: previousId });
    this.log.info({ hostId: this.state.hostId, previousId, why }, "host changed");
  }

  // ----- requests --------------------------------------------------------------------------

  /** Registers a request of the shared contract: its schema validates, its reply type types the handler. */
  protected handle<T extends RequestTable, K extends RequestName<T>>(
    contract: T,
    name: K,
    handler: RequestHandler<PayloadOut<T, K>, HandlerReply<ReplyOf<T, K>>>,
  ): void {
    this.handleRequest<T[K]["payload"]>(name, contract[name]!.payload, handler);
  }

  /**
   * Registers a request type. The payload is validated here; the handler gets a typed payload and
   * the caller's seat. A TavernError becomes a typed rejection; anything else is logged, counted
   * and answered INTERNAL_ERROR, and the room goes on.
   */
  protected handleRequest<Schema extends z.ZodType>(type: string, schema: Schema, handler: RequestHandler<z.output<Schema>>): void {
    this.onMessage(type, async (client: Client, payload: unknown, ctx: MessageContext) => {
      try {
        if (!this.requestBuckets.take(client.sessionId, Date.now())) {
          throw new TavernError("RATE_LIMITED", "Too many requests: slow down.");
        }
        const playerId = this.ownerOf(client);
        const seat = playerId ? this.state.players.get(playerId) : undefined;
        if (!playerId || !seat) throw new TavernError("PERMISSION_DENIED", "You do not hold a seat in this room.");
        const problem = payloadProblem(payload);
        if (problem) throw new TavernError("VALIDATION_ERROR", `Invalid ${type} request: ${problem}.`);
        const parsed = schema.safeParse(payload);
        if (!parsed.success) {
          throw new TavernError("VALIDATION_ERROR", `Invalid ${type} request: ${describeZodError(parsed.error)}`);
        }
        this.touch();
        const result = await handler({ client, playerId, seat }, parsed.data);
        this.svc.metrics.requests.inc({ room_type: this.roomType, request: type, outcome: "ok" });
        return result ?? { ok: true };
      } catch (err) {
        const body = this.errorBodyFor(err, type);
        this.svc.metrics.requests.inc({ room_type: this.roomType, request: type, outcome: body.code });
        if (ctx.id === undefined) {
          client.send("error", body);
          return undefined;
        }
        return ctx.reject(body);
      }
    });
  }

  private errorBodyFor(err: unknown, type: string): ErrorBody {
    if (err instanceof TavernError) return err.toBody();
    this.reportException(err, `request:${type}`);
    return {
      code: "INTERNAL_ERROR",
      message: "The server failed to handle this request; the room is still running.",
    };
  }

  private registerLifecycleRequests(): void {
    this.handle(lifecycleContract, "ready", ({ seat }, { ready }) => {
      requirePhase(this.state.phase, ["lobby"], "change readiness");
      if (seat.role === "spectator") throw new TavernError("PERMISSION_DENIED", "Spectators do not play, so they cannot be ready.");
      seat.ready = ready;
    });

    this.handle(lifecycleContract, "config", ({ playerId }, patch) => {
      requireHost(playerId, this.state.hostId, "change the room settings");
      requirePhase(this.state.phase, ["lobby"], "change the room settings");
      const before = this.readConfig();
      const next = applyConfigPatch(before, patch, this.state.players.values());
      this.writeConfig(next);
      if (before.locked && !next.locked) this.knocks.admitAll();
      this.maxClients = connectionCap(next);
      if (next.private !== before.private) this.setListed(!next.private);
      this.scheduleListingUpdate();
      this.onModerationChanged();
      return { config: next };
    });

    this.handle(lifecycleContract, "start", ({ playerId }) => {
      requireHost(playerId, this.state.hostId, "start the game");
      requirePhase(this.state.phase, ["lobby"], "start");
      checkCanStart(this.state.players.values(), this.readConfig(), this.state.hostId);
      this.changePhase("playing");
    });

    this.handle(lifecycleContract, "finish", ({ playerId }) => {
      requireHost(playerId, this.state.hostId, "finish the game");
      requirePhase(this.state.phase, ["playing"], "finish");
      this.changePhase("finished");
    });

    this.handle(lifecycleContract, "reset", ({ playerId }) => {
      requireHost(playerId, this.state.hostId, "start a new round");
      requirePhase(this.state.phase, ["finished"], "start a new round");
      for (const seat of this.state.players.values()) seat.ready = false;
      this.changePhase("lobby");
    });

    this.handle(lifecycleContract, "kick", ({ playerId }, { playerId: targetId }) => {
      checkKick(playerId, this.state.hostId, targetId, this.state.players);
      this.kick(targetId);
    });

    this.handle(lifecycleContract, "transferHost", ({ playerId }, { playerId: targetId }) => {
      checkTransferHost(playerId, this.state.hostId, targetId, this.state.players);
      this.setHost(targetId, playerId, "the host handed it over");
      this.scheduleListingUpdate();
    });

    this.handle(lifecycleContract, "chat", ({ client, seat }, { text }) => {
      if (!this.chatBuckets.take(client.sessionId, Date.now())) {
        throw new TavernError("RATE_LIMITED", "You are sending chat messages too fast.");
      }
      this.appendChat(seat.id, seat.name, text);
    });

    this.handle(lifecycleContract, "ping", () => ({ now: Date.now() }));

    this.handle(
      lifecycleContract,
      "stateHash",
      ({ client }) => new Promise<StateHashReply>((resolve) => this.pendingHashReplies.push({ client, resolve })),
    );

    this.registerDoorRequests();
  }

  /**
   * The hash a stateHash request of this client is answered: of the state it may see, as it
   * decodes it. Here the whole state, which every client of a room without hidden parts holds;
   * a room type that hides parts of its state from some clients answers them the hash of what
   * they do receive, never of what they do not. `memo` is shared by the replies of one patch, so
   * each distinct state is hashed once.
   */
  protected stateHashFor(_client: Client, memo: Map<string, string>): string {
    return memoized(memo, "whole", () => hashState(this.state));
  }

  /**
   * Answers pending stateHash requests with the hash of exactly what this patch carries: the
   * replies resolve in a microtask, after broadcastPatch() has queued the patch on every socket,
   * so a client reads the reply only once its decoded state has caught up to the hashed moment.
   */
  override onBeforePatch(): void {
    this.patchVersion++;
    if (this.pendingHashReplies.length === 0) return;
    const waiting = this.pendingHashReplies;
    this.pendingHashReplies = [];
    const memo = new Map<string, string>();
    for (const { client, resolve } of waiting) resolve({ version: this.patchVersion, hash: this.stateHashFor(client, memo) });
  }

  override broadcastPatch(): boolean {
    this.sendingPatch = true;
    try {
      return super.broadcastPatch();
    } finally {
      this.sendingPatch = false;
      if (this.patchBytesSent > 0) this.svc.metrics.patchBytes.inc({ room_type: this.roomType }, this.patchBytesSent);
      this.patchBytesSent = 0;
    }
  }

  /**
   * Counts what this client is sent during a patch broadcast (Colyseus sends patches with raw()),
   * and holds back a patch that carries nothing for it. Colyseus sends every client a frame at
   * each tick in which anything changed, a bare protocol byte to those whose view holds none of
   * it: a player would learn from its mere arrival that something it cannot see just changed.
   */
  private meterPatches(client: Client): void {
    const raw = client.raw.bind(client);
    client.raw = (data, options, cb) => {
      if (this.sendingPatch) {
        if (data.byteLength === EMPTY_PATCH_BYTES) return;
        this.patchBytesSent += data.byteLength;
      }
      raw(data, options, cb);
    };
  }

  private changePhase(to: Phase): void {
    const from = this.state.phase;
    this.state.phase = to;
    this.svc.metrics.rooms.dec({ room_type: this.roomType, phase: from });
    this.svc.metrics.rooms.inc({ room_type: this.roomType, phase: to });
    this.announce({ kind: "phase-changed", text: `The room is now in the ${to} phase.` });
    this.audit(to === "playing" ? "started" : to === "finished" ? "finished" : "reset", this.state.hostId, { from });
    this.onPhaseChanged(from, to);
    this.scheduleListingUpdate();
  }

  private kick(targetId: string): void {
    const seat = this.state.players.get(targetId);
    const name = seat?.name ?? targetId;
    const client = this.clientOfPlayer.get(targetId);
    // The device comes from the token of the seat's connection (the last one, if dropped).
    this.kicks.add({ playerId: targetId, deviceId: (client?.auth as JoinAuth | undefined)?.deviceId });
    this.onModerationChanged();
    const pending = this.pendingReconnection.get(targetId);
    this.clientOfPlayer.delete(targetId);
    this.pendingReconnection.delete(targetId);
    this.removeSeat(targetId, "was kicked");
    this.announce({ kind: "player-kicked", text: `${name} was removed by the host.`, playerId: targetId });
    if (pending) {
      pending.reject(new Error("kicked"));
    } else if (client) {
      client.send("closing", { reason: "kicked", message: "The host removed you from this room." } satisfies ClosingMessage);
      client.leave(CLOSE_CODES.KICKED);
    }
  }

  // ----- the door: lock and knocks -----------------------------------------------------------

  /**
   * Decides whether this join may go on to take a seat, holding it while the room is locked
   * until the host answers. Answers whether the join waited.
   *
   * Why the join itself waits here, in onJoin: Tavern's rooms authenticate in a static onAuth
   * (the join gate, before any seat is reserved), and Colyseus runs an instance onAuth only when
   * a room has no static one, so onJoin is the awaited hook left. Once the socket has arrived,
   * Colyseus has stopped the seat reservation's timer (Room._onJoin clears it), so the wait is
   * bounded by KNOCK_TIMEOUT_SECONDS and not by the reservation. Until onJoin returns the client
   * stays JOINING: it gets no JOIN_ROOM handshake, no full state (sent only once the client
   * acknowledges JOIN_ROOM), no patches (the serializer skips clients that are not JOINED), and
   * messages to it queue and are dropped with the socket when the knock is refused. So an
   * unapproved knocker receives no byte of the room. The alternative, refusing with a code and
   * letting the client try again until approved, makes the knocker poll (a matchmaking request
   * and a socket each time), delays the admission to the next poll, and can tell "gave up" only
   * by a missing poll; a held join is let in at once and withdrawn the moment its socket closes.
   * The cost is a socket and a connection slot per waiting knock, bounded by MAX_KNOCKS.
   */
  private async passDoor(
    client: Client,
    identity: JoinAuth,
    request: { wantsSpectator: boolean; offeredCode: string | undefined },
    knock: boolean,
  ): Promise<boolean> {
    if (!this.state.players.has(identity.playerId)) {
      // A private room answers a stranger without its code as if there were no room: no door rule may speak first.
      checkPrivateEntry({
        isPrivate: this.state.config.private,
        code: this.state.code,
        offeredCode: request.offeredCode,
        isHost: identity.playerId === this.state.hostId,
      });
    }
    const spectator = request.wantsSpectator;
    const door = {
      locked: this.state.config.locked,
      hostId: this.state.hostId,
      hostSeated: this.state.players.has(this.state.hostId),
      seats: this.state.players.size,
      isSeated: (playerId: string) => this.state.players.has(playerId),
    };
    if (entryAtDoor(door, { ...identity, knock }, this.kicks) === "seat") return false;
    // Nobody asks the host about someone who could not sit anyway; seat() checks again after.
    admitNewcomer(this.state.players.values(), this.readConfig(), { wantsSpectator: spectator, isKicked: false });
    // A socket closed before the knock is registered would never withdraw it.
    if (client.state === ClientState.LEAVING) throw new TavernError("KNOCK_UNANSWERED", "The knock was withdrawn.");
    const { id, admitted } = this.knocks.knock({ playerId: identity.playerId, name: identity.name, spectator });
    const withdraw = () => this.knocks.withdraw(id);
    client.ref.once("close", withdraw);
    try {
      await admitted;
    } finally {
      client.ref.off("close", withdraw);
    }
    return true;
  }

  /** The list of knocks, to the host's connection (the host alone learns who is waiting). */
  private showKnocks(): void {
    this.clientOfPlayer.get(this.state.hostId)?.send("knocks", { knocks: this.knocks.list() } satisfies KnocksMessage);
  }

  /**
   * Knocks wait for whoever holds the host's seat: a new host (migration, transfer) is shown
   * them; with nobody in the host's seat (the last player left, a table's GM left) they end at
   * once instead of waiting out their timeout.
   */
  private onDoorHostChanged(): void {
    if (this.knocks.size === 0) return;
    if (this.state.players.has(this.state.hostId)) this.showKnocks();
    else this.knocks.endAll(new TavernError("KNOCK_UNANSWERED", "The host left, so nobody can let you in right now: try again later."));
  }

  private registerDoorRequests(): void {
    this.handle(lifecycleContract, "lock", ({ playerId }, { locked }) => {
      requireHost(playerId, this.state.hostId, "lock or unlock the room");
      if (this.state.config.locked !== locked) {
        this.state.config.locked = locked;
        if (!locked) this.knocks.admitAll();
        this.onModerationChanged();
      }
      return { locked };
    });

    this.handle(lifecycleContract, "answerKnock", ({ playerId }, { knockId, admit }) => {
      requireHost(playerId, this.state.hostId, "let people in");
      if (!this.knocks.answer(knockId, admit)) {
        throw new TavernError("NOT_FOUND", "That knock is no longer waiting (withdrawn, timed out or answered).", { knockId });
      }
    });
  }

  // ----- announcements, chat, listing, idleness ----------------------------------------------

  protected announce(message: AnnouncementMessage): void {
    this.broadcast("announcement", message);
    this.appendChat("", "", message.text);
  }

  protected appendChat(playerId: string, name: string, text: string): void {
    const line = chatLine({ playerId, name, text, at: Date.now() });
    this.state.chat.push(line);
    while (this.state.chat.length > CHAT_HISTORY) this.state.chat.shift();
    this.onChatLine(line);
  }

  /** A chat line (a player's or a system line) was added; durable rooms store it here. */
  protected onChatLine(_line: ChatLineState): void {}

  /** Puts back chat lines of an earlier life of the room (oldest first), as they were. */
  protected restoreChat(lines: ReadonlyArray<{ playerId: string; name: string; text: string; at: number }>): void {
    for (const line of lines.slice(-CHAT_HISTORY)) this.state.chat.push(chatLine(line));
  }

  /** Marks the room as in use; a room with no activity for idleTimeoutSeconds closes. */
  protected touch(): void {
    this.lastActivityAt = Date.now();
  }

  private closeIfIdle(): void {
    const idleMs = Date.now() - this.lastActivityAt;
    if (idleMs < this.state.config.idleTimeoutSeconds * 1000) return;
    const message = `This room was closed after ${this.state.config.idleTimeoutSeconds} seconds without activity.`;
    this.log.info({ idleMs }, "closing idle room");
    this.broadcast("closing", { reason: "idle", message } satisfies ClosingMessage);
    this.lastActivityAt = Number.POSITIVE_INFINITY; // close once
    // Let the closing message leave before the sockets close.
    this.clock.setTimeout(() => void this.disconnect(CLOSE_CODES.IDLE), 50);
  }

  private listingMetadata(): RoomListingMetadata {
    const { players, spectators } = countSeats(this.state.players.values());
    return {
      code: this.state.code,
      phase: this.state.phase,
      players,
      spectators,
      maxPlayers: this.state.config.maxPlayers,
      hostName: this.state.players.get(this.state.hostId)?.name ?? "",
    };
  }

  /** Coalesces listing updates: a join storm makes one matchmaker write per 100 ms, not one per join. */
  private scheduleListingUpdate(): void {
    if (this.listingUpdateScheduled) return;
    this.listingUpdateScheduled = true;
    this.clock.setTimeout(() => {
      this.listingUpdateScheduled = false;
      this.setMetadata(this.listingMetadata()).catch((err: unknown) => this.log.warn({ err }, "listing update failed"));
    }, LISTING_DEBOUNCE_MS);
  }

  /** Private rooms stay joinable by code but leave the lobby's public listing. */
  private setListed(listed: boolean): void {
    if (!listed) updateLobby(this, true);
    this.setMatchmaking({ unlisted: !listed })
      .then(() => {
        if (listed) updateLobby(this);
      })
      .catch((err: unknown) => this.log.warn({ err }, "visibility update failed"));
  }

  protected readConfig(): RoomConfig {
    const c = this.state.config;
    return {
      maxPlayers: c.maxPlayers,
      minPlayers: c.minPlayers,
      allowSpectators: c.allowSpectators,
      maxSpectators: c.maxSpectators,
      private: c.private,
      reconnectGraceSeconds: c.reconnectGraceSeconds,
      idleTimeoutSeconds: c.idleTimeoutSeconds,
      locked: c.locked,
    };
  }

  private writeConfig(config: RoomConfig): void {
    Object.assign(this.state.config, config);
  }

  /**
   * What the admin API shows of this room (called through matchMaker.remoteRoomCall, so it works
   * whichever process holds the room). The whole state, hidden parts included: admins only.
   */
  adminSnapshot(): AdminRoomSnapshot {
    return {
      roomId: this.roomId,
      roomType: this.roomType,
      code: this.state.code,
      phase: this.state.phase,
      version: this.patchVersion,
      hash: hashState(this.state),
      state: this.state.toJSON() as Record<string, unknown>,
    };
  }

  protected audit(kind: AuditKind, playerId: string, details?: Record<string, unknown>): void {
    this.svc.audit.record({
      roomId: this.roomId,
      roomType: this.roomType,
      code: this.state.code,
      kind,
      playerId,
      ...(details ? { details } : {}),
    });
  }

  // ----- failures ----------------------------------------------------------------------------

  override onUncaughtException(error: RoomException, methodName: RoomMethodName): void {
    // Join refusals travel as ServerErrors through onJoin: they are answers, not failures.
    if (error.cause instanceof ServerError && (methodName === "onJoin" || methodName === "onCreate")) return;
    this.reportException(error.cause ?? error, methodName);
  }

  protected reportException(err: unknown, where: string): void {
    this.svc.metrics.roomExceptions.inc({ room_type: this.roomType, method: where.split(":")[0] ?? where });
    this.log.error({ err, where }, "exception inside room; the room keeps running");
  }
}

/** A patch frame with no change in it: the protocol byte alone. */
const EMPTY_PATCH_BYTES = 1;

/** The memo's value for `key`, computed the first time it is asked for. */
export function memoized(memo: Map<string, string>, key: string, compute: () => string): string {
  let value = memo.get(key);
  if (value === undefined) memo.set(key, (value = compute()));
  return value;
}

/** Connections the transport accepts: every seat plus headroom so a join storm gets ROOM_FULL answers, not a locked room. */
function connectionCap(config: RoomConfig): number {
  const seats = config.maxPlayers + (config.allowSpectators ? config.maxSpectators : 0);
  return seats + Math.max(64, seats);
}

/** Runs a step of room creation, turning a refusal into the numbered error the matchmaker carries. */
export function catchJoinError<T>(step: () => T): T {
  try {
    return step();
  } catch (err) {
    throw err instanceof TavernError ? joinError(err) : err;
  }
}

/** A refusal during create/join, as the numbered ServerError the matchmaker and SDK carry. */
export function joinError(err: TavernError): ServerError {
  return new ServerError(JOIN_ERROR_NUMBERS[err.code], err.message);
}

function chatLine(fields: { playerId: string; name: string; text: string; at: number }): ChatLineState {
  const line = new ChatLineState();
  line.playerId = fields.playerId;
  line.name = fields.name;
  line.text = fields.text;
  line.at = fields.at;
  return line;
}
