/**
 * The tabletop session: the lifecycle plus one session document that only accepted updates change.
 * The creator is the GM (the host role, which does not pass to a player when the GM leaves).
 * Every change, whoever causes it, goes through commit(): serialized, checked against the version,
 * applied by the operation engine, hashed, synced into the schema state, then answered.
 *
 * Players and spectators are told only what covers what they see: the public version and hash,
 * in state, in replies, in refusals and in stateHash answers. The whole document's version and
 * hash are the GM's (./table/stateSync.ts keeps them, and hidden entities, in the GM's view).
 */
import { tableContract, type RollReply } from "@tavern/shared/contract";
import type { AuthContext, Client } from "@colyseus/core";
import { randomUUID } from "node:crypto";
import pLimit from "p-limit";
import { TavernError } from "@tavern/shared/errors";
import { CHAT_HISTORY, type ChatLineState, type PlayerState } from "@tavern/shared/state";
import { emptyTable, type TableDoc } from "@tavern/shared/table/document";
import type { Operation, PublicUpdateReply, UpdateReply } from "@tavern/shared/table/operations";
import { tableCreateOptionsSchema, type GmNoteMessage } from "@tavern/shared/table/protocol";
import { RollState, ROLL_HISTORY, TableState } from "@tavern/shared/table/state";
import {
  LifecycleRoom,
  catchJoinError,
  joinError,
  memoized,
  type AdminRoomSnapshot,
  type RequestContext,
} from "../lifecycle/LifecycleRoom";
import { trimOldest } from "../lifecycle/history";
import { authorizeJoin } from "../lifecycle/joinGate";
import { describeZodError } from "../domain/validation";
import {
  planTableCommand,
  runTableCommand,
  type Actor,
  type CommandContext,
  type CommandExtras,
  type Note,
  type TableCommand,
  type TableCommandName,
} from "../domain/table/commands";
import { cryptoRng, newEntityId } from "./table/random";
import { nativeDigest } from "./table/docHash";
import { TableSession, restoreSession, type Audience } from "../domain/table/session";
import type { RulesPlugin } from "../domain/table/plugins/RulesPlugin";
import { isUniqueViolation, type StoredSession } from "../persistence/sessionStore";
import { BackgroundWrites } from "../persistence/backgroundWrites";
import type { JournalEntry } from "@tavern/shared/table/journal";
import { reopenStoredSession } from "./table/reopen";
import { roomConfigPatchSchema, type Phase } from "@tavern/shared/protocol";
import { getPlugin } from "../domain/table/plugins/registry";
import { TableStateSync } from "./table/stateSync";
import { hashState } from "@tavern/shared/stateHash";

/** What a change produces before it is committed: its ops and the lines it adds to the log. */
interface Change {
  ops: Operation[];
  notes: Note[];
}

export class TableRoom extends LifecycleRoom<TableState> {
  protected readonly roomType = "table";
  protected override readonly migrateHostOnLeave = false;

  private session!: TableSession;
  private sync!: TableStateSync;
  /** The session's id in the database. */
  private sessionId = "";
  /**
   * A new session is stored once its GM has joined (a table nobody took up leaves nothing behind
   * and no code claimed); settled once the row exists. A reopened session is stored already.
   */
  private storing: Promise<void> | undefined;
  private isStored = false;
  private lastSnapshotVersion = 0;
  /** Moderation and journal writes, in the order made: the last config is the one stored, rolls and chat in the order shown. */
  private backgroundWrites?: BackgroundWrites;
  /** Updates are applied one at a time, so a version check and its write cannot interleave. */
  private readonly updates = pLimit(1);

  static override async onAuth(token: string, options: unknown, context: AuthContext) {
    return authorizeJoin("table", token, options, context, reopenStoredSession);
  }

  protected createState(): TableState {
    const state = new TableState();
    // Before the room's encoder numbers the state: the GM-only part takes refIds of its own.
    this.sync = new TableStateSync(state);
    return state;
  }

  override async onCreate(options: unknown): Promise<void> {
    const parsed = tableCreateOptionsSchema.safeParse(options ?? {});
    if (!parsed.success) {
      throw joinError(new TavernError("VALIDATION_ERROR", `Invalid table options: ${describeZodError(parsed.error)}`));
    }
    const stored = parsed.data.sessionId ? await this.loadStored(parsed.data.sessionId) : undefined;
    const plugin = catchJoinError(() => getPlugin(stored?.meta.pluginId ?? parsed.data.plugin ?? "generic"));
    // A stored session reopens under its own code; if that code is live, the session is already open.
    if (stored) this.ownCode = stored.meta.code;
    await super.onCreate(stored ? { ...(options as object), config: this.reopenedConfig(stored, parsed.data) } : options);
    try {
      if (stored) {
        this.reopen(stored, plugin);
        await this.restoreJournal();
      } else this.startNew(parsed.data.title ?? "Untitled session", plugin);
    } catch (err) {
      await this.svc.codes.release(this.state.code);
      throw err instanceof TavernError ? joinError(err) : err;
    }
    const { doc, stamp } = this.session;
    this.sync.sync(doc, stamp);
    this.log.info(
      { sessionId: this.sessionId, version: stamp.version, publicVersion: stamp.publicVersion, reopened: Boolean(stored) },
      "table session open",
    );
  }

  private async loadStored(sessionId: string): Promise<StoredSession> {
    const stored = await this.svc.sessions.load(sessionId);
    if (!stored) throw joinError(new TavernError("NOT_FOUND", `There is no stored session ${sessionId}.`));
    return stored;
  }

  private reopen(stored: StoredSession, plugin: RulesPlugin): void {
    this.session = restoreSession({ ...stored, headVersion: stored.meta.headVersion, headHash: stored.meta.headHash }, plugin, {
      digest: nativeDigest,
    });
    this.sessionId = stored.meta.id;
    this.isStored = true;
    this.storing = Promise.resolve();
    this.lastSnapshotVersion = stored.snapshotVersion;
    // The GM keeps authority over a reopened session, whoever opened it.
    this.state.hostId = stored.meta.gmPlayerId;
    this.restoreKicked(stored.roomSettings.kicked ?? [], stored.roomSettings.kickedDevices ?? []);
    if (stored.updates.length > 0) void this.saveSnapshot("reopened");
  }

  /**
   * The config a reopened session's room starts with: the one stored when it was last changed,
   * then what the reopening request asks for. A stored config this version no longer accepts is
   * dropped with a warning rather than keeping the session closed.
   */
  private reopenedConfig(stored: StoredSession, options: Record<string, unknown>): Record<string, unknown> {
    const asked = options["config"] && typeof options["config"] === "object" ? (options["config"] as Record<string, unknown>) : {};
    const kept = roomConfigPatchSchema.safeParse(stored.roomSettings.config ?? {});
    if (!kept.success) {
      this.svc.logger.warn({ sessionId: stored.meta.id, error: describeZodError(kept.error) }, "stored room config ignored");
      return asked;
    }
    return { ...kept.data, ...asked };
  }

  /** The last rolls and chat lines of the session, as the room showed them before it closed. */
  private async restoreJournal(): Promise<void> {
    let rolls: Array<Extract<JournalEntry, { kind: "roll" }>>;
    let chat: Array<Extract<JournalEntry, { kind: "chat" }>>;
    try {
      [rolls, chat] = await Promise.all([
        this.svc.sessions.recentJournal(this.sessionId, "roll", ROLL_HISTORY),
        this.svc.sessions.recentJournal(this.sessionId, "chat", CHAT_HISTORY),
      ]);
    } catch (err) {
      // The game itself is restored; its recent history is a nicety not worth keeping it closed.
      this.log.warn({ err }, "rolls and chat of the session not read; it reopens without them");
      return;
    }
    for (const { playerId, name, label, expression, detail, total, at } of rolls) {
      this.state.rolls.push(new RollState().assign({ playerId, name, label, expression, detail, total, at }));
    }
    this.restoreChat(chat);
  }

  /** Writes in the background, in order; the log exists only once onCreate has named the room. */
  private get writes(): BackgroundWrites {
    this.backgroundWrites ??= new BackgroundWrites(this.log);
    return this.backgroundWrites;
  }

  /** Stores a roll or chat line in the background; a failed write is logged and counted, never thrown. */
  private journal(entry: JournalEntry): void {
    if (!this.isStored) return;
    const sessionId = this.sessionId;
    this.writes.queue(
      () => this.svc.sessions.appendJournal(sessionId, entry),
      `${entry.kind} not stored; it is shown but will not survive a reopen`,
    );
  }

  protected override onChatLine(line: ChatLineState): void {
    this.journal({ kind: "chat", playerId: line.playerId, name: line.name, text: line.text, at: line.at });
  }

  protected override onModerationChanged(): void {
    if (!this.isStored) return;
    const sessionId = this.sessionId;
    // moderation() is read when the write runs, so a burst of changes stores the latest.
    this.writes.queue(
      () => this.svc.sessions.saveRoomSettings(sessionId, this.moderation()),
      "room config and kicks not stored; they hold until the room closes",
    );
  }

  private startNew(title: string, plugin: RulesPlugin): void {
    const doc = emptyTable(title, plugin.id, plugin.defaults.session());
    this.session = new TableSession(doc, { version: 0, publicVersion: 0 }, plugin, nativeDigest);
    this.sessionId = randomUUID();
  }

  /** Stores a new session (once; again after a failure). Every durable write waits for it. */
  private ensureStored(): Promise<void> {
    this.storing ??= this.store().then(
      () => {
        this.isStored = true;
        this.onModerationChanged(); // config or kicks changed before the GM came
      },
      (err: unknown) => {
        this.storing = undefined;
        throw err;
      },
    );
    return this.storing;
  }

  private async store(): Promise<void> {
    const { doc, version, hash, publicVersion } = this.session;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.svc.sessions.create({
          id: this.sessionId,
          code: this.state.code,
          title: doc.title,
          gmPlayerId: this.state.hostId,
          pluginId: this.session.plugin.id,
          doc,
          version,
          hash,
          publicVersion,
          roomSettings: this.moderation(),
        });
        this.log.info({ sessionId: this.sessionId }, "table session stored (its GM joined)");
        return;
      } catch (err) {
        // The code is free among live rooms but a stored session owns it: take another.
        if (isUniqueViolation(err) && attempt < 5) await this.replaceCode();
        else {
          // The reply names no database detail; the log has it (without the bound values: logger.ts).
          this.log.error({ err }, "table session not stored");
          throw new TavernError("PERSISTENCE_ERROR", "The session could not be stored; try again.");
        }
      }
    }
  }

  /** Whether the GM is this player: the host role of a table, kept while the GM is away. */
  private isGm(playerId: string): boolean {
    return playerId === this.state.hostId;
  }

  private audienceOf(playerId: string): Audience {
    return this.isGm(playerId) ? "gm" : "public";
  }

  protected override onClientSeated(client: Client, seat: PlayerState): void {
    this.sync.attach(client, this.isGm(seat.id));
    if (this.isGm(seat.id) && !this.isStored) this.ensureStored().catch(() => undefined); // logged in store(); retried by the GM's next change
  }

  protected override onHostChanged(nextId: string, previousId: string | undefined): void {
    if (this.isStored && nextId) {
      this.svc.sessions.setGm(this.sessionId, nextId).catch((err: unknown) => this.log.warn({ err }, "GM change not stored"));
    }
    for (const id of [nextId, previousId]) {
      const client = id ? this.clientOf(id) : undefined;
      if (client && id) this.sync.attach(client, this.isGm(id));
    }
  }

  override onLeave(client: Client, code?: number): void {
    this.sync.detach(client);
    const gmLeft = this.ownerOf(client) === this.state.hostId;
    super.onLeave(client, code);
    if (gmLeft) void this.saveSnapshot("the GM left");
  }

  override onDrop(client: Client, code?: number): void {
    const gmDropped = this.ownerOf(client) === this.state.hostId;
    super.onDrop(client, code);
    if (gmDropped) void this.saveSnapshot("the GM dropped");
  }

  protected override onPhaseChanged(_from: Phase, to: Phase): void {
    if (to === "finished") void this.saveSnapshot("session finished");
  }

  override onBeforePatch(): void {
    trimOldest(this.state.rolls, ROLL_HISTORY); // here only: see history.ts
    super.onBeforePatch();
  }

  override async onBeforeShutdown(): Promise<void> {
    await this.saveSnapshot("server shutting down");
    await super.onBeforeShutdown();
  }

  override async onDispose(): Promise<void> {
    if (this.session) await this.saveSnapshot("room closing");
    await this.backgroundWrites?.settled(); // before the database may close
    await super.onDispose();
  }

  /** Stores the current document as the session's snapshot, unless it already is. Never throws. */
  private async saveSnapshot(reason: string): Promise<void> {
    if (!this.isStored) return;
    const { doc, version, hash, publicVersion } = this.session;
    if (version <= this.lastSnapshotVersion) return;
    try {
      await this.svc.sessions.snapshot(this.sessionId, { doc, version, hash, publicVersion });
      this.lastSnapshotVersion = Math.max(this.lastSnapshotVersion, version);
      this.log.debug({ version, reason }, "snapshot stored");
    } catch (err) {
      // The log holds every update: a missed snapshot only makes the next reopen replay more.
      this.log.warn({ err, version, reason }, "snapshot not stored");
    }
  }

  protected override registerRoomRequests(): void {
    this.handle(tableContract, "update", (req, payload) => this.change(req, { name: "update", payload }));
    this.handle(tableContract, "create", (req, payload) => this.change(req, { name: "create", payload }));
    this.handle(tableContract, "moveToken", (req, payload) => this.change(req, { name: "moveToken", payload }));
    this.handle(tableContract, "action", (req, payload) => this.change(req, { name: "action", payload }));
    this.handle(tableContract, "encounter", (req, payload) => this.change(req, { name: "encounter", payload }));
    this.handle(tableContract, "roll", (req, payload) => this.rollDice(req, payload));
  }

  private actorOf({ playerId, seat }: RequestContext): Actor {
    return { playerId, name: seat.name, role: seat.role, isGm: this.isGm(playerId) };
  }

  private get commandContext(): CommandContext {
    return { plugin: this.session.plugin, rng: cryptoRng, newId: newEntityId, now: () => Date.now() };
  }

  private rollDice(req: RequestContext, payload: TableCommand<"roll">["payload"]): RollReply {
    const outcome = runTableCommand(this.session.doc, this.actorOf(req), { name: "roll", payload }, this.commandContext);
    if (outcome.roll) {
      this.state.rolls.push(new RollState().assign(outcome.roll)); // trimmed just before the next patch
      this.journal({ kind: "roll", ...outcome.roll });
    }
    this.publishNotes(outcome.notes);
    return outcome.reply;
  }

  /**
   * A change to the document: the caller's checks at once, the rest against the document as it is
   * when the change's turn comes. A GM-only change is answered with the whole version and hash.
   */
  private async change<K extends Exclude<TableCommandName, "roll">>(
    req: RequestContext,
    command: TableCommand<K>,
  ): Promise<(K extends "moveToken" ? UpdateReply | PublicUpdateReply : UpdateReply) & CommandExtras[K]> {
    const plan = planTableCommand(this.actorOf(req), command, this.commandContext);
    let extras: CommandExtras[K] | undefined;
    const reply = await this.commit(req.playerId, plan.kind, plan.baseVersion, (doc) => {
      const outcome = plan.build(doc);
      extras = outcome.reply;
      return outcome;
    });
    // The GM lost the role while the change waited: a GM-only change is answered to the GM alone.
    if (plan.gmOnly && !("version" in reply)) throw new TavernError("PERMISSION_DENIED", "Only the GM can change the session.");
    // The cast restates what the check above established: a GM-only change has the whole reply.
    return { ...reply, ...extras } as (K extends "moveToken" ? UpdateReply | PublicUpdateReply : UpdateReply) & CommandExtras[K];
  }

  /**
   * The one write path. `build` runs inside the queue against the current document, so a change
   * computed from the state (a turn advance, damage) always sees the latest version. The author's
   * baseVersion, and the reply, are the GM's whole version or a player's public one.
   */
  private commit(
    authorId: string,
    kind: string,
    baseVersion: number | undefined,
    build: (doc: TableDoc) => Change,
  ): Promise<UpdateReply | PublicUpdateReply> {
    return this.updates(async () => {
      const audience = this.audienceOf(authorId);
      this.session.checkVersion(baseVersion, audience);
      await this.ensureStored();
      const started = performance.now();
      const change = build(this.session.doc);
      const prepared = this.session.prepare(change.ops, { authorId, kind });
      // Durable before acknowledged: an update the log did not take is not applied.
      try {
        await this.svc.sessions.append(this.sessionId, prepared.record);
      } catch (err) {
        this.log.error({ err, version: prepared.record.version }, "update not stored; not applied");
        throw new TavernError("PERSISTENCE_ERROR", "The update could not be saved, so it was not applied. Try again.");
      }
      this.session.accept(prepared);
      if (prepared.record.version - this.lastSnapshotVersion >= this.svc.config.snapshotEvery) {
        void this.saveSnapshot("periodic");
      }
      const stamp = this.session.stamp;
      this.sync.sync(prepared.doc, stamp);
      this.svc.metrics.updateApply.observe({ room_type: this.roomType }, (performance.now() - started) / 1000);
      this.publishNotes(change.notes);
      const { publicVersion, publicHash } = stamp;
      return audience === "gm" ? { version: stamp.version, hash: stamp.hash, publicVersion, publicHash } : { publicVersion, publicHash };
    });
  }

  /** The GM's stateHash covers the whole state; anyone else's the state without the GM-only part, as they decode it. */
  protected override stateHashFor(client: Client, memo: Map<string, string>): string {
    const playerId = this.ownerOf(client);
    if (playerId !== undefined && this.isGm(playerId)) return super.stateHashFor(client, memo);
    return memoized(memo, "public", () => {
      const { gm: _gm, ...seen } = this.state.toJSON() as Record<string, unknown>;
      return hashState({ toJSON: () => seen });
    });
  }

  private publishNotes(notes: Note[]): void {
    for (const note of notes) {
      if (note.gmOnly) this.noteToGm(note.text);
      else this.appendChat("", "", note.text);
    }
  }

  private noteToGm(text: string): void {
    this.clientOf(this.state.hostId)?.send("gmNote", { text, at: Date.now() } satisfies GmNoteMessage);
  }

  override adminSnapshot(): AdminRoomSnapshot {
    const { doc, version, hash } = this.session;
    return { ...super.adminSnapshot(), version, hash, document: doc };
  }
}
