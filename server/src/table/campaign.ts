/**
 * A GM's campaign over HTTP: the sessions they run, and moving a session between servers as a file
 * (export here, import there). Imports are checked as strictly as a reopen: the snapshot must be a
 * valid document with the stated hash, and every update must replay to its stated hash.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { TavernError } from "../../../shared/src/errors";
import { generateRoomCode } from "../../../shared/src/roomCodes";
import type { TableDoc } from "../../../shared/src/table/document";
import { SESSION_EXPORT_FORMAT, sessionExportSchema, type SessionExport } from "../../../shared/src/table/sessionExport";
import type { CodeRegistry } from "../lifecycle/codeRegistry";
import { describeZodError } from "../lifecycle/validation";
import { isUniqueViolation, type SessionStore } from "../persistence/sessionStore";
import { validateDocument } from "./engine";
import { getPlugin } from "./plugins/registry";
import { hashDoc } from "./docHash";
import { restoreSession } from "./session";

export async function exportSession(store: SessionStore, sessionId: string, requesterId: string): Promise<SessionExport> {
  const stored = await store.load(sessionId);
  if (!stored) throw new TavernError("NOT_FOUND", `There is no session ${sessionId}.`);
  if (stored.meta.gmPlayerId !== requesterId) throw new TavernError("PERMISSION_DENIED", "Only the session's GM can export it.");
  const { meta } = stored;
  const journal = await store.journal(sessionId);
  return {
    format: SESSION_EXPORT_FORMAT,
    exportedAt: new Date().toISOString(),
    session: { id: meta.id, code: meta.code, title: meta.title, gmPlayerId: meta.gmPlayerId, pluginId: meta.pluginId, headVersion: meta.headVersion, headHash: meta.headHash },
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

export async function importSession(store: SessionStore, codes: CodeRegistry, input: unknown, gmPlayerId: string): Promise<ImportedSession> {
  const parsed = sessionExportSchema.safeParse(input);
  if (!parsed.success) throw new TavernError("VALIDATION_ERROR", `Not a Tavern session export: ${describeZodError(parsed.error)}`);
  const data = parsed.data;
  const plugin = getPlugin(data.session.pluginId);
  const doc = data.snapshot.doc as unknown as TableDoc;
  validateDocument(doc, plugin);
  if (doc.pluginId !== plugin.id) throw new TavernError("VALIDATION_ERROR", `The snapshot uses ${doc.pluginId}, the session says ${plugin.id}.`);
  if (hashDoc(doc) !== data.snapshot.hash) {
    throw new TavernError("VALIDATION_ERROR", "The snapshot does not match its hash: the file was changed or damaged.");
  }
  let session;
  try {
    session = restoreSession({ snapshot: doc, snapshotVersion: data.snapshot.version, updates: data.updates, headVersion: data.session.headVersion, headHash: data.session.headHash }, plugin);
  } catch (err) {
    throw new TavernError("VALIDATION_ERROR", `The file does not replay: ${err instanceof Error ? err.message : String(err)}`);
  }

  const id = randomUUID();
  for (let attempt = 1; ; attempt++) {
    const code = generateRoomCode((n) => randomBytes(n));
    if (await codes.resolve(code)) continue; // a live room has it
    try {
      const snapshot = { id, code, title: doc.title, gmPlayerId, pluginId: plugin.id, doc, version: data.snapshot.version, hash: data.snapshot.hash, roomSettings: data.room ?? {} };
      await store.createWithLog(snapshot, data.updates, data.journal ?? []);
    } catch (err) {
      if (isUniqueViolation(err) && attempt < 10) continue;
      throw err;
    }
    return { id, code, title: session.doc.title, version: session.version, hash: session.hash };
  }
}
