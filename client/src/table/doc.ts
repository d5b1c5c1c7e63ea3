/**
 * The session document as this client holds it, rebuilt from the decoded state by the shared
 * docFromState. View-filtered maps (actors, items, combatants) only exist on a client once the
 * server has put something of them in its view, so missing ones read as empty here.
 */
import type { TableDoc } from "../../../shared/src/table/document";
import { docFromState } from "../../../shared/src/table/fromState";
import type { TableState } from "../../../shared/src/table/state";

const EMPTY = new Map<string, never>();

export function tableDocOf(state: TableState): TableDoc {
  const encounter = state.encounter;
  const complete = {
    title: state.title,
    pluginId: state.pluginId,
    mapWidth: state.mapWidth,
    mapHeight: state.mapHeight,
    plugin: state.plugin ?? EMPTY,
    characters: state.characters ?? EMPTY,
    actors: state.actors ?? EMPTY,
    items: state.items ?? EMPTY,
    encounter: { active: encounter?.active ?? false, round: encounter?.round ?? 0, combatants: encounter?.combatants ?? EMPTY },
  };
  return docFromState(complete as unknown as TableState);
}
