/**
 * A tabletop session as a domain object: the current document and its version. An update is
 * prepared (version check, ops applied and validated, hash) and then accepted, in two steps, so
 * the caller can make the prepared update durable before anyone sees it.
 */
import { TavernError } from "../../../shared/src/errors";
import type { TableDoc } from "../../../shared/src/table/document";
import type { Operation, UpdateRecord } from "../../../shared/src/table/operations";
import { hashDoc, hashPublicDoc } from "./docHash";
import { applyOperations } from "./engine";
import type { RulesPlugin } from "./plugins/RulesPlugin";

export interface PreparedUpdate {
  record: UpdateRecord;
  doc: TableDoc;
  /** Hash of what players see of `doc`. */
  publicHash: string;
}

export class TableSession {
  private currentHash: string;
  /**
   * Computed when first asked for: a replay moves through many versions nobody sees, and with
   * hidden entities the players' hash costs as much as the whole document's.
   */
  private currentPublicHash: string | undefined;

  constructor(
    private current: TableDoc,
    private currentVersion: number,
    readonly plugin: RulesPlugin,
  ) {
    this.currentHash = hashDoc(current);
  }

  get doc(): TableDoc {
    return this.current;
  }
  get version(): number {
    return this.currentVersion;
  }
  get hash(): string {
    return this.currentHash;
  }
  get publicHash(): string {
    return (this.currentPublicHash ??= hashPublicDoc(this.current, this.currentHash));
  }

  /** Throws VERSION_CONFLICT (with the current version and hash) unless `baseVersion` is current. */
  checkVersion(baseVersion: number | undefined): void {
    if (baseVersion === undefined || baseVersion === this.currentVersion) return;
    throw new TavernError(
      "VERSION_CONFLICT",
      `The session is at version ${this.currentVersion}, not ${baseVersion}: refresh and try again.`,
      { currentVersion: this.currentVersion, currentHash: this.currentHash },
    );
  }

  /** Applies ops on top of the current version without changing the session. */
  prepare(ops: Operation[], meta: { authorId: string; kind: string; baseVersion?: number; at?: number }): PreparedUpdate {
    this.checkVersion(meta.baseVersion);
    const doc = applyOperations(this.current, ops, this.plugin);
    const version = this.currentVersion + 1;
    const hash = hashDoc(doc);
    const record: UpdateRecord = { version, ops, authorId: meta.authorId, kind: meta.kind, at: meta.at ?? Date.now(), hash };
    return { record, doc, publicHash: hashPublicDoc(doc, hash) };
  }

  /** Makes a prepared update current; refuses one prepared on another version. */
  accept(prepared: PreparedUpdate): void {
    if (prepared.record.version !== this.currentVersion + 1) {
      throw new TavernError("VERSION_CONFLICT", `Update ${prepared.record.version} does not follow version ${this.currentVersion}.`);
    }
    this.current = prepared.doc;
    this.currentVersion = prepared.record.version;
    this.currentHash = prepared.record.hash;
    this.currentPublicHash = prepared.publicHash;
  }

  /**
   * Replays a stored update (restoring a session): applies its ops and checks the stored hash.
   * Only the whole document's hash is checked; the players' one follows from the document.
   */
  replay(record: UpdateRecord): void {
    this.checkVersion(record.version - 1);
    const doc = applyOperations(this.current, record.ops, this.plugin);
    const hash = hashDoc(doc);
    if (hash !== record.hash) {
      throw new TavernError("PERSISTENCE_ERROR", `Replaying update ${record.version} gives hash ${hash}, but ${record.hash} was stored.`);
    }
    this.current = doc;
    this.currentVersion = record.version;
    this.currentHash = hash;
    this.currentPublicHash = undefined;
  }
}

export interface StoredLog {
  snapshot: TableDoc;
  snapshotVersion: number;
  updates: readonly UpdateRecord[];
  headVersion: number;
  headHash: string;
}

/**
 * Rebuilds a stored session: its snapshot, then every update after it, each hash checked; the result
 * must be exactly the last acknowledged version and hash, or the session does not open.
 */
export function restoreSession(stored: StoredLog, plugin: RulesPlugin): TableSession {
  const steps = restoreSteps(stored, plugin);
  for (let step = steps.next(); ; step = steps.next()) if (step.done) return step.value;
}

/**
 * The same restore, one update per step: whoever drives it may let the event loop run between
 * steps (an import of a long log), so other players are not kept waiting.
 */
export function* restoreSteps(stored: StoredLog, plugin: RulesPlugin): Generator<void, TableSession, void> {
  const session = new TableSession(stored.snapshot, stored.snapshotVersion, plugin);
  yield;
  for (const record of stored.updates) {
    try {
      session.replay(record);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new TavernError("PERSISTENCE_ERROR", `The stored session does not replay: ${why}`);
    }
    yield;
  }
  if (session.version !== stored.headVersion || session.hash !== stored.headHash) {
    throw new TavernError(
      "PERSISTENCE_ERROR",
      `The stored session rebuilds to version ${session.version} (hash ${session.hash.slice(0, 12)}), but version ${stored.headVersion} (hash ${stored.headHash.slice(0, 12)}) was acknowledged; it was not opened.`,
    );
  }
  return session;
}
