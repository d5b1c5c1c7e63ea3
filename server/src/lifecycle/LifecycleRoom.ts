/**
 * The room lifecycle every Tavern room type shares, wired from parts with one job each: the frame
 * guard (./frameGuard.ts), the request router (./requestRouter.ts), the built-in requests and what
 * they do (./lifecycleRequests.ts, ./hostActions.ts), the door with kicks and knocks (./door.ts),
 * seating and the host role (./seating.ts, over the pure seat book in domain/lobby), per-seat
 * views (./seatViews.ts), the patch meter and state hashes (./patchMeter.ts), the room code
 * (./roomCode.ts), the listing (./listing.ts), chat (./roomChat.ts), idle closing (./idleClose.ts),
 * webhook events (./roomEvents.ts) and reports (./roomReports.ts). What is left here is Colyseus's hooks, in the order a seat lives
 * through them, and the protected surface room types use: requests through `handle`, views through
 * `audiencesOf`, and the hooks below. A new room type gives its state, its requests and its view rules.
 */
import { Room, ServerError, type Client, type RoomException, type RoomMethodName } from "@colyseus/core";
import type { z } from "zod";
import type { PayloadOut, ReplyOf, RequestName, RequestTable } from "@tavern/shared/contract";
import type { GameWrite, RoomPlayersReply } from "@tavern/shared/platform";
import { TavernError } from "@tavern/shared/errors";
import { joinOptionsSchema, type Phase, type RoomConfig, type RoomListingMetadata } from "@tavern/shared/protocol";
import { connectionCap } from "@tavern/shared/roomDefaults";
import { roomConfigOf, type ChatLineState, type PlayerState, type LobbyState } from "@tavern/shared/state";
import { hashState } from "@tavern/shared/stateHash";
import type { Logger } from "../logger";
import type { RoomServices } from "../services";
import { adminSnapshotOf, type AdminRoomSnapshot } from "./adminSnapshot";
import type { JoinRequest } from "./door";
import type { KickList } from "../domain/lobby/admission";
import { guardFrames } from "./frameGuard";
import { joinError } from "./joinErrors";
import type { JoinAuth } from "./joinGate";
import { PatchMeter, memoized } from "./patchMeter";
import type { HandlerReply, RequestHandler } from "./requestRouter";
import { assembleParts, listingMetadata, type LifecycleParts, type PartsHost } from "./roomParts";
import { trimChat, type RoomChat } from "./roomChat";
import { RoomCode } from "./roomCode";
import { RoomReports, type ReportedRoom } from "./roomReports";
import { openingOptions } from "./roomOptions";
import { SeatViews } from "./seatViews";
import { renewTokenIfDue } from "./tokenRenewal";
import type { GameWriteOutcome } from "./roomPresence";

export { catchJoinError, joinError } from "./joinErrors";
export { memoized } from "./patchMeter";
export type { AdminRoomSnapshot } from "./adminSnapshot";
export type { RequestContext } from "./requestRouter";

export abstract class LifecycleRoom<S extends LobbyState = LobbyState> extends Room<{ state: S; metadata: RoomListingMetadata }> {
  /** The registered room name (bounded: used as a metrics label). */
  protected abstract readonly roomType: string;
  protected readonly svc: RoomServices;
  protected log: Logger;
  /** A code this room owns already (a stored session reopening under its own code), set before onCreate; else `restoreCode` is checked. */
  protected ownCode: string | undefined;
  /** Whether the host role passes on when the host's seat is removed; not where the host holds authority others must not inherit (a GM). */
  protected readonly migrateHostOnLeave: boolean = true;
  /** The private parts of the state and who sees them (./seatViews.ts): room types share parts, the lifecycle keeps the views. */
  protected readonly views = new SeatViews();

  private readonly patches: PatchMeter;
  private readonly reports: RoomReports;
  private code!: RoomCode;
  private parts!: LifecycleParts;

  /** Called by rooms/bindRoom.ts with the server's services (Colyseus itself passes nothing). */
  constructor(svc: RoomServices) {
    super();
    this.svc = svc;
    this.log = svc.logger;
    // Labels are read when used: roomType is a subclass field, set after this constructor.
    this.patches = new PatchMeter(() => this.roomType, svc.metrics);
    this.reports = new RoomReports(this.reportedRoom(), svc.audit, svc.metrics);
  }

  protected abstract createState(): S;
  /** Room types register their own requests here (called once from onCreate). */
  protected registerRoomRequests(): void {}
  /** The audiences of the private parts a player's clients see (./seatViews.ts); none by default. */
  protected audiencesOf(_playerId: string): readonly string[] {
    return [];
  }
  /** The host changed the config or kicked someone: rooms whose life outlasts the process store moderation() here. */
  protected onModerationChanged(): void {}
  protected onPhaseChanged(_from: Phase, _to: Phase): void {}
  /** A new seat was created, after the player is in state. */
  protected onSeatAdded(_playerId: string, _seat: PlayerState): void {}
  /** A seat was removed for good (left, grace expired, kicked). */
  protected onSeatRemoved(_playerId: string): void {}
  /** A client took a seat (new, reclaimed or reconnected), after its view was given. */
  protected onClientSeated(_client: Client, _playerId: string, _seat: PlayerState): void {}
  /** The host changed, after both players' views follow it. */
  protected onHostChanged(_nextId: string, _previousId: string | undefined): void {}
  /** A chat line (a player's or a system line) was added; durable rooms store it here. */
  protected onChatLine(_line: ChatLineState): void {}

  // ----- creation and disposal -------------------------------------------------------------

  override async onCreate(options: unknown): Promise<void> {
    const { config, caller, restoreCode } = await openingOptions(this.roomType, options, this.svc);
    this.state = this.createState();
    Object.assign(this.state.config, config);
    this.code = new RoomCode(this.svc, this.roomType, this.roomId);
    this.state.code = await this.code.claim(restoreCode, caller, this.ownCode);
    this.log = this.svc.logger.child({ roomType: this.roomType, roomId: this.roomId, code: this.state.code });
    this.parts = assembleParts(this.partsHost());
    // The creator is the host (in a table: the GM) whoever connects first, over HTTP too.
    if (caller) this.parts.seating.createdBy(caller.playerId);
    this.maxMessagesPerSecond = this.svc.config.floodMessagesPerSecond;
    this.maxClients = connectionCap(config);
    await this.setMatchmaking({ metadata: listingMetadata(this.state), unlisted: config.private });
    const reportException = (err: unknown, where: string) => this.reportException(err, where);
    guardFrames(this, { roomType: this.roomType, metrics: this.svc.metrics, logger: () => this.log, reportException });
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
    await this.setMatchmaking({ metadata: listingMetadata(this.state) });
  }

  override async onDispose(): Promise<void> {
    if (!this.state?.code) return; // onCreate failed before the room had a code
    this.parts.door.closing();
    this.parts.connections.disposed();
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
      knocked = await this.parts.door.pass(client, identity, request, joinOptions?.knock === true);
      this.parts.seating.seat(client, identity, request);
    } catch (err) {
      this.svc.metrics.joins.inc({ room_type: this.roomType, outcome: err instanceof TavernError ? err.code : "INTERNAL_ERROR" });
      throw err instanceof TavernError ? joinError(err) : err;
    }
    this.parts.connections.connected(client, identity.playerId);
    renewTokenIfDue(client, identity, this.svc, this.log);
    // A knock's wait is the host's thinking time, not the server's latency.
    if (!knocked) this.svc.metrics.joinLatency.observe({ room_type: this.roomType }, (Date.now() - identity.requestedAt) / 1000);
  }

  override onDrop(client: Client, code?: number): void {
    this.parts.connections.dropped(client, code, (dropped, seconds) => this.allowReconnection(dropped, seconds));
  }

  override onReconnect(client: Client): void {
    this.parts.connections.reconnected(client);
  }

  override onLeave(client: Client, code?: number): void {
    this.parts.connections.left(client, code);
  }

  // ----- for room types ---------------------------------------------------------------------

  /** The client that holds a player's seat right now, if connected. */
  protected clientOf(playerId: string): Client | undefined {
    return this.parts.seating.book.connectionOf(playerId);
  }

  /** The player id whose seat this exact client owns now, or undefined (replaced, refused, kicked). */
  protected ownerOf(client: Client): string | undefined {
    return this.parts.seating.book.ownerOf(client);
  }

  /** Registers a request of the shared contract (see ./requestRouter.ts). */
  protected handle<T extends RequestTable, K extends RequestName<T>>(
    contract: T,
    name: K,
    handler: RequestHandler<PayloadOut<T, K>, HandlerReply<ReplyOf<T, K>>>,
  ): void {
    this.parts.router.handle(contract, name, handler);
  }

  /** Registers a request outside the contract (test rooms). */
  protected handleRequest<Schema extends z.ZodType>(type: string, schema: Schema, handler: RequestHandler<z.output<Schema>>): void {
    this.parts.router.handleRequest(type, schema, handler);
  }

  /** The room's config and the players (and their devices) kicked from it. */
  protected moderation(): { config: RoomConfig; kicked: string[]; kickedDevices: string[] } {
    return { config: roomConfigOf(this.state.config), ...this.parts.door.kicks.toStored() };
  }

  /** Players and devices kicked from the room (a stored room puts back those of its earlier life). */
  protected get kicks(): KickList {
    return this.parts.door.kicks;
  }

  /** The room's chat (a stored room puts back the lines of its earlier life). */
  protected get chat(): RoomChat {
    return this.parts.chat;
  }

  /** Gives these players' connected clients the views their audiences call for now (after a role changed). */
  protected refreshViews(...playerIds: ReadonlyArray<string | undefined>): void {
    for (const playerId of playerIds) {
      const client = playerId ? this.clientOf(playerId) : undefined;
      if (client && playerId) this.views.show(client, this.audiencesOf(playerId));
    }
  }

  /** Moves the room to another phase as the host's requests do (a game that ended by its own rules finishes the room). */
  protected changePhase(to: Phase): void {
    if (this.state.phase !== to) this.parts.actions.changePhase(to);
  }

  /** Marks the room as in use; a room with no activity for idleTimeoutSeconds closes. */
  protected touch(): void {
    this.parts.idle.touch();
  }

  /**
   * The hash a stateHash request of this client is answered: of the state it may see, as it
   * decodes it. Here the whole state; a room type with private parts answers each client the hash
   * of what it does receive. `memo` shares one hash among equal views (keyed by views.keyOf).
   */
  protected stateHashFor(_client: Client, memo: Map<string, string>): string {
    return memoized(memo, "whole", () => hashState(this.state));
  }

  override onBeforePatch(): void {
    this.parts.beforePatch();
    trimChat(this.state);
    this.patches.beforePatch((client, memo) => this.stateHashFor(client, memo));
  }

  override broadcastPatch(): boolean {
    // Colyseus patches from the room's construction on, onCreate or not. Until onCreate has made
    // the state and the parts (it waits on the database and, with REDIS_URL, on the shared
    // creation count) there is nothing to patch, only the clock to tick as Colyseus would: every
    // room being created threw here every 50 ms, which under load took the process down.
    if (!this.parts) {
      this.clock.tick();
      return false;
    }
    return this.patches.around(() => super.broadcastPatch());
  }

  /**
   * A platform API write (./roomPresence.ts), called through the matchmaker from whichever process
   * took the HTTP request. Never throws: a refusal travels back as its error body.
   */
  gameWrite(write: GameWrite, waitForBroadcast: boolean, apiKeyId: string, dedupeKey?: string): Promise<GameWriteOutcome> {
    return this.parts.presence.write(write, waitForBroadcast, dedupeKey, apiKeyId);
  }

  /** The players' locations and statuses, for the platform API's reads. */
  gamePlayers(): RoomPlayersReply {
    return this.parts.presence.read(this.roomType);
  }

  /** What the admin API shows (./adminSnapshot.ts). */
  adminSnapshot(): AdminRoomSnapshot {
    return adminSnapshotOf(this.roomId, this.roomType, this.state, this.patches.version);
  }

  protected audit(kind: Parameters<RoomReports["audit"]>[0], playerId: string, details?: Record<string, unknown>): void {
    this.reports.audit(kind, playerId, details);
  }

  override onUncaughtException(error: RoomException, methodName: RoomMethodName): void {
    // Join refusals travel as ServerErrors through onJoin: they are answers, not failures.
    if (error.cause instanceof ServerError && (methodName === "onJoin" || methodName === "onCreate")) return;
    this.reportException(error.cause ?? error, methodName);
  }

  protected reportException(err: unknown, where: string): void {
    this.reports.exception(err, where);
  }

  // ----- wiring ------------------------------------------------------------------------------

  private reportedRoom(): ReportedRoom {
    return { roomId: () => this.roomId, roomType: () => this.roomType, code: () => this.state?.code ?? "", log: () => this.log };
  }

  private partsHost(): PartsHost {
    return {
      ...{ room: this, state: this.state, roomType: this.roomType, svc: this.svc, patches: this.patches },
      migrateHostOnLeave: this.migrateHostOnLeave,
      log: () => this.log,
      audit: (kind, playerId, details) => this.audit(kind, playerId, details),
      reportException: (err, where) => this.reportException(err, where),
      setCapacity: (maxClients) => (this.maxClients = maxClients),
      views: this.views,
      audiencesOf: (playerId) => this.audiencesOf(playerId),
      hooks: {
        moderationChanged: () => this.onModerationChanged(),
        phaseChanged: (from, to) => this.onPhaseChanged(from, to),
        seatAdded: (playerId, seat) => this.onSeatAdded(playerId, seat),
        seatRemoved: (playerId) => this.onSeatRemoved(playerId),
        hostChanged: (nextId, previousId) => {
          this.refreshViews(nextId, previousId);
          this.onHostChanged(nextId, previousId);
        },
        chatLine: (line) => this.onChatLine(line),
        clientSeated: (client, playerId, seat) => this.onClientSeated(client, playerId, seat),
      },
    };
  }
}
