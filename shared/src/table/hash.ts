/**
 * Hashes of a table document and what players may see of it. `hash` covers the whole document
 * (what the GM holds); `publicHash` covers the players' projection, which leaves out hidden actors,
 * items and combatants. Both sides compute them the same way: the server from its document, a
 * client from the document it rebuilds out of its decoded schema state (./fromState.ts).
 */
import { sha256Hex } from "../stateHash";
import { entry, type ActorDoc, type CombatantDoc, type EncounterDoc, type ItemDoc, type TableDoc } from "./document";

/**
 * Canonical JSON strings of document nodes. Documents are immutable and share untouched nodes
 * between versions, so after an update only the nodes on changed paths are serialized again.
 */
const canonicalCache = new WeakMap<object, string>();

export function canonicalDoc(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  const cached = canonicalCache.get(value);
  if (cached !== undefined) return cached;
  let text: string;
  if (Array.isArray(value)) {
    text = `[${value.map(canonicalDoc).join(",")}]`;
  } else {
    const record = value as Record<string, unknown>;
    text = `{${Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalDoc(record[k])}`)
      .join(",")}}`;
  }
  canonicalCache.set(value, text);
  return text;
}

export function hashTable(doc: TableDoc): string {
  return sha256Hex(canonicalDoc(doc));
}

export function isActorVisible(actor: ActorDoc): boolean {
  return !actor.hidden;
}

export function isItemVisible(doc: TableDoc, item: ItemDoc): boolean {
  if (item.hidden) return false;
  const holder = entry(doc.actors, item.holderId);
  return holder === undefined || isActorVisible(holder);
}

export function isCombatantVisible(doc: TableDoc, c: CombatantDoc): boolean {
  if (c.hidden) return false;
  if (c.sourceKind === "character") return true;
  const actor = entry(doc.actors, c.sourceId);
  return actor !== undefined && isActorVisible(actor);
}

/** What players receive: hidden things are left out, and a hidden combatant's turn reads as "". */
export function publicProjection(doc: TableDoc): TableDoc {
  return {
    ...doc,
    actors: filterRecord(doc.actors, isActorVisible),
    items: filterRecord(doc.items, (item) => isItemVisible(doc, item)),
    encounter: doc.encounter && publicEncounter(doc, doc.encounter),
  };
}

function publicEncounter(doc: TableDoc, encounter: EncounterDoc): EncounterDoc {
  const combatants = filterRecord(encounter.combatants, (c) => isCombatantVisible(doc, c));
  return { ...encounter, combatants, turnId: entry(combatants, encounter.turnId) ? encounter.turnId : "" };
}

function filterRecord<T>(record: { [id: string]: T }, keep: (value: T) => boolean): { [id: string]: T } {
  const out: { [id: string]: T } = {};
  for (const [id, value] of Object.entries(record)) if (keep(value)) out[id] = value;
  return out;
}

export function hashPublicTable(doc: TableDoc): string {
  return hashTable(publicProjection(doc));
}
