/**
 * Rebuilds the session document from a decoded `table` state, so a client can hash what it holds
 * and compare it with the server's `gm.hash` (GM) or `publicHash` (players and spectators).
 * Entities players see and hidden ones (the GM-only `gm` part) are one document again here: a
 * player's state has no `gm`, so what it rebuilds is the public projection.
 */
import type { EncounterDoc, JsonValue, PluginData, TableDoc } from "./document";
import type { ActorState, CombatantState, ItemState, TableState } from "./state";

interface PluginMap {
  forEach(cb: (value: string, key: string) => void): void;
}
interface Keyed<T> {
  forEach(cb: (value: T, key: string) => void): void;
}

export function pluginDataFromState(map: PluginMap | undefined): PluginData {
  const data: PluginData = {};
  map?.forEach((json, key) => {
    data[key] = JSON.parse(json) as JsonValue;
  });
  return data;
}

/** Every entry of the collections given, in order; a collection not decoded yet reads as empty. */
function mapRecord<T, R>(collections: (Keyed<T> | undefined)[], convert: (value: T, key: string) => R): { [id: string]: R } {
  const out: { [id: string]: R } = {};
  for (const collection of collections) {
    collection?.forEach((value, key) => {
      out[key] = convert(value, key);
    });
  }
  return out;
}

/** A decoded state as a client may hold it: maps not yet decoded read as undefined. */
type DecodedState = Omit<Partial<TableState>, "encounter" | "gm"> & {
  encounter?: Partial<TableState["encounter"]>;
  gm?: Partial<NonNullable<TableState["gm"]>>;
};

export function docFromState(state: TableState | DecodedState): TableDoc {
  const gm = state.gm;
  return {
    title: state.title ?? "",
    pluginId: state.pluginId ?? "",
    mapWidth: state.mapWidth ?? 0,
    mapHeight: state.mapHeight ?? 0,
    plugin: pluginDataFromState(state.plugin),
    characters: mapRecord([state.characters], (c) => ({
      name: c.name,
      ownerId: c.ownerId,
      hp: c.hp,
      maxHp: c.maxHp,
      x: c.x,
      y: c.y,
      notes: c.notes,
      plugin: pluginDataFromState(c.plugin),
    })),
    actors: mapRecord<ActorState, TableDoc["actors"][string]>([state.actors, gm?.actors], (a) => ({
      name: a.name,
      kind: a.kind,
      hp: a.hp,
      maxHp: a.maxHp,
      x: a.x,
      y: a.y,
      hidden: a.hidden,
      notes: a.notes,
      plugin: pluginDataFromState(a.plugin),
    })),
    items: mapRecord<ItemState, TableDoc["items"][string]>([state.items, gm?.items], (i) => ({
      name: i.name,
      holderId: i.holderId,
      quantity: i.quantity,
      hidden: i.hidden,
      notes: i.notes,
      plugin: pluginDataFromState(i.plugin),
    })),
    encounter: state.encounter?.active ? encounterFromState(state.encounter, gm?.combatants) : null,
  } satisfies TableDoc;
}

function encounterFromState(encounter: Partial<TableState["encounter"]>, hidden: Keyed<CombatantState> | undefined): EncounterDoc {
  let turnId = "";
  const combatants = mapRecord<CombatantState, EncounterDoc["combatants"][string]>([encounter.combatants, hidden], (c, id) => {
    if (c.current) turnId = id;
    return {
      sourceKind: c.sourceKind,
      sourceId: c.sourceId,
      name: c.name,
      initiative: c.initiative,
      tiebreak: c.tiebreak,
      rolled: c.rolled,
      hidden: c.hidden,
      defeated: c.defeated,
      delayed: c.delayed,
    };
  });
  return { round: encounter.round ?? 0, turnId, combatants };
}
