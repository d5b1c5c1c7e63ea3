/**
 * The tabletop session document: the one game state of a `table` room (characters, actors, items,
 * the encounter, rules-plugin data). It is plain JSON, changed only through versioned operations
 * (./operations.ts), hashed in canonical form (./hash.ts), and projected into the room's schema
 * state for syncing. Documents are immutable: every change builds a new document that shares the
 * untouched parts with the old one.
 */
import { z } from "zod";
import { safeString } from "../text";

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
/** Rules-plugin data attached to the session, a character, an actor or an item. */
export type PluginData = { [key: string]: JsonValue };

export const ACTOR_KINDS = ["npc", "monster"] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];
export const SOURCE_KINDS = ["character", "actor"] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export interface CharacterDoc {
  name: string;
  /** The player id that may move this character's token; "" for none. */
  ownerId: string;
  hp: number;
  maxHp: number;
  /** Token position in grid cells. */
  x: number;
  y: number;
  notes: string;
  plugin: PluginData;
}

export interface ActorDoc {
  name: string;
  kind: ActorKind;
  hp: number;
  maxHp: number;
  x: number;
  y: number;
  /** Hidden actors are sent to the GM only. */
  hidden: boolean;
  notes: string;
  plugin: PluginData;
}

export interface ItemDoc {
  name: string;
  /** Character or actor id holding the item; "" for loose items. */
  holderId: string;
  quantity: number;
  hidden: boolean;
  notes: string;
  plugin: PluginData;
}

export interface CombatantDoc {
  sourceKind: SourceKind;
  /** The character or actor this combatant stands for. */
  sourceId: string;
  name: string;
  initiative: number;
  /** Second sort key of the turn order (the plugin's initiative bonus); then the combatant id. */
  tiebreak: number;
  rolled: boolean;
  hidden: boolean;
  defeated: boolean;
  delayed: boolean;
}

export interface EncounterDoc {
  /** 0 before the first turn; 1 and up while running. */
  round: number;
  /** The combatant whose turn it is; "" before the first turn. */
  turnId: string;
  combatants: { [id: string]: CombatantDoc };
}

export interface TableDoc {
  title: string;
  /** The rules plugin; fixed when the session is created. */
  pluginId: string;
  mapWidth: number;
  mapHeight: number;
  plugin: PluginData;
  characters: { [id: string]: CharacterDoc };
  actors: { [id: string]: ActorDoc };
  items: { [id: string]: ItemDoc };
  encounter: EncounterDoc | null;
}

export const ENTITY_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const entityIdSchema = z.string().regex(ENTITY_ID_PATTERN, "must be 1-64 letters, digits, _ or -");

export const TABLE_LIMITS = {
  maxEntities: 5000,
  maxMap: 200,
  maxTextLength: 2000,
  maxNameLength: 64,
  maxStat: 1_000_000,
} as const;

const name = safeString().trim().min(1, "must not be empty").max(TABLE_LIMITS.maxNameLength);
const notes = safeString().max(TABLE_LIMITS.maxTextLength);
const stat = z.number().int("must be a whole number").min(-TABLE_LIMITS.maxStat).max(TABLE_LIMITS.maxStat);
const cell = z
  .number()
  .int("must be a whole number")
  .min(0)
  .max(TABLE_LIMITS.maxMap - 1);

/** Any JSON value a document or an operation may hold; its strings and keys are safe text. */
export const jsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.null(), z.boolean(), z.number().finite(), safeString(), z.array(jsonValueSchema), z.record(safeString(), jsonValueSchema)]),
);
const jsonValue = jsonValueSchema;
export const pluginDataSchema = z.record(z.string(), jsonValue);

/** Core fields of each entity; the `plugin` field is checked again by the session's rules plugin. */
export const characterDocSchema = z
  .object({ name, ownerId: z.string().max(64), hp: stat, maxHp: stat, x: cell, y: cell, notes, plugin: pluginDataSchema })
  .strict();
export const actorDocSchema = z
  .object({
    name,
    kind: z.enum(ACTOR_KINDS),
    hp: stat,
    maxHp: stat,
    x: cell,
    y: cell,
    hidden: z.boolean(),
    notes,
    plugin: pluginDataSchema,
  })
  .strict();
export const itemDocSchema = z
  .object({
    name,
    holderId: z.union([z.literal(""), entityIdSchema]),
    quantity: z.number().int().min(0).max(TABLE_LIMITS.maxStat),
    hidden: z.boolean(),
    notes,
    plugin: pluginDataSchema,
  })
  .strict();
export const combatantDocSchema = z
  .object({
    sourceKind: z.enum(SOURCE_KINDS),
    sourceId: entityIdSchema,
    name,
    initiative: z.number().finite().min(-1000).max(1000),
    tiebreak: z.number().finite().min(-1000).max(1000),
    rolled: z.boolean(),
    hidden: z.boolean(),
    defeated: z.boolean(),
    delayed: z.boolean(),
  })
  .strict();
export const encounterDocSchema = z
  .object({
    round: z.number().int().min(0).max(1_000_000),
    turnId: z.union([z.literal(""), entityIdSchema]),
    combatants: z.record(entityIdSchema, combatantDocSchema),
  })
  .strict();
export const tableRootSchema = z
  .object({
    title: name,
    pluginId: z.string().min(1).max(64),
    mapWidth: z.number().int().min(1).max(TABLE_LIMITS.maxMap),
    mapHeight: z.number().int().min(1).max(TABLE_LIMITS.maxMap),
  })
  .strict();

/** Defaults for entities created through commands; a full `set` of an entity must give every field. */
export function newCharacter(fields: Partial<CharacterDoc> & Pick<CharacterDoc, "name">): CharacterDoc {
  return { ownerId: "", hp: 10, maxHp: 10, x: 0, y: 0, notes: "", plugin: {}, ...fields };
}
export function newActor(fields: Partial<ActorDoc> & Pick<ActorDoc, "name">): ActorDoc {
  return { kind: "monster", hp: 10, maxHp: 10, x: 0, y: 0, hidden: false, notes: "", plugin: {}, ...fields };
}
export function newItem(fields: Partial<ItemDoc> & Pick<ItemDoc, "name">): ItemDoc {
  return { holderId: "", quantity: 1, hidden: false, notes: "", plugin: {}, ...fields };
}

export function newCombatant(fields: Partial<CombatantDoc> & Pick<CombatantDoc, "sourceKind" | "sourceId" | "name">): CombatantDoc {
  return { initiative: 0, tiebreak: 0, rolled: false, hidden: false, defeated: false, delayed: false, ...fields };
}

export function emptyTable(title: string, pluginId: string, plugin: PluginData = {}): TableDoc {
  return { title, pluginId, mapWidth: 24, mapHeight: 16, plugin, characters: {}, actors: {}, items: {}, encounter: null };
}

/** An entry of an id-keyed record; never a property inherited from Object ("constructor", "toString"). */
export function entry<T>(record: { [id: string]: T }, id: string): T | undefined {
  return Object.hasOwn(record, id) ? record[id] : undefined;
}

/** The character or actor a combatant stands for, if it still exists. */
export function sourceOf(doc: TableDoc, c: Pick<CombatantDoc, "sourceKind" | "sourceId">): CharacterDoc | ActorDoc | undefined {
  return c.sourceKind === "character" ? entry(doc.characters, c.sourceId) : entry(doc.actors, c.sourceId);
}
