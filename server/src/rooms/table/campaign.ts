/**
 * A GM's campaign over HTTP: the sessions they run, and moving a session between servers as a file
 * (export here, import there). Imports are checked as strictly as a reopen: the snapshot must be a
 * valid document with the stated hash, and every update must replay to its stated hash. A player
 * importing the same file twice is refused, and told which session it became.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { TavernError } from "@tavern/shared/errors";
import { generateRoomCode } from "@tavern/shared/roomCodes";
import type { TableDoc } from "@tavern/shared/table/document";
import { SESSION_EXPORT_FORMAT, sessionExportSchema, type SessionExport } from "@tavern/shared/table/sessionExport";
import type { CodeRegistry } from "../../lifecycle/codeRegistry";
import { describeZodError } from "../../domain/validation";
import { isUniqueViolation, type SessionStore } from "../../persistence/sessionStore";
import { TimeSlices } from "../../lifecycle/timeSlices";
import { documentChecks, entityCount } from "../../domain/table/engine";
import { exportDigest } from "./exportDigest";
import { getPlugin } from "../../domain/table/plugins/registry";
import { hashDoc, nativeDigest } from "./docHash";
import { restoreSteps } from "../../domain/table/session";

export async function exportSession(store: SessionStore, sessionId: string, requesterId: string): Promise<SessionExport> {
  const stored = await store.load(sessionId);
  if (!stored) throw new TavernError("NOT_FOUND", `There is no session ${sessionId}.`);
  if (stored.meta.gmPlayerId !== requesterId) throw new TavernError("PERMISSION_DENIED", "Only the session's GM can export it.");
  const { meta } = stored;
  const journal = await store.journal(sessionId);
  return {
    format: SESSION_EXPORT_FORMAT,
    exportedAt: new Date().toISOString(),
    session: {
      id: meta.id,
      code: meta.code,
      title: meta.title,
      gmPlayerId: meta.gmPlayerId,
      pluginId: meta.pluginId,
      headVersion: meta.headVersion,
      headHash: meta.headHash,
    },
    snapshot: { version: stored.snapshotVersion, hash: stored.snapshotHash, doc: stored.snapshot },
    updates: stored.updates,
    room: stored.roomSettings,
    journal,
  };
}

export interface ImportedSession {
  id: string;
  code: string;
  title: string;
  version: number;
  hash: string;
}

/** What one import may hold (the body's size is bounded before it is read). */
export interface ImportBounds {
  maxEntities: number;
  maxUpdates: number;
}

/**
 * Checks an export file and stores it as a new session of `gmPlayerId`. The costly checks (the
 * document's thousands of entities, the replay of its log with a hash per update) run in slices,
 * so a large file does not stop the rooms of this process while it is checked.
 */
export async function importSession(
  store: SessionStore,
  codes: CodeRegistry,
  input: unknown,
  gmPlayerId: string,
  bounds: ImportBounds,
  slices: TimeSlices = new TimeSlices(),
): Promise<ImportedSession> {
  // Counted on the raw body, before the format check spends time on a file that is refused anyway.
  checkBounds(input, bounds);
  const parsed = sessionExportSchema.safeParse(input);
  if (!parsed.success) throw new TavernError("VALIDATION_ERROR", `Not a Tavern session export: ${describeZodError(parsed.error)}`);
  const data = parsed.data;

  const digest = await slices.run(exportDigest(data));
  const earlier = await store.findImport(gmPlayerId, digest);
  if (earlier) throw alreadyImported(earlier);

  const plugin = getPlugin(data.session.pluginId);
  const doc = data.snapshot.doc as unknown as TableDoc;
  await slices.run(documentChecks(doc, plugin));
  if (doc.pluginId !== plugin.id)
    throw new TavernError("VALIDATION_ERROR", `The snapshot uses ${doc.pluginId}, the session says ${plugin.id}.`);
  // The digest left the canonical form of every entity cached: this only streams them into the hash.
  if (hashDoc(doc) !== data.snapshot.hash) {
    throw new TavernError("VALIDATION_ERROR", "The snapshot does not match its hash: the file was changed or damaged.");
  }
  let session;
  try {
    // Checking the file needs the whole hashes only: the copy counts its public version afresh (below).
    const log = {
      snapshot: doc,
      snapshotVersion: data.snapshot.version,
      snapshotPublicVersion: 0,
      updates: data.updates,
      headVersion: data.session.headVersion,
      headHash: data.session.headHash,
    };
    session = await slices.run(restoreSteps(log, plugin, { countPublic: false, digest: nativeDigest }));
  } catch (err) {
    throw new TavernError("VALIDATION_ERROR", `The file does not replay: ${err instanceof Error ? err.message : String(err)}`);
  }
  const headEntities = entityCount(session.doc);
  if (headEntities > bounds.maxEntities) throw tooManyEntities(bounds.maxEntities, headEntities, "its last update");

  const id = randomUUID();
  for (let attempt = 1; ; attempt++) {
    const code = generateRoomCode((n) => randomBytes(n));
    if (await codes.resolve(code)) continue; // a live room has it
    try {
      // The replayed head is the snapshot: reopening the copy replays nothing. The log is stored,
      // all of it behind the snapshot, so log compaction (COMPACT_UPDATE_LOG) deletes it.
      // The copy is a new session to its players: what they see is counted from 0 (the file's
      // versions count the original's changes, hidden ones among them).
      const snapshot = {
        id,
        code,
        title: session.doc.title,
        gmPlayerId,
        pluginId: plugin.id,
        doc: session.doc,
        version: session.version,
        hash: session.hash,
        publicVersion: 0,
        roomSettings: data.room ?? {},
        imported: { by: gmPlayerId, digest },
      };
      await store.createWithLog(snapshot, data.updates, data.journal ?? []);
    } catch (err) {
      if (isUniqueViolation(err)) {
        // The same file, imported at the same time by the same player, got there first.
        const twin = await store.findImport(gmPlayerId, digest);
        if (twin) throw alreadyImported(twin);
        if (attempt < 10) continue; // the code was taken meanwhile
      }
      throw err;
    }
    return { id, code, title: session.doc.title, version: session.version, hash: session.hash };
  }
}

function alreadyImported(earlier: { id: string; code: string }): TavernError {
  return new TavernError("VALIDATION_ERROR", `This file was imported already: it is session ${earlier.id} (code ${earlier.code}).`, {
    reason: "already imported",
    sessionId: earlier.id,
    code: earlier.code,
  });
}

function checkBounds(input: unknown, bounds: ImportBounds): void {
  const file = isRecord(input) ? input : {};
  const updates = Array.isArray(file["updates"]) ? file["updates"].length : 0;
  if (updates > bounds.maxUpdates) {
    throw new TavernError(
      "VALIDATION_ERROR",
      `An import holds at most ${bounds.maxUpdates} updates after its snapshot (IMPORT_MAX_UPDATES); this file has ${updates}.`,
      { limit: "IMPORT_MAX_UPDATES", max: bounds.maxUpdates, actual: updates },
    );
  }
  const snapshot = isRecord(file["snapshot"]) ? file["snapshot"] : {};
  const doc = isRecord(snapshot["doc"]) ? snapshot["doc"] : {};
  let entities = 0;
  for (const collection of ["characters", "actors", "items"]) {
    const entries = doc[collection];
    if (isRecord(entries)) entities += Object.keys(entries).length;
  }
  if (entities > bounds.maxEntities) throw tooManyEntities(bounds.maxEntities, entities, "its snapshot");
}

function tooManyEntities(max: number, actual: number, where: string): TavernError {
  return new TavernError(
    "VALIDATION_ERROR",
    `An import holds at most ${max} characters, actors and items (IMPORT_MAX_ENTITIES); this file has ${actual} in ${where}.`,
    { limit: "IMPORT_MAX_ENTITIES", max, actual },
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
