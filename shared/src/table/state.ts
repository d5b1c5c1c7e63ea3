/**
 * Schema state of the `table` room: the lifecycle plus the session document in synced form.
 * Plugin data travels as a map of JSON strings (one entry per plugin key), so a change to one
 * key sends only that key. Actors, items and combatants are view-filtered: a client receives the
 * ones its StateView holds, and the server leaves hidden ones out of players' views.
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
    initiative: t.number().default(0),
    tiebreak: t.number().default(0),
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
    combatants: t.map(CombatantState).view(),
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

export const TableState = LobbyState.extend(
  {
    title: t.string().default(""),
    pluginId: t.string().default(""),
    mapWidth: t.number().default(0),
    mapHeight: t.number().default(0),
    /** Accepted updates so far; every change to the session document adds one. */
    version: t.number().default(0),
    /** SHA-256 of the whole session document (what the GM holds). */
    hash: t.string().default(""),
    /** SHA-256 of the players' projection of it (hidden things left out). */
    publicHash: t.string().default(""),
    plugin: t.map("string"),
    characters: t.map(CharacterState),
    actors: t.map(ActorState).view(),
    items: t.map(ItemState).view(),
    encounter: t.ref(EncounterState).default(() => new EncounterState()),
    rolls: t.array(RollState),
  },
  "TableState",
);
export type TableState = SchemaType<typeof TableState>;

/** How many dice rolls the state keeps (older ones are dropped). */
export const ROLL_HISTORY = 50;
