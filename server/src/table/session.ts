/**
 * A tabletop session as a domain object: the current document and its version. An update is
 * prepared (version check, ops applied and validated, hash) and then accepted, in two steps, so
 * the caller can make the prepared update durable before anyone sees it.
 */
import { TavernError } from "../../../shared/src/errors";
import type { TableDoc } from "../../../shared/src/table/document";
import { createHash } from "node:crypto";
import { hashPublicTable, hashTable, type Digest } from "../../../shared/src/table/hash";
import type { Operation, UpdateRecord } from "../../../shared/src/table/operations";
import { applyOperations } from "./engine";
import type { RulesPlugin } from "./plugins/RulesPlugin";

export interface PreparedUpdate {
  record: UpdateRecord;
  doc: TableDoc;
  /** Hash of what players see of `doc`. */
  publicHash: string;
}

/** Same result as the shared pure-JS SHA-256, natively. */
export const nodeSha256Hex: Digest = (text) => createHash("sha256").update(text).digest("hex");

export class TableSession {
  private currentHash: string;
  private currentPublicHash: string;

  constructor(
    private current: TableDoc,
    private currentVersion: number,
    readonly plugin: RulesPlugin,
    private readonly digest: Digest = nodeSha256Hex,
  ) {
    this.currentHash = hashTable(current, digest);
    this.currentPublicHash = hashPublicTable(current, digest, this.currentHash);
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
    return this.currentPublicHash;
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
    const hash = hashTable(doc, this.digest);
    const record: UpdateRecord = { version, ops, authorId: meta.authorId, kind: meta.kind, at: meta.at ?? Date.now(), hash };
    return { record, doc, publicHash: hashPublicTable(doc, this.digest, hash) };
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

  /** Replays a stored update (restoring a session): applies its ops and checks the stored hash. */
  replay(record: UpdateRecord): void {
    const prepared = this.prepare(record.ops, { ...record, baseVersion: record.version - 1 });
    if (prepared.record.hash !== record.hash) {
      throw new TavernError("PERSISTENCE_ERROR", `Replaying update ${record.version} gives hash ${prepared.record.hash}, but ${record.hash} was stored.`);
    }
    this.accept(prepared);
  }
}

/**
 * Rebuilds a stored session: its snapshot, then every update after it, each hash checked; the result
 * must be exactly the last acknowledged version and hash, or the session does not open.
 */
export function restoreSession(
  stored: { snapshot: TableDoc; snapshotVersion: number; updates: UpdateRecord[]; headVersion: number; headHash: string },
  plugin: RulesPlugin,
): TableSession {
  const session = new TableSession(stored.snapshot, stored.snapshotVersion, plugin);
  try {
    for (const record of stored.updates) session.replay(record);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new TavernError("PERSISTENCE_ERROR", `The stored session does not replay: ${why}`);
  }
  if (session.version !== stored.headVersion || session.hash !== stored.headHash) {
    throw new TavernError(
      "PERSISTENCE_ERROR",
      `The stored session rebuilds to version ${session.version} (hash ${session.hash.slice(0, 12)}), but version ${stored.headVersion} (hash ${stored.headHash.slice(0, 12)}) was acknowledged; it was not opened.`,
    );
  }
  return session;
}
