/**
 * How a table session is kept in the database, in one place. The room tells the recorder what
 * happened, at named moments, and the recorder decides what that means for the store:
 *
 * - a new session is stored once its GM has joined (a table nobody took up leaves nothing behind
 *   and claims no code); if a stored session owns the room's code, the room takes another;
 * - an update is appended to the log before it is applied, so nothing acknowledged is unstored;
 * - snapshots: every `snapshotEvery` updates, when the session finishes, when the GM leaves or
 *   drops, at shutdown, when the room closes, and at once when a reopen replayed a log;
 * - the journal (rolls, chat, GM notes), the room's settings (config, kicks) and a GM change are
 *   written in the background, in order, each tried again with backoff (./backgroundWrites.ts);
 *   one that still fails is logged, counted, and told to the room (RecordedRoom.notSaved), never
 *   thrown into it;
 * - who is GM is also stored with every update, in its transaction, and once more when the room
 *   closes if its own write had failed: a restart never hands the table back to the previous GM
 *   once an update was made after the change. Settings whose last write failed are tried once
 *   more at close too.
 */
import { randomUUID } from "node:crypto";
import { TavernError } from "@tavern/shared/errors";
import { roomConfigPatchSchema, type UnsavedKind } from "@tavern/shared/protocol";
import type { JournalEntry, StoredRoomSettings } from "@tavern/shared/table/journal";
import type { PreparedUpdate, TableSession } from "../domain/table/session";
import { describeZodError } from "../domain/validation";
import type { Logger } from "../logger";
import type { Metrics } from "../observability/metrics";
import { BackgroundWrites, realRetryTools, type BackgroundWrite, type RetryTools, type WriteOutcome } from "./backgroundWrites";
import { isUniqueViolation, type SessionStore, type StoredSession } from "./sessionStore";

type RollEntry = Extract<JournalEntry, { kind: "roll" }>;
type ChatEntry = Extract<JournalEntry, { kind: "chat" }>;
type GmNoteEntry = Extract<JournalEntry, { kind: "gmNote" }>;

/** The journal a reopened room shows again: public rolls and chat, and the GM's secret rolls and notes. */
export interface RecentJournal {
  rolls: RollEntry[];
  chat: ChatEntry[];
  secretRolls: Omit<RollEntry, "kind">[];
  gmNotes: GmNoteEntry[];
}

/** What the recorder reads from the room it records, when it needs it. */
export interface RecordedRoom {
  /** The room's logger now (it is renamed when the room takes another code). */
  log(): Logger;
  code(): string;
  gmPlayerId(): string;
  /** The config and kicks as they are now. */
  settings(): StoredRoomSettings;
  /** Gives the room another code (its own is owned by a stored session). */
  replaceCode(): Promise<void>;
  /** A background write failed for good: the GM should know what was not saved. */
  notSaved(what: UnsavedWhat, error: unknown): void;
  /** A write of this kind landed again (a later notice about it is news again). */
  savedAgain(what: UnsavedWhat): void;
}

/** What a background write of the table saves, as the GM would be told it was not. */
export type UnsavedWhat = UnsavedKind;

type TableWrite = BackgroundWrite & { what: UnsavedWhat };

export interface RecorderOptions {
  metrics?: Metrics;
  retry?: RetryTools;
}

/** Attempts at storing a new session, each after taking another code. */
const STORE_ATTEMPTS = 5;

export class TableRecorder {
  private session: TableSession | undefined;
  private id = "";
  /** Settled once the session's row exists; undefined again after a failure, so the next write retries. */
  private storing: Promise<void> | undefined;
  private stored = false;
  private lastSnapshotVersion = 0;
  /** Journal, settings and GM writes, in the order made: the last settings are the ones stored, rolls and chat in the order shown. */
  private backgroundWrites: BackgroundWrites<TableWrite> | undefined;
  /** A GM the database may not have yet: set by a change, cleared once a write of it landed. */
  private gmToStore: string | undefined;
  /** The last settings write failed for good: the room's close tries once more (they are written whole). */
  private settingsUnsaved = false;

  constructor(
    private readonly store: SessionStore,
    private readonly snapshotEvery: number,
    private readonly room: RecordedRoom,
    private readonly options: RecorderOptions = {},
  ) {}

  /** The session's id in the database ("" until a session is started or reopened). */
  get sessionId(): string {
    return this.id;
  }

  /** Reads a stored session to reopen; NOT_FOUND if there is none by that id. */
  async load(sessionId: string): Promise<StoredSession> {
    const stored = await this.store.load(sessionId);
    if (!stored) throw new TavernError("NOT_FOUND", `There is no stored session ${sessionId}.`);
    return stored;
  }

  /** A new session, stored when its GM joins (gmJoined) or by its first update, whichever comes first. */
  startNew(session: TableSession): void {
    this.session = session;
    this.id = randomUUID();
  }

  /** A session reopened from the store; if it replayed updates, a snapshot saves the next reopen the replay. */
  reopened(stored: StoredSession, session: TableSession): void {
    this.session = session;
    this.id = stored.meta.id;
    this.stored = true;
    this.storing = Promise.resolve();
    this.lastSnapshotVersion = stored.snapshotVersion;
    if (stored.updates.length > 0) void this.snapshot("reopened");
  }

  /**
   * The config a reopened session's room starts with: the one stored when it was last changed,
   * then what the reopening request asks for. A stored config this version no longer accepts is
   * dropped with a warning rather than keeping the session closed.
   */
  reopenedConfig(stored: StoredSession, options: Record<string, unknown>): Record<string, unknown> {
    const asked = options["config"] && typeof options["config"] === "object" ? (options["config"] as Record<string, unknown>) : {};
    const kept = roomConfigPatchSchema.safeParse(stored.roomSettings.config ?? {});
    if (!kept.success) {
      this.room.log().warn({ sessionId: stored.meta.id, error: describeZodError(kept.error) }, "stored room config ignored");
      return asked;
    }
    return { ...kept.data, ...asked };
  }

  /** The last entries of each kind, oldest first; undefined if they could not be read. */
  async recentJournal(limits: { rolls: number; chat: number; gmNotes: number }): Promise<RecentJournal | undefined> {
    try {
      const [rolls, chat, secretRolls, gmNotes] = await Promise.all([
        this.store.recentJournal(this.id, "roll", limits.rolls),
        this.store.recentJournal(this.id, "chat", limits.chat),
        this.store.recentJournal(this.id, "secretRoll", limits.rolls),
        this.store.recentJournal(this.id, "gmNote", limits.gmNotes),
      ]);
      return { rolls, chat, secretRolls, gmNotes };
    } catch (err) {
      // The game itself is restored; its recent history is a nicety not worth keeping it closed.
      this.room.log().warn({ err }, "rolls and chat of the session not read; it reopens without them");
      return undefined;
    }
  }

  gmJoined(): void {
    if (!this.stored) this.ensureStored().catch(() => undefined); // logged in storeNew(); retried by the GM's next change
  }

  gmChanged(gmPlayerId: string): void {
    if (!this.stored || !gmPlayerId) return;
    this.gmToStore = gmPlayerId;
    this.queueGmWrite();
  }

  /** Stores the latest GM not known to be stored (a burst of changes stores the last one). */
  private queueGmWrite(): void {
    const sessionId = this.id;
    this.writes.queue({
      operation: "gm-change",
      what: "gm-change",
      lost: "GM change not stored; it is stored with the next update, or when the room closes",
      write: async () => {
        const gm = this.gmToStore;
        if (gm === undefined) return; // an update stored it meanwhile
        await this.store.setGm(sessionId, gm);
        if (this.gmToStore === gm) this.gmToStore = undefined;
      },
    });
  }

  gmLeft(): void {
    void this.snapshot("the GM left");
  }

  gmDropped(): void {
    void this.snapshot("the GM dropped");
  }

  sessionFinished(): void {
    void this.snapshot("session finished");
  }

  shuttingDown(): Promise<void> {
    return this.snapshot("server shutting down");
  }

  /** The room is closing: a last snapshot, and every background write done before the database may close. */
  async closing(): Promise<void> {
    if (this.session) await this.snapshot("room closing");
    await this.backgroundWrites?.settled();
    // A GM change that no write stored (its own failed, no update carried it), settings whose last
    // write failed: one more round of tries before the room is gone.
    if (this.gmToStore !== undefined && this.stored) this.queueGmWrite();
    if (this.settingsUnsaved) this.settingsChanged();
    await this.backgroundWrites?.settled();
  }

  /** The config or kicks changed. */
  settingsChanged(): void {
    if (!this.stored) return;
    const sessionId = this.id;
    // settings() is read when the write runs, so a burst of changes stores the latest.
    this.writes.queue({
      operation: "room-settings",
      what: "room-settings",
      lost: "room config and kicks not stored; they hold until the room closes",
      write: () => this.store.saveRoomSettings(sessionId, this.room.settings()),
    });
  }

  rolled(line: Omit<RollEntry, "kind">): void {
    this.journal({ kind: "roll", ...line });
  }

  chatted(line: Omit<ChatEntry, "kind">): void {
    this.journal({ kind: "chat", ...line });
  }

  rolledInSecret(line: Omit<RollEntry, "kind">): void {
    this.journal({ kind: "secretRoll", ...line });
  }

  notedForGm(note: Omit<GmNoteEntry, "kind">): void {
    this.journal({ kind: "gmNote", ...note });
  }

  /** Before an update is built: a new session is stored first, since its log needs the row. */
  beforeUpdate(): Promise<void> {
    return this.ensureStored();
  }

  /**
   * An update the rules accepted: appended to the log, and only then made current in the session.
   * If the store does not take it, the session stays as it was and the caller gets PERSISTENCE_ERROR.
   */
  async updateAccepted(prepared: PreparedUpdate): Promise<void> {
    const session = this.session;
    if (!session) throw new Error("no session to record"); // startNew or reopened comes first
    const gm = this.room.gmPlayerId();
    try {
      await this.store.append(this.id, prepared.record, gm);
      if (this.gmToStore === gm) this.gmToStore = undefined;
    } catch (err) {
      this.room.log().error({ err, version: prepared.record.version }, "update not stored; not applied");
      throw new TavernError("PERSISTENCE_ERROR", "The update could not be saved, so it was not applied. Try again.");
    }
    session.accept(prepared);
    if (prepared.record.version - this.lastSnapshotVersion >= this.snapshotEvery) void this.snapshot("periodic");
  }

  /** Writes in the background, in order; the room's log is named only once its onCreate ran. */
  private get writes(): BackgroundWrites<TableWrite> {
    this.backgroundWrites ??= new BackgroundWrites<TableWrite>(
      this.room.log(),
      (write, outcome, error) => this.settled(write, outcome, error),
      this.options.retry ?? realRetryTools(),
    );
    return this.backgroundWrites;
  }

  private settled(write: TableWrite, outcome: WriteOutcome, error: unknown): void {
    this.options.metrics?.backgroundWrites.inc({ operation: write.operation, outcome });
    if (write.what === "room-settings") this.settingsUnsaved = outcome === "failed";
    if (outcome === "failed") this.room.notSaved(write.what, error);
    else this.room.savedAgain(write.what);
  }

  /** Stores a roll or chat line in the background; a failed write is retried, counted and told, never thrown. */
  private journal(entry: JournalEntry): void {
    if (!this.stored) return;
    const sessionId = this.id;
    this.writes.queue({
      operation: "journal",
      what: entry.kind,
      lost: `${entry.kind} not stored; it is shown but will not survive a reopen`,
      write: () => this.store.appendJournal(sessionId, entry),
    });
  }

  /** Stores a new session (once; again after a failure). Every durable write waits for it. */
  private ensureStored(): Promise<void> {
    this.storing ??= this.storeNew().then(
      () => {
        this.stored = true;
        this.settingsChanged(); // config or kicks changed before the GM came
      },
      (err: unknown) => {
        this.storing = undefined;
        throw err;
      },
    );
    return this.storing;
  }

  private async storeNew(): Promise<void> {
    const session = this.session;
    if (!session) throw new Error("no session to store"); // startNew comes first
    const { doc, version, hash, publicVersion } = session;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.store.create({
          id: this.id,
          code: this.room.code(),
          title: doc.title,
          gmPlayerId: this.room.gmPlayerId(),
          pluginId: session.plugin.id,
          doc,
          version,
          hash,
          publicVersion,
          roomSettings: this.room.settings(),
        });
        this.room.log().info({ sessionId: this.id }, "table session stored (its GM joined)");
        return;
      } catch (err) {
        // The code is free among live rooms but a stored session owns it: take another.
        if (isUniqueViolation(err) && attempt < STORE_ATTEMPTS) await this.room.replaceCode();
        else {
          // The reply names no database detail; the log has it (without the bound values: logger.ts).
          this.room.log().error({ err }, "table session not stored");
          throw new TavernError("PERSISTENCE_ERROR", "The session could not be stored; try again.");
        }
      }
    }
  }

  /** Stores the current document as the session's snapshot, unless it already is. Never throws. */
  private async snapshot(reason: string): Promise<void> {
    const session = this.session;
    if (!this.stored || !session) return;
    const { doc, version, hash, publicVersion } = session;
    if (version <= this.lastSnapshotVersion) return;
    try {
      await this.store.snapshot(this.id, { doc, version, hash, publicVersion });
      this.lastSnapshotVersion = Math.max(this.lastSnapshotVersion, version);
      this.options.metrics?.backgroundWrites.inc({ operation: "snapshot", outcome: "ok" });
      this.room.log().debug({ version, reason }, "snapshot stored");
    } catch (err) {
      // The log holds every update: a missed snapshot only makes the next reopen replay more, so
      // it is neither retried here (the next snapshot moment is) nor told to the GM: nothing is lost.
      this.options.metrics?.backgroundWrites.inc({ operation: "snapshot", outcome: "failed" });
      this.room.log().warn({ err, version, reason }, "snapshot not stored");
    }
  }
}
