/**
 * The initiative tracker: combatants in the shared turn order, the round, whose turn it is,
 * delayed and defeated ones marked, and for the GM the hidden ones marked with their controls
 * (resume, reveal or hide, remove). Players never receive hidden combatants at all.
 */
import type { Room } from "@colyseus/sdk";
import { isCombatantVisible } from "@tavern/shared/table/hash";
import type { TableState } from "@tavern/shared/table/state";
import { turnOrder } from "@tavern/shared/table/turnOrder";
import type { TableApi } from "../../net/tableApi";
import { tableDocOf } from "../../table/doc";
import { isGm } from "../../table/entities";
import { $, el } from "../dom";
import { renderOnPatch, type PatchRender } from "./patchRender";

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

export function mountInitiativePanel(room: Room<unknown, TableState>, selfId: string, api: TableApi): PatchRender {
  return renderOnPatch(
    room,
    () => trackerModel(room.state, selfId),
    (model) => {
      const round = $("init-round");
      round.textContent = !model.active ? "no encounter" : model.round === 0 ? "not started" : `Round ${model.round}`;
      round.dataset["round"] = String(model.round);
      $("init-order").replaceChildren(...model.rows.map((row) => rowItem(row, model.gm, api)));
    },
  );
}

function rowItem(row: TrackerRow, gm: boolean, api: TableApi): HTMLLIElement {
  const item = el("li");
  item.dataset["combatantId"] = row.id;
  item.classList.toggle("current", row.current);
  item.classList.toggle("defeated", row.defeated);
  item.classList.toggle("delayed", row.delayed);
  item.classList.toggle("hidden-combatant", row.hidden);
  item.append(
    el("span", row.current ? "▶ " : "", "marker"),
    el("span", row.initiative === null ? "–" : String(row.initiative), "init"),
    " ",
    el("span", row.name, "name"),
  );
  if (row.delayed) item.append(el("span", "delayed", "tag delayed"));
  if (row.defeated) item.append(el("span", "defeated", "tag defeated"));
  if (row.hidden) item.append(el("span", "hidden", "tag hidden"));
  if (!gm) return item;
  const button = (text: string, action: string, run: () => void) => {
    const b = el("button", text);
    b.dataset["action"] = action;
    b.addEventListener("click", run);
    item.append(b);
  };
  if (row.delayed) button("Resume", "resume", () => void api.encounter({ type: "resumeTurn", combatantId: row.id }));
  if (row.hidden) button("Reveal", "reveal", () => void api.encounter({ type: "reveal", combatantId: row.id }));
  else button("Hide", "hide", () => void api.encounter({ type: "hide", combatantId: row.id }));
  button("✕", "remove", () => void api.encounter({ type: "removeCombatant", combatantId: row.id }));
  return item;
}
