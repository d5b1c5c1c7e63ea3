/**
 * The tabletop session: the lifecycle plus one session document that only accepted updates change.
 * The creator is the GM (the host role, which does not pass to a player when the GM leaves).
 * Every change, whoever causes it, goes through change(): serialized, checked against the version,
 * built by the table's rules (../domain/table/commands.ts), applied by the operation engine,
 * hashed, recorded, synced into the schema state, then answered. What is stored when is the
 * recorder's policy (../persistence/tableRecorder.ts); the room only tells it what happened.
 *
 * Players and spectators are told only what covers what they see: the public version and hash,
 * in state, in replies, in refusals and in stateHash answers. The whole document's version and
 * hash are the GM's (./table/stateSync.ts keeps them, and hidden entities, in the GM's view).
 */
import { tableContract, type RollReply } from "@tavern/shared/contract";
import type { Client } from "@colyseus/core";
import pLimit from "p-limit";
import { TavernError } from "@tavern/shared/errors";
import { CHAT_HISTORY, type ChatLineState } from "@tavern/shared/state";
import { emptyTable } from "@tavern/shared/table/document";
import type { PublicUpdateReply, UpdateReply } from "@tavern/shared/table/operations";
import { tableCreateOptionsSchema } from "@tavern/shared/table/protocol";
import { GM_NOTE_HISTORY, RollState, ROLL_HISTORY, TableState } from "@tavern/shared/table/state";
import {
  LifecycleRoom,
  catchJoinError,
  joinError,
  memoized,
  type AdminRoomSnapshot,
  type RequestContext,
} from "../lifecycle/LifecycleRoom";
import { trimOldest } from "../lifecycle/history";
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
import type { StoredSession } from "../persistence/sessionStore";
import { TableRecorder } from "../persistence/tableRecorder";
import { realRetryTools } from "../persistence/backgroundWrites";
import { UnsavedNotices } from "./table/unsavedNotices";
import type { Phase } from "@tavern/shared/protocol";
import { getPlugin } from "../domain/table/plugins/registry";
import { GM_AUDIENCE, TableStateSync } from "./table/stateSync";
import { hashState } from "@tavern/shared/stateHash";

/** What a change answers: the GM the whole version and hash; a player moving a token the public ones. */
type ChangeReply<K extends TableCommandName> = (K extends "moveToken" ? UpdateReply | PublicUpdateReply : UpdateReply) & CommandExtras[K];

export class TableRoom extends LifecycleRoom<TableState> {
  protected readonly roomType = "table";
  protected override readonly migrateHostOnLeave = false;

  private session!: TableSession;
  private sync!: TableStateSync;
  /** What the GM is told when a background write of the session failed for good. */
  private readonly unsaved = new UnsavedNotices((message) => {
    const gm = this.clientOf(this.state.hostId);
    gm?.send("announcement", message);
    return gm !== undefined;
  });
  private readonly recorder = new TableRecorder(
    this.svc.sessions,
    this.svc.config.snapshotEvery,
    {
      log: () => this.log,
      code: () => this.state.code,
      gmPlayerId: () => this.state.hostId,
      settings: () => this.moderation(),
      replaceCode: () => this.replaceCode(),
      notSaved: (what, error) => this.unsaved.notSaved(what, error),
      savedAgain: (what) => this.unsaved.savedAgain(what),
    },
    { metrics: this.svc.metrics, retry: realRetryTools(this.svc.config.backgroundWriteRetry) },
  );
  /** Updates are applied one at a time, so a version check and its write cannot interleave. */
  private readonly updates = pLimit(1);

  protected createState(): TableState {
    const state = new TableState();
    // Before the room's encoder numbers the state: the GM-only part takes refIds of its own.
    this.sync = new TableStateSync(state, this.views);
    return state;
  }

  override async onCreate(options: unknown): Promise<void> {
    const parsed = tableCreateOptionsSchema.safeParse(options ?? {});
    if (!parsed.success) {
      throw joinError(new TavernError("VALIDATION_ERROR", `Invalid table options: ${describeZodError(parsed.error)}`));
    }
    const stored = parsed.data.sessionId ? await this.recorder.load(parsed.data.sessionId).catch(rethrowAsJoinError) : undefined;
    const plugin = catchJoinError(() => getPlugin(stored?.meta.pluginId ?? parsed.data.plugin ?? "generic"));
    // A stored session reopens under its own code; if that code is live, the session is already open.
    if (stored) this.ownCode = stored.meta.code;
    await super.onCreate(stored ? { ...(options as object), config: this.recorder.reopenedConfig(stored, parsed.data) } : options);
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
      { sessionId: this.recorder.sessionId, version: stamp.version, publicVersion: stamp.publicVersion, reopened: Boolean(stored) },
      "table session open",
    );
  }

  private reopen(stored: StoredSession, plugin: RulesPlugin): void {
    const head = { headVersion: stored.meta.headVersion, headHash: stored.meta.headHash };
    this.session = restoreSession({ ...stored, ...head }, plugin, { digest: nativeDigest });
    // The GM keeps authority over a reopened session, whoever opened it.
    this.state.hostId = stored.meta.gmPlayerId;
    this.kicks.restore(stored.roomSettings.kicked ?? [], stored.roomSettings.kickedDevices ?? []);
    this.recorder.reopened(stored, this.session);
  }

  /** The last rolls and chat lines of the session, as the room showed them before it closed. */
  private async restoreJournal(): Promise<void> {
    const recent = await this.recorder.recentJournal({ rolls: ROLL_HISTORY, chat: CHAT_HISTORY, gmNotes: GM_NOTE_HISTORY });
    if (!recent) return;
    for (const { playerId, name, label, expression, detail, total, at } of recent.rolls) {
      this.state.rolls.push(new RollState().assign({ playerId, name, label, expression, detail, total, at }));
    }
    for (const { playerId, name, label, expression, detail, total, at } of recent.secretRolls) {
      this.sync.gmRoll({ playerId, name, label, expression, detail, total, at });
    }
    for (const { text, at } of recent.gmNotes) this.sync.gmNote({ text, at });
    this.chat.restore(recent.chat);
  }

  protected override onChatLine({ playerId, name, text, at }: ChatLineState): void {
    this.recorder.chatted({ playerId, name, text, at });
  }

  protected override onModerationChanged(): void {
    this.recorder.settingsChanged();
  }

  private startNew(title: string, plugin: RulesPlugin): void {
    const doc = emptyTable(title, plugin.id, plugin.defaults.session());
    this.session = new TableSession(doc, { version: 0, publicVersion: 0 }, plugin, nativeDigest);
    this.recorder.startNew(this.session);
  }

  /** Whether the GM is this player: the host role of a table, kept while the GM is away. */
  private isGm(playerId: string): boolean {
    return playerId === this.state.hostId;
  }

  private audienceOf(playerId: string): Audience {
    return this.isGm(playerId) ? "gm" : "public";
  }

  /** The GM sees the GM-only part; players and spectators only the public state. */
  protected override audiencesOf(playerId: string): readonly string[] {
    return this.isGm(playerId) ? [GM_AUDIENCE] : [];
  }

  protected override onClientSeated(_client: Client, playerId: string): void {
    if (!this.isGm(playerId)) return;
    this.recorder.gmJoined();
    this.unsaved.gmSeated();
  }

  protected override onHostChanged(nextId: string): void {
    this.recorder.gmChanged(nextId);
  }

  override onLeave(client: Client, code?: number): void {
    const gmLeft = this.ownerOf(client) === this.state.hostId;
    super.onLeave(client, code);
    if (gmLeft) this.recorder.gmLeft();
  }

  override onDrop(client: Client, code?: number): void {
    const gmDropped = this.ownerOf(client) === this.state.hostId;
    super.onDrop(client, code);
    if (gmDropped) this.recorder.gmDropped();
  }

  protected override onPhaseChanged(_from: Phase, to: Phase): void {
    if (to === "finished") this.recorder.sessionFinished();
  }

  override onBeforePatch(): void {
    trimOldest(this.state.rolls, ROLL_HISTORY); // here only: see history.ts
    this.sync.beforePatch();
    super.onBeforePatch();
  }

  override async onBeforeShutdown(): Promise<void> {
    await this.recorder.shuttingDown();
    await super.onBeforeShutdown();
  }

  override async onDispose(): Promise<void> {
    await this.recorder.closing(); // before the database may close
    await super.onDispose();
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
    if (outcome.roll && outcome.secret) {
      this.sync.gmRoll(outcome.roll);
      this.recorder.rolledInSecret(outcome.roll);
    } else if (outcome.roll) {
      this.state.rolls.push(new RollState().assign(outcome.roll)); // trimmed just before the next patch
      this.recorder.rolled(outcome.roll);
    }
    this.publishNotes(outcome.notes);
    return outcome.reply;
  }

  /**
   * The one write path, serialized: the caller's checks at once, then in turn the version check,
   * the rest of the rules against the document as it is then (so a turn advance or damage always
   * sees the latest version), the engine, the recorder, the schema sync and the reply. baseVersion
   * and the reply are the GM's whole version or a player's public one.
   */
  private async change<K extends Exclude<TableCommandName, "roll">>(
    req: RequestContext,
    command: TableCommand<K>,
  ): Promise<ChangeReply<K>> {
    const plan = planTableCommand(this.actorOf(req), command, this.commandContext);
    return this.updates(async () => {
      const audience = this.audienceOf(req.playerId);
      // The role may have passed on while the change waited for its turn.
      if (plan.gmOnly && audience !== "gm") throw new TavernError("PERMISSION_DENIED", "Only the GM can change the session.");
      this.session.checkVersion(plan.baseVersion, audience);
      await this.recorder.beforeUpdate();
      const started = performance.now();
      const outcome = plan.build(this.session.doc);
      const prepared = this.session.prepare(outcome.ops, { authorId: req.playerId, kind: plan.kind });
      // Durable before acknowledged: the recorder applies it to the session only once stored.
      await this.recorder.updateAccepted(prepared);
      const stamp = this.session.stamp;
      this.sync.sync(prepared.doc, stamp);
      this.svc.metrics.updateApply.observe({ room_type: this.roomType }, (performance.now() - started) / 1000);
      this.publishNotes(outcome.notes);
      const { version, hash, publicVersion, publicHash } = stamp;
      const reply = audience === "gm" ? { version, hash, publicVersion, publicHash } : { publicVersion, publicHash };
      // A GM-only change was answered to the GM (checked above), so its reply has the whole version.
      return { ...reply, ...outcome.reply } as ChangeReply<K>;
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
      else this.chat.append("", "", note.text);
    }
  }

  /** Into the GM's part of the state, and stored: the GM sees it after a reload and a reopen, no one else ever. */
  private noteToGm(text: string): void {
    const note = { text, at: Date.now() };
    this.sync.gmNote(note);
    this.recorder.notedForGm(note);
  }

  override adminSnapshot(): AdminRoomSnapshot {
    const { doc, version, hash } = this.session;
    return { ...super.adminSnapshot(), version, hash, document: doc };
  }
}

function rethrowAsJoinError(err: unknown): never {
  throw err instanceof TavernError ? joinError(err) : err;
}
