/**
 * The room lifecycle every Tavern room type shares, wired from parts with one job each: the frame
 * guard (./frameGuard.ts), the request router (./requestRouter.ts), the built-in requests
 * (./lifecycleRequests.ts), the door with kicks and knocks (./door.ts), seating and the host role
 * (./seating.ts, over the pure seat book in domain/lobby), the patch meter and state hashes
 * (./patchMeter.ts), the room code (./roomCode.ts), the listing (./listing.ts) and idle closing
 * (./idleClose.ts). What is left here is Colyseus's hooks, in the order a seat lives through them,
 * and the protected surface room types use (requests through `handle`, chat, config, the hooks
 * below). It is longer than the other parts (about 400 lines) because each hook wires several of
 * them; splitting further would scatter the order of a join across files.
 */
import { CloseCode, Room, ServerError, type Client, type RoomException, type RoomMethodName } from "@colyseus/core";
import type { z } from "zod";
import type { PayloadOut, ReplyOf, RequestName, RequestTable } from "@tavern/shared/contract";
import { TavernError } from "@tavern/shared/errors";
import {
  createRoomOptionsSchema,
  joinOptionsSchema,
  type AnnouncementMessage,
  type Phase,
  type RoomConfig,
  type RoomListingMetadata,
} from "@tavern/shared/protocol";
import { connectionCap, defaultRoomConfig } from "@tavern/shared/roomDefaults";
import { ChatLineState, CHAT_HISTORY, type PlayerState, type LobbyState } from "@tavern/shared/state";
import { hashState } from "@tavern/shared/stateHash";
import type { Logger } from "../logger";
import type { AuditKind } from "../persistence/auditLog";
import { services, type RoomServices } from "../services";
import { Door, type JoinRequest } from "./door";
import { guardFrames } from "./frameGuard";
import { trimOldest } from "./history";
import { IdleClose } from "./idleClose";
import { catchJoinError, joinError } from "./joinErrors";
import { callerOf, type JoinAuth } from "./joinGate";
import { LifecycleRequests } from "./lifecycleRequests";
import { Listing } from "./listing";
import { PatchMeter, memoized } from "./patchMeter";
import { RequestRouter, type HandlerReply, type RequestHandler } from "./requestRouter";
import { RoomCode } from "./roomCode";
import { applyConfigPatch, countSeats } from "../domain/lobby/rules";
import { Seating, sendAway, type SeatingHost } from "./seating";
import { describeZodError } from "../domain/validation";

export { catchJoinError, joinError } from "./joinErrors";
export { memoized } from "./patchMeter";
export type { RequestContext } from "./requestRouter";

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

export abstract class LifecycleRoom<S extends LobbyState = LobbyState> extends Room<{ state: S; metadata: RoomListingMetadata }> {
  /** The registered room name (bounded: used as a metrics label). */
  protected abstract readonly roomType: string;
  protected readonly svc: RoomServices = services();
  protected log: Logger = this.svc.logger;
  /**
   * A code this room owns already (a stored session reopening under its own code), claimed as it
   * is; set by a room type before onCreate runs. A client's `restoreCode` is checked instead.
   */
  protected ownCode: string | undefined;
  /**
   * Whether the host role passes to another player when the host's seat is removed. A room where
   * the host holds authority others must not inherit (the GM of a table) keeps it for the host's return.
   */
  protected readonly migrateHostOnLeave: boolean = true;

  // The label is read when a patch is counted: roomType is a subclass field, set after this one.
  private readonly patches = new PatchMeter(() => this.roomType, this.svc.metrics);
  private door!: Door;
  private router!: RequestRouter;
  private requests!: LifecycleRequests;
  private code!: RoomCode;
  private listing!: Listing;
  private idle!: IdleClose;
  private seating!: Seating;

  protected abstract createState(): S;
  /** Room types register their own requests here (called once from onCreate). */
  protected registerRoomRequests(): void {}
  /** The host changed the config or kicked someone: rooms whose life outlasts the process store moderation() here. */
  protected onModerationChanged(): void {}
  protected onPhaseChanged(_from: Phase, _to: Phase): void {}
  /** A new seat was created, after the player is in state. */
  protected onSeatAdded(_seat: PlayerState): void {}
  /** A seat was removed for good (left, grace expired, kicked). */
  protected onSeatRemoved(_playerId: string): void {}
  /** A client took a seat: a new seat, a reclaimed one, or a reconnection. */
  protected onClientSeated(_client: Client, _seat: PlayerState): void {}
  protected onHostChanged(_nextId: string, _previousId: string | undefined): void {}
  /** A chat line (a player's or a system line) was added; durable rooms store it here. */
  protected onChatLine(_line: ChatLineState): void {}

  // ----- creation and disposal -------------------------------------------------------------

  override async onCreate(options: unknown): Promise<void> {
    const parsed = createRoomOptionsSchema.safeParse(options ?? {});
    if (!parsed.success) throw joinError(new TavernError("VALIDATION_ERROR", `Invalid room options: ${describeZodError(parsed.error)}`));
    const caller = callerOf(options);
    if (caller) catchJoinError(() => this.svc.creationLimit.take(caller));
    const defaults = defaultRoomConfig(this.roomType, {
      reconnectGraceSeconds: this.svc.config.reconnectGraceSeconds,
      idleTimeoutSeconds: this.svc.config.roomIdleTimeoutSeconds,
    });
    const config = catchJoinError(() => applyConfigPatch(defaults, parsed.data.config ?? {}, []));

    this.state = this.createState();
    Object.assign(this.state.config, config);
    this.code = new RoomCode(this.svc, this.roomType, this.roomId);
    const host = { state: this.state, readConfig: () => this.readConfig(), hostConnection: () => this.clientOf(this.state.hostId) };
    this.door = new Door({ ...host, moderationChanged: () => this.onModerationChanged() }, this.svc.config.knockTimeoutSeconds);
    this.state.code = await this.code.claim(parsed.data.restoreCode, caller, this.ownCode);
    // The creator is the host (in a table: the GM) whoever connects first, over HTTP too.
    this.seating = new Seating(this.seatingHost());
    if (caller) this.seating.createdBy(caller.playerId);
    this.log = this.svc.logger.child({ roomType: this.roomType, roomId: this.roomId, code: this.state.code });
    this.maxMessagesPerSecond = this.svc.config.floodMessagesPerSecond;
    this.maxClients = connectionCap(config);
    this.listing = new Listing(
      this,
      () => this.listingMetadata(),
      () => this.log,
    );
    await this.setMatchmaking({ metadata: this.listingMetadata(), unlisted: config.private });

    const report = (err: unknown, where: string) => this.reportException(err, where);
    guardFrames(this, { roomType: this.roomType, metrics: this.svc.metrics, logger: () => this.log, reportException: report });
    this.idle = new IdleClose(
      this,
      () => this.state.config.idleTimeoutSeconds,
      () => this.log,
    );
    this.router = new RequestRouter(this, {
      roomType: this.roomType,
      metrics: this.svc.metrics,
      requestsPerSecond: this.svc.config.requestRatePerSecond,
      seatOf: (client) => this.seatOf(client),
      touch: () => this.touch(),
      reportException: report,
    });
    this.requests = new LifecycleRequests({
      state: this.state,
      readConfig: () => this.readConfig(),
      applyConfig: (before, next) => this.applyConfig(before, next),
      changePhase: (to) => this.changePhase(to),
      kick: (targetId) => this.kick(targetId),
      transferHost: (targetId, previousId) => this.seating.setHost(targetId, previousId, "the host handed it over"),
      appendChat: (playerId, name, text) => this.appendChat(playerId, name, text),
      nextHash: (client) => this.patches.nextHash(client),
    });
    this.requests.register(this.router);
    this.door.register(this.router);
    this.registerRoomRequests();
    PatchMeter.dephase(this);
    this.svc.metrics.rooms.inc({ room_type: this.roomType, phase: this.state.phase });
    this.audit("created", "", { config });
    this.log.info({ config }, "room created");
  }

  /** Gives the room a fresh code: the claimed one turned out to be taken elsewhere (a stored session's). */
  protected async replaceCode(): Promise<void> {
    this.state.code = await this.code.replace(this.state.code);
    this.log = this.svc.logger.child({ roomType: this.roomType, roomId: this.roomId, code: this.state.code });
    await this.setMatchmaking({ metadata: this.listingMetadata() });
  }

  override async onDispose(): Promise<void> {
    if (!this.state?.code) return; // onCreate failed before the room had a code
    this.door.closing();
    this.svc.metrics.rooms.dec({ room_type: this.roomType, phase: this.state.phase });
    await this.code.release(this.state.code);
    this.audit("disposed", "");
    this.log.info("room disposed");
  }

  // ----- a seat's life ---------------------------------------------------------------------

  override async onJoin(client: Client, options: unknown): Promise<void> {
    const identity = client.auth as JoinAuth;
    const joinOptions = joinOptionsSchema.safeParse(options ?? {}).data;
    const request: JoinRequest = { wantsSpectator: joinOptions?.spectator === true, offeredCode: joinOptions?.code };
    let knocked: boolean;
    try {
      knocked = await this.door.pass(client, identity, request, joinOptions?.knock === true);
      this.seating.seat(client, identity, request);
    } catch (err) {
      this.svc.metrics.joins.inc({ room_type: this.roomType, outcome: err instanceof TavernError ? err.code : "INTERNAL_ERROR" });
      throw err instanceof TavernError ? joinError(err) : err;
    }
    this.connected(client, identity.playerId);
    // A knock's wait is the host's thinking time, not the server's latency.
    if (!knocked) this.svc.metrics.joinLatency.observe({ room_type: this.roomType }, (Date.now() - identity.requestedAt) / 1000);
  }

  /** A client holds its seat now (joined or reconnected): count, meter, tell the room type and the door. */
  private connected(client: Client, playerId: string): void {
    this.touch();
    if (this.seating.book.count(client, true)) this.svc.metrics.connectedClients.inc({ room_type: this.roomType });
    this.patches.meter(client);
    const seat = this.state.players.get(playerId);
    if (seat) this.onClientSeated(client, seat);
    if (playerId === this.state.hostId) this.door.hostSeated();
    this.listing.schedule();
  }

  private disconnected(client: Client): void {
    if (this.seating.book.count(client, false)) this.svc.metrics.connectedClients.dec({ room_type: this.roomType });
  }

  override onDrop(client: Client, code?: number): void {
    const playerId = this.ownerOf(client);
    this.disconnected(client);
    const seat = playerId ? this.state.players.get(playerId) : undefined;
    if (!playerId || !seat) return;
    seat.connected = false;
    const grace = this.state.config.reconnectGraceSeconds;
    // A client closed for flooding or garbage (WITH_ERROR) does not get its seat held.
    if (grace <= 0 || code === CloseCode.WITH_ERROR) return;
    this.log.info({ playerId, code, grace }, "player dropped; holding seat");
    const reconnection = this.allowReconnection(client, grace);
    this.seating.book.hold(playerId, reconnection);
    const outcome = (value: string) => () => this.svc.metrics.reconnections.inc({ room_type: this.roomType, outcome: value });
    reconnection.then(outcome("reconnected"), outcome("expired"));
    this.listing.schedule();
  }

  override onReconnect(client: Client): void {
    const playerId = this.seating.book.playerOfSessionId(client.sessionId);
    if (!playerId) return;
    this.seating.book.returned(playerId, client);
    const seat = this.state.players.get(playerId);
    if (seat) seat.connected = true;
    this.log.info({ playerId }, "player reconnected");
    this.connected(client, playerId);
  }

  override onLeave(client: Client, code?: number): void {
    const playerId = this.seating.book.left(client);
    this.router.forget(client.sessionId);
    this.requests.forget(client.sessionId);
    this.disconnected(client);
    if (playerId) this.seating.remove(playerId, code === CloseCode.CONSENTED ? "left the room" : "did not come back in time");
  }

  /** The client that holds a player's seat right now, if connected. */
  protected clientOf(playerId: string): Client | undefined {
    return this.seating.book.connectionOf(playerId);
  }

  /** The player id whose seat this exact client owns now, or undefined (replaced, refused, kicked). */
  protected ownerOf(client: Client): string | undefined {
    return this.seating.book.ownerOf(client);
  }

  private seatOf(client: Client): { playerId: string; seat: PlayerState } | undefined {
    const playerId = this.ownerOf(client);
    const seat = playerId ? this.state.players.get(playerId) : undefined;
    return playerId && seat ? { playerId, seat } : undefined;
  }

  private kick(targetId: string): void {
    const name = this.state.players.get(targetId)?.name ?? targetId;
    const released = this.seating.kick(targetId);
    // The device comes from the token of the seat's connection (the last one, if dropped).
    this.door.kicks.add({ playerId: targetId, deviceId: (released.connection?.auth as JoinAuth | undefined)?.deviceId });
    this.onModerationChanged();
    this.announce({ kind: "player-kicked", text: `${name} was removed by the host.`, playerId: targetId });
    sendAway(released);
  }

  private changePhase(to: Phase): void {
    const from = this.state.phase;
    this.state.phase = to;
    this.svc.metrics.rooms.dec({ room_type: this.roomType, phase: from });
    this.svc.metrics.rooms.inc({ room_type: this.roomType, phase: to });
    this.announce({ kind: "phase-changed", text: `The room is now in the ${to} phase.` });
    this.audit(to === "playing" ? "started" : to === "finished" ? "finished" : "reset", this.state.hostId, { from });
    this.onPhaseChanged(from, to);
    this.listing.schedule();
  }

  private applyConfig(before: RoomConfig, next: RoomConfig): void {
    Object.assign(this.state.config, next);
    this.door.configChanged(before, next);
    this.maxClients = connectionCap(next);
    if (next.private !== before.private) this.listing.setListed(!next.private);
    this.listing.schedule();
    this.onModerationChanged();
  }

  // ----- for room types ---------------------------------------------------------------------

  /** Registers a request of the shared contract (see ./requestRouter.ts). */
  protected handle<T extends RequestTable, K extends RequestName<T>>(
    contract: T,
    name: K,
    handler: RequestHandler<PayloadOut<T, K>, HandlerReply<ReplyOf<T, K>>>,
  ): void {
    this.router.handle(contract, name, handler);
  }

  /** Registers a request outside the contract (test rooms). */
  protected handleRequest<Schema extends z.ZodType>(type: string, schema: Schema, handler: RequestHandler<z.output<Schema>>): void {
    this.router.handleRequest(type, schema, handler);
  }

  /** The room's config and the players (and their devices) kicked from it. */
  protected moderation(): { config: RoomConfig; kicked: string[]; kickedDevices: string[] } {
    return { config: this.readConfig(), ...this.door.kicks.toStored() };
  }

  /** Players and devices kicked before the room was last closed stay out. */
  protected restoreKicked(playerIds: readonly string[], deviceIds: readonly string[] = []): void {
    this.door.kicks.restore(playerIds, deviceIds);
  }

  protected readConfig(): RoomConfig {
    const {
      maxPlayers,
      minPlayers,
      allowSpectators,
      maxSpectators,
      private: isPrivate,
      reconnectGraceSeconds,
      idleTimeoutSeconds,
      locked,
    } = this.state.config;
    return {
      maxPlayers,
      minPlayers,
      allowSpectators,
      maxSpectators,
      private: isPrivate,
      reconnectGraceSeconds,
      idleTimeoutSeconds,
      locked,
    };
  }

  protected announce(message: AnnouncementMessage): void {
    this.broadcast("announcement", message);
    this.appendChat("", "", message.text);
  }

  protected appendChat(playerId: string, name: string, text: string): void {
    const line = new ChatLineState().assign({ playerId, name, text, at: Date.now() });
    this.state.chat.push(line); // trimmed to CHAT_HISTORY just before the next patch (history.ts)
    this.onChatLine(line);
  }

  /** Puts back chat lines of an earlier life of the room (oldest first), as they were. */
  protected restoreChat(lines: ReadonlyArray<{ playerId: string; name: string; text: string; at: number }>): void {
    for (const line of lines.slice(-CHAT_HISTORY)) this.state.chat.push(new ChatLineState().assign(line));
  }

  /** Marks the room as in use; a room with no activity for idleTimeoutSeconds closes. */
  protected touch(): void {
    this.idle.touch();
  }

  /**
   * The hash a stateHash request of this client is answered: of the state it may see, as it
   * decodes it. Here the whole state; a room type that hides parts of its state from some clients
   * answers them the hash of what they do receive. `memo` shares one hash among equal views.
   */
  protected stateHashFor(_client: Client, memo: Map<string, string>): string {
    return memoized(memo, "whole", () => hashState(this.state));
  }

  override onBeforePatch(): void {
    trimOldest(this.state.chat, CHAT_HISTORY); // here only: see history.ts
    this.patches.beforePatch((client, memo) => this.stateHashFor(client, memo));
  }

  override broadcastPatch(): boolean {
    return this.patches.around(() => super.broadcastPatch());
  }

  /** What the admin API shows (through matchMaker.remoteRoomCall, from any process). The whole state, hidden parts included. */
  adminSnapshot(): AdminRoomSnapshot {
    const { roomId, roomType, state } = this;
    return {
      roomId,
      roomType,
      code: state.code,
      phase: state.phase,
      version: this.patches.version,
      hash: hashState(state),
      state: state.toJSON() as Record<string, unknown>,
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

  override onUncaughtException(error: RoomException, methodName: RoomMethodName): void {
    // Join refusals travel as ServerErrors through onJoin: they are answers, not failures.
    if (error.cause instanceof ServerError && (methodName === "onJoin" || methodName === "onCreate")) return;
    this.reportException(error.cause ?? error, methodName);
  }

  protected reportException(err: unknown, where: string): void {
    this.svc.metrics.roomExceptions.inc({ room_type: this.roomType, method: where.split(":")[0] ?? where });
    this.log.error({ err, where }, "exception inside room; the room keeps running");
  }

  private seatingHost(): SeatingHost {
    return {
      state: this.state,
      roomType: this.roomType,
      metrics: this.svc.metrics,
      log: () => this.log,
      readConfig: () => this.readConfig(),
      audit: (kind, playerId, details) => this.audit(kind, playerId, details),
      announce: (message) => this.announce(message),
      isKicked: (identity) => this.door.kicks.refuses(identity),
      migrateHostOnLeave: () => this.migrateHostOnLeave,
      hostSeatChanged: () => this.door.hostChanged(),
      seatAdded: (seat) => this.onSeatAdded(seat),
      seatRemoved: (playerId) => this.onSeatRemoved(playerId),
      hostChanged: (nextId, previousId) => this.onHostChanged(nextId, previousId),
      listingChanged: () => this.listing.schedule(),
    };
  }

  private listingMetadata(): RoomListingMetadata {
    const { players, spectators } = countSeats(this.state.players.values());
    const { code, phase, config, hostId } = this.state;
    return { code, phase, players, spectators, maxPlayers: config.maxPlayers, hostName: this.state.players.get(hostId)?.name ?? "" };
  }
}
