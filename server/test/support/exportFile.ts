/**
 * Builds valid session export files of a chosen size for tests and the import benchmark: a
 * dnd5e-lite session with many entities (long notes make it heavy), then GM updates on it, each
 * prepared by the real session so every stated hash is the one a replay must reach.
 */
import { randomUUID } from "node:crypto";
import { emptyTable, newActor, newCharacter, newItem, type TableDoc } from "@tavern/shared/table/document";
import type { Operation, UpdateRecord } from "@tavern/shared/table/operations";
import { SESSION_EXPORT_FORMAT, type SessionExport } from "@tavern/shared/table/sessionExport";
import { dnd5eLitePlugin } from "../../src/domain/table/plugins/dnd5e-lite";
import { TableSession } from "../../src/domain/table/session";

export interface ExportShape {
  entities: number;
  updates: number;
  /** Length of each entity's notes (at most 2,000): what makes a file heavy. */
  notesLength?: number;
  /** Makes otherwise equal files differ (and so count as different imports). */
  tag?: string;
}

export function sessionDoc(entities: number, notesLength = 0, tag = ""): TableDoc {
  const plugin = dnd5eLitePlugin;
  const doc = emptyTable(`Export ${tag}`.trim(), plugin.id, plugin.defaults.session());
  const notes = "n".repeat(notesLength);
  const characters: TableDoc["characters"] = {};
  const actors: TableDoc["actors"] = {};
  const items: TableDoc["items"] = {};
  for (let i = 0; i < entities; i++) {
    const at = { x: i % 24, y: i % 16 };
    if (i % 10 === 0)
      characters[`c${i}`] = newCharacter({ name: `Hero ${i}`, hp: 30, maxHp: 30, ...at, notes, plugin: plugin.defaults.character() });
    else if (i % 3 === 0) items[`i${i}`] = newItem({ name: `Item ${i}`, notes, plugin: plugin.defaults.item() });
    // Every fifth monster is hidden, as a GM keeps surprises: players' hashes differ from the GM's.
    else
      actors[`a${i}`] = newActor({
        name: `Monster ${i}`,
        hp: 50,
        maxHp: 50,
        ...at,
        hidden: i % 5 === 0,
        notes,
        plugin: plugin.defaults.actor(),
      });
  }
  return { ...doc, characters, actors, items };
}

/** What a GM does at the table: a few ops on one monster (HP, a condition, a note). */
function gmUpdate(doc: TableDoc, n: number): Operation[] {
  const ids = Object.keys(doc.actors);
  const id = ids[(n * 7) % ids.length] as string;
  const conditions = (doc.actors[id]?.plugin["conditions"] as string[] | undefined) ?? [];
  return [
    { op: "inc", path: `actors.${id}.hp`, value: n % 2 === 0 ? -1 : 1 },
    conditions.includes("prone")
      ? { op: "pull", path: `actors.${id}.plugin.conditions`, value: "prone" }
      : { op: "push", path: `actors.${id}.plugin.conditions`, value: "prone" },
    { op: "set", path: `actors.${id}.notes`, value: `update ${n}` },
  ];
}

export function buildExport(shape: ExportShape): SessionExport {
  const doc = sessionDoc(shape.entities, shape.notesLength ?? 0, shape.tag ?? "");
  const session = new TableSession(doc, { version: 0, publicVersion: 0 }, dnd5eLitePlugin);
  const snapshot = { version: 0, hash: session.hash, doc };
  const updates: UpdateRecord[] = [];
  const at = Date.UTC(2024, 0, 1);
  for (let n = 0; n < shape.updates; n++) {
    const prepared = session.prepare(gmUpdate(session.doc, n), { authorId: "gm", kind: "update", at: at + n * 1000 });
    session.accept(prepared);
    updates.push(prepared.record);
  }
  return {
    format: SESSION_EXPORT_FORMAT,
    exportedAt: new Date(at).toISOString(),
    session: {
      id: randomUUID(),
      code: "ABCDEF",
      title: doc.title,
      gmPlayerId: "gm",
      pluginId: dnd5eLitePlugin.id,
      headVersion: session.version,
      headHash: session.hash,
    },
    snapshot,
    updates,
    room: {},
    journal: [],
  };
}
