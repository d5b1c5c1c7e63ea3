/**
 * Schema state of the `table` room: the lifecycle plus the session document in synced form.
 * Plugin data travels as a map of JSON strings (one entry per plugin key), so a change to one
 * key sends only that key.
 *
 * What players and spectators may see and what only the GM may see live in separate containers:
 * the root's `actors`, `items` and `encounter.combatants` hold only entities players see, and
 * `gm` (sent to the GM's view alone) holds the hidden ones plus the whole document's version and
 * hash. A container players receive therefore numbers its entries among visible ones only, and a
 * hidden entity never takes a place in it (see server/src/rooms/table/stateSync.ts for the refIds).
 */
import { schema, t, type SchemaType } from "@colyseus/schema";
import { LobbyState } from "../state";
import type { ActorKind, SourceKind } from "./document";

export const CharacterState = schema(
  {
    name: t.string().default(""),
    ownerId: t.string().default(""),
    hp: t.number().default(0),
    maxHp: t.number().default(0),
    x: t.number().default(0),
    y: t.number().default(0),
    notes: t.string().default(""),
    plugin: t.map("string"),
  },
  "CharacterState",
);
export type CharacterState = SchemaType<typeof CharacterState>;

export const ActorState = schema(
  {
    name: t.string().default(""),
    kind: t.string<ActorKind>().default("monster"),
    hp: t.number().default(0),
    maxHp: t.number().default(0),
    x: t.number().default(0),
    y: t.number().default(0),
    hidden: t.boolean().default(false),
    notes: t.string().default(""),
    plugin: t.map("string"),
  },
  "ActorState",
);
export type ActorState = SchemaType<typeof ActorState>;

export const ItemState = schema(
  {
    name: t.string().default(""),
    holderId: t.string().default(""),
    quantity: t.number().default(0),
    hidden: t.boolean().default(false),
    notes: t.string().default(""),
    plugin: t.map("string"),
  },
  "ItemState",
);
export type ItemState = SchemaType<typeof ItemState>;

export const CombatantState = schema(
  {
    sourceKind: t.string<SourceKind>().default("actor"),
    sourceId: t.string().default(""),
    name: t.string().default(""),
    // float64: a fraction in a plain number field travels as float32, and the client's rebuilt
    // document would no longer hash to the server's.
    initiative: t.float64().default(0),
    tiebreak: t.float64().default(0),
    rolled: t.boolean().default(false),
    hidden: t.boolean().default(false),
    defeated: t.boolean().default(false),
    delayed: t.boolean().default(false),
    /**
     * True for the combatant whose turn it is. The turn lives on the combatant, not in a root
     * field, so a hidden combatant's turn reaches nobody who may not see that combatant.
     */
    current: t.boolean().default(false),
  },
  "CombatantState",
);
export type CombatantState = SchemaType<typeof CombatantState>;

export const EncounterState = schema(
  {
    active: t.boolean().default(false),
    round: t.number().default(0),
    /** Combatants players see; the hidden ones are in `gm.combatants`. */
    combatants: t.map(CombatantState),
  },
  "EncounterState",
);
export type EncounterState = SchemaType<typeof EncounterState>;

/** One dice roll in the session's log. */
export const RollState = schema(
  {
    playerId: t.string().default(""),
    name: t.string().default(""),
    label: t.string().default(""),
    expression: t.string().default(""),
    detail: t.string().default(""),
    total: t.number().default(0),
    at: t.number().default(0),
  },
  "RollState",
);
export type RollState = SchemaType<typeof RollState>;

export const GmNoteState = schema({ text: t.string().default(""), at: t.number().default(0) }, "GmNoteState");
export type GmNoteState = SchemaType<typeof GmNoteState>;

/** The GM's part of the state: the whole document's version and hash, every hidden entity, secret rolls and GM notes. */
export const GmTableState = schema(
  {
    /** Accepted changes so far; every change to the session document adds one, hidden ones too. */
    version: t.number().default(0),
    /** SHA-256 of the whole session document. */
    hash: t.string().default(""),
    /** Hidden actors. */
    actors: t.map(ActorState),
    /** Hidden items, and items held by a hidden actor. */
    items: t.map(ItemState),
    /** Hidden combatants, and combatants standing for a hidden actor. */
    combatants: t.map(CombatantState),
    /** The GM's secret rolls (the last ROLL_HISTORY). */
    rolls: t.array(RollState),
    /** Lines for the GM alone (the last GM_NOTE_HISTORY). */
    notes: t.array(GmNoteState),
  },
  "GmTableState",
);
export type GmTableState = SchemaType<typeof GmTableState>;

export const TableState = LobbyState.extend(
  {
    title: t.string().default(""),
    pluginId: t.string().default(""),
    mapWidth: t.number().default(0),
    mapHeight: t.number().default(0),
    /** Changes to what players see of the document so far: a hidden change adds nothing. */
    publicVersion: t.number().default(0),
    /** SHA-256 of the players' projection of the document (hidden things left out). */
    publicHash: t.string().default(""),
    plugin: t.map("string"),
    characters: t.map(CharacterState),
    /** Actors players see. */
    actors: t.map(ActorState),
    /** Items players see. */
    items: t.map(ItemState),
    encounter: t.ref(EncounterState).default(() => new EncounterState()),
    rolls: t.array(RollState),
    /**
     * Reaches the GM's view only; undefined on every other client. Optional, so never built by
     * default: a client decoding into this class would otherwise hold an empty local one that the
     * server never sent. The server sets it when it creates the state.
     */
    gm: t.ref(GmTableState).view().optional(),
  },
  "TableState",
);
export type TableState = SchemaType<typeof TableState>;

/** How many dice rolls the state keeps (older ones are dropped). */
export const ROLL_HISTORY = 50;
/** How many GM notes the state keeps. */
export const GM_NOTE_HISTORY = 50;
