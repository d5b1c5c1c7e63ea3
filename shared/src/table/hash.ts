/**
 * Hashes of a table document and what players may see of it. `hash` covers the whole document
 * (what the GM holds); `publicHash` covers the players' projection, which leaves out hidden actors,
 * items and combatants. Both sides compute them the same way: the server from its document, a
 * client from the document it rebuilds out of its decoded schema state (./fromState.ts).
 */
import { canonicalJson, sha256Hex } from "../stateHash";
import { entry, type ActorDoc, type CombatantDoc, type EncounterDoc, type ItemDoc, type TableDoc } from "./document";

/**
 * Canonical JSON strings of document nodes. Documents are immutable and share untouched nodes
 * between versions, so after an update only the nodes on changed paths are serialized again.
 */
const canonicalCache = new WeakMap<object, string>();

export function canonicalDoc(value: unknown): string {
  return canonicalJson(value, canonicalCache);
}

/**
 * SHA-256 of a text, as lowercase hex. The server computes the same document hash natively and
 * without building the whole text (server/src/rooms/table/docHash.ts).
 */
export type Digest = (text: string) => string;

export function hashTable(doc: TableDoc, digest: Digest = sha256Hex): string {
  return digest(canonicalDoc(doc));
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

/**
 * What players receive: hidden things are left out, and a hidden combatant's turn reads as "".
 * When nothing is hidden this is the document itself, so its hash need not be computed twice.
 */
export function publicProjection(doc: TableDoc): TableDoc {
  const actors = filterRecord(doc.actors, isActorVisible);
  const items = filterRecord(doc.items, (item) => isItemVisible(doc, item));
  const encounter = doc.encounter && publicEncounter(doc, doc.encounter);
  if (actors === doc.actors && items === doc.items && encounter === doc.encounter) return doc;
  return { ...doc, actors, items, encounter };
}

function publicEncounter(doc: TableDoc, encounter: EncounterDoc): EncounterDoc {
  const combatants = filterRecord(encounter.combatants, (c) => isCombatantVisible(doc, c));
  if (combatants === encounter.combatants) return encounter;
  return { ...encounter, combatants, turnId: entry(combatants, encounter.turnId) ? encounter.turnId : "" };
}

/** Returns the record itself when everything is kept, so its cached canonical form is reused. */
function filterRecord<T>(record: { [id: string]: T }, keep: (value: T) => boolean): { [id: string]: T } {
  let all = true;
  for (const id in record) {
    if (!keep(record[id] as T)) {
      all = false;
      break;
    }
  }
  if (all) return record;
  const out: { [id: string]: T } = {};
  for (const [id, value] of Object.entries(record)) if (keep(value)) out[id] = value;
  return out;
}

export function hashPublicTable(doc: TableDoc, digest: Digest = sha256Hex, fullHash?: string): string {
  const projection = publicProjection(doc);
  return projection === doc && fullHash !== undefined ? fullHash : hashTable(projection, digest);
}
