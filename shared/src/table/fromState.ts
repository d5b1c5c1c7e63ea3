/**
 * Rebuilds the session document from a decoded `table` state, so a client can hash what it holds
 * and compare it with the server's `hash` (GM) or `publicHash` (players).
 */
import type { EncounterDoc, JsonValue, PluginData, TableDoc } from "./document";
import type { TableState } from "./state";

interface PluginMap {
  forEach(cb: (value: string, key: string) => void): void;
}
interface Keyed<T> {
  forEach(cb: (value: T, key: string) => void): void;
}

export function pluginDataFromState(map: PluginMap): PluginData {
  const data: PluginData = {};
  map.forEach((json, key) => {
    data[key] = JSON.parse(json) as JsonValue;
  });
  return data;
}

/**
 * View-filtered collections (actors, items, combatants) stay undefined on a client until the
 * server puts the first of their entries in its view: that reads as empty.
 */
function mapRecord<T, R>(collection: Keyed<T> | undefined, convert: (value: T, key: string) => R): { [id: string]: R } {
  const out: { [id: string]: R } = {};
  collection?.forEach((value, key) => {
    out[key] = convert(value, key);
  });
  return out;
}

export function docFromState(state: TableState): TableDoc {
  return {
    title: state.title,
    pluginId: state.pluginId,
    mapWidth: state.mapWidth,
    mapHeight: state.mapHeight,
    plugin: pluginDataFromState(state.plugin),
    characters: mapRecord(state.characters, (c) => ({
      name: c.name,
      ownerId: c.ownerId,
      hp: c.hp,
      maxHp: c.maxHp,
      x: c.x,
      y: c.y,
      notes: c.notes,
      plugin: pluginDataFromState(c.plugin),
    })),
    actors: mapRecord(state.actors, (a) => ({
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
    items: mapRecord(state.items, (i) => ({
      name: i.name,
      holderId: i.holderId,
      quantity: i.quantity,
      hidden: i.hidden,
      notes: i.notes,
      plugin: pluginDataFromState(i.plugin),
    })),
    encounter: state.encounter.active ? encounterFromState(state.encounter) : null,
  } satisfies TableDoc;
}

function encounterFromState(encounter: TableState["encounter"]): EncounterDoc {
  let turnId = "";
  const combatants = mapRecord(encounter.combatants, (c, id) => {
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
  return { round: encounter.round, turnId, combatants };
}
