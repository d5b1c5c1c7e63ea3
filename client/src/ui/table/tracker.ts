/** The initiative tracker's model: the shared turn order as this client holds it. */
import { isCombatantVisible } from "@tavern/shared/table/hash";
import type { TableState } from "@tavern/shared/table/state";
import { turnOrder } from "@tavern/shared/table/turnOrder";
import { tableDocOf } from "../../table/doc";
import { isGm } from "../../table/entities";

export interface TrackerRow {
  id: string;
  name: string;
  initiative: number | null;
  current: boolean;
  defeated: boolean;
  delayed: boolean;
  hidden: boolean;
}

export interface TrackerModel {
  active: boolean;
  round: number;
  gm: boolean;
  rows: TrackerRow[];
}

export function trackerModel(state: TableState, selfId: string): TrackerModel {
  const doc = tableDocOf(state);
  const encounter = doc.encounter;
  const gm = isGm(state, selfId);
  if (!encounter) return { active: false, round: 0, gm, rows: [] };
  const rows = turnOrder(encounter).map((id) => {
    const c = encounter.combatants[id]!;
    return {
      id,
      name: c.name,
      initiative: c.rolled ? c.initiative : null,
      current: encounter.turnId === id,
      defeated: c.defeated,
      delayed: c.delayed,
      hidden: !isCombatantVisible(doc, c),
    };
  });
  return { active: true, round: encounter.round, gm, rows };
}
