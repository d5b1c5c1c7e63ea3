/**
 * A tabletop session as a domain object: the current document and its versions. An update is
 * prepared (version check, ops applied and validated, hashes) and then accepted, in two steps, so
 * the caller can make the prepared update durable before anyone sees it.
 *
 * A session counts twice. `version` counts every accepted change and `hash` covers the whole
 * document: the GM's. `publicVersion` counts the changes to what players see (the public
 * projection, whose hash is `publicHash`): a change that leaves the projection as it was, such as
 * moving a hidden goblin, adds nothing to it, so players cannot learn that the GM did something.
 * The public version is not stored per update: a reopen derives it again from the snapshot's one
 * by replaying the log, as the live session counted it.
 *
 * Hashing is injected (DocDigest): the hashes are defined by shared/src/table/hash.ts, which this
 * module uses unless given another digest; the server passes an equal one that is native and
 * incremental (rooms/table/docHash.ts), which a pure module cannot import.
 */
import { TavernError } from "@tavern/shared/errors";
import type { TableDoc } from "@tavern/shared/table/document";
import { hashPublicTable, hashTable } from "@tavern/shared/table/hash";
import type { Operation, UpdateRecord } from "@tavern/shared/table/operations";
import { applyOperations } from "./engine";
import type { RulesPlugin } from "./plugins/RulesPlugin";

/** The two hashes of a document; any implementation must equal shared/src/table/hash.ts. */
export interface DocDigest {
  hashDoc(doc: TableDoc): string;
  /** `fullHash` is the document's own hash, reused when players see all of it. */
  hashPublicDoc(doc: TableDoc, fullHash: string): string;
}

/** The shared definition, in plain JavaScript: correct everywhere, slower on large documents. */
export const sharedDigest: DocDigest = {
  hashDoc: (doc) => hashTable(doc),
  hashPublicDoc: (doc, fullHash) => hashPublicTable(doc, undefined, fullHash),
};

export interface PreparedUpdate {
  record: UpdateRecord;
  doc: TableDoc;
  /** Hash of what players see of `doc`. */
  publicHash: string;
  /** The public version `doc` is at: one more than before when what players see changed. */
  publicVersion: number;
}

/** Where a session stands: both counts and both hashes. */
export interface SessionStamp {
  version: number;
  hash: string;
  publicVersion: number;
  publicHash: string;
}

/** Whose version a `baseVersion` names: the GM's whole one, or the public one players hold. */
export type Audience = "gm" | "public";

export class TableSession {
  private currentVersion: number;
  private currentPublicVersion: number;
  private currentHash: string;
  /**
   * Computed when first asked for: a replay that does not count the public version (an import's
   * check) moves through many versions nobody sees, and with hidden entities the players' hash
   * costs as much as the whole document's.
   */
  private currentPublicHash: string | undefined;

  constructor(
    private current: TableDoc,
    at: { version: number; publicVersion: number },
    readonly plugin: RulesPlugin,
    private readonly digest: DocDigest = sharedDigest,
  ) {
    this.currentVersion = at.version;
    this.currentPublicVersion = at.publicVersion;
    this.currentHash = digest.hashDoc(current);
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
    return (this.currentPublicHash ??= this.digest.hashPublicDoc(this.current, this.currentHash));
  }
  get publicVersion(): number {
    return this.currentPublicVersion;
  }
  get stamp(): SessionStamp {
    return { version: this.currentVersion, hash: this.currentHash, publicVersion: this.currentPublicVersion, publicHash: this.publicHash };
  }

  /**
   * Throws VERSION_CONFLICT unless `baseVersion` is current. A player's baseVersion is a public
   * version, checked against the public one, and the refusal names only that and its hash.
   */
  checkVersion(baseVersion: number | undefined, audience: Audience = "gm"): void {
    if (baseVersion === undefined) return;
    if (audience === "public") {
      if (baseVersion === this.currentPublicVersion) return;
      throw new TavernError(
        "VERSION_CONFLICT",
        `The session is at public version ${this.currentPublicVersion}, not ${baseVersion}: refresh and try again.`,
        { currentPublicVersion: this.currentPublicVersion, currentPublicHash: this.publicHash },
      );
    }
    if (baseVersion === this.currentVersion) return;
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
    const hash = this.digest.hashDoc(doc);
    const record: UpdateRecord = { version, ops, authorId: meta.authorId, kind: meta.kind, at: meta.at ?? Date.now(), hash };
    const publicHash = this.digest.hashPublicDoc(doc, hash);
    return { record, doc, publicHash, publicVersion: this.nextPublicVersion(publicHash) };
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
    this.currentPublicVersion = prepared.publicVersion;
  }

  /**
   * Replays a stored update (restoring a session): applies its ops and checks the stored hash.
   * Only the whole document's hash is checked; the players' one follows from the document. With
   * `countPublic`, the public version moves as it did when the update was live.
   */
  replay(record: UpdateRecord, countPublic = true): void {
    this.checkVersion(record.version - 1);
    const doc = applyOperations(this.current, record.ops, this.plugin);
    const hash = this.digest.hashDoc(doc);
    if (hash !== record.hash) {
      throw new TavernError("PERSISTENCE_ERROR", `Replaying update ${record.version} gives hash ${hash}, but ${record.hash} was stored.`);
    }
    const publicHash = countPublic ? this.digest.hashPublicDoc(doc, hash) : undefined;
    if (publicHash !== undefined) this.currentPublicVersion = this.nextPublicVersion(publicHash);
    this.current = doc;
    this.currentVersion = record.version;
    this.currentHash = hash;
    this.currentPublicHash = publicHash;
  }

  private nextPublicVersion(publicHash: string): number {
    return this.currentPublicVersion + (publicHash === this.publicHash ? 0 : 1);
  }
}

export interface StoredLog {
  snapshot: TableDoc;
  snapshotVersion: number;
  /** The public version at the snapshot; the replayed updates count on from it. */
  snapshotPublicVersion: number;
  updates: readonly UpdateRecord[];
  headVersion: number;
  headHash: string;
}

export interface RestoreOptions {
  /**
   * Count the public version over the replayed updates (a reopen: players find the number they
   * left). An import's check leaves it, and the players' hash of every step, uncomputed.
   */
  countPublic?: boolean;
  /** How the restored session hashes (sharedDigest unless given). */
  digest?: DocDigest;
}

/**
 * Rebuilds a stored session: its snapshot, then every update after it, each hash checked; the result
 * must be exactly the last acknowledged version and hash, or the session does not open. The public
 * version goes on from the snapshot's, counted again over the replayed updates.
 */
export function restoreSession(stored: StoredLog, plugin: RulesPlugin, options?: RestoreOptions): TableSession {
  const steps = restoreSteps(stored, plugin, options);
  for (let step = steps.next(); ; step = steps.next()) if (step.done) return step.value;
}

/**
 * The same restore, one update per step: whoever drives it may let the event loop run between
 * steps (an import of a long log), so other players are not kept waiting.
 */
export function* restoreSteps(
  stored: StoredLog,
  plugin: RulesPlugin,
  { countPublic = true, digest = sharedDigest }: RestoreOptions = {},
): Generator<void, TableSession, void> {
  const session = new TableSession(
    stored.snapshot,
    { version: stored.snapshotVersion, publicVersion: stored.snapshotPublicVersion },
    plugin,
    digest,
  );
  yield;
  for (const record of stored.updates) {
    try {
      session.replay(record, countPublic);
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
