/** The sheet of the selected token: core fields, encounter status, items held and plugin data. */
import type { Room } from "@colyseus/sdk";
import type { PluginData } from "@tavern/shared/table/document";
import type { TableState } from "@tavern/shared/table/state";
import { tableDocOf } from "../../table/doc";
import type { Selection } from "../../table/selection";
import { $, el } from "../dom";
import { renderOnPatch, type PatchRender } from "./patchRender";
import { definitionList, pluginSheet } from "./pluginSheet";

interface SheetModel {
  kind: "character" | "actor";
  id: string;
  name: string;
  facts: [string, string][];
  pluginId: string;
  plugin: PluginData;
}

function sheetModel(state: TableState, selection: Selection): SheetModel | null {
  const ref = selection.ref;
  if (!ref) return null;
  const doc = tableDocOf(state);
  const entity = ref.kind === "character" ? doc.characters[ref.id] : doc.actors[ref.id];
  if (!entity) return null;
  const facts: [string, string][] = [
    ["HP", `${entity.hp} / ${entity.maxHp}`],
    ["Position", `${entity.x}, ${entity.y}`],
  ];
  if ("ownerId" in entity) facts.unshift(["Player", state.players.get(entity.ownerId)?.name ?? (entity.ownerId ? "(away)" : "nobody")]);
  if ("kind" in entity) facts.unshift(["Kind", entity.hidden ? `${entity.kind} (hidden)` : entity.kind]);
  const combatant = Object.values(doc.encounter?.combatants ?? {}).find((c) => c.sourceKind === ref.kind && c.sourceId === ref.id);
  if (combatant) {
    const status = [combatant.rolled ? `initiative ${combatant.initiative}` : "initiative not rolled"];
    if (combatant.defeated) status.push("defeated");
    if (combatant.delayed) status.push("delaying");
    if (doc.encounter?.turnId && doc.encounter.combatants[doc.encounter.turnId] === combatant) status.push("their turn");
    facts.push(["Encounter", status.join(", ")]);
  }
  const items = Object.values(doc.items).filter((i) => i.holderId === ref.id);
  if (items.length) facts.push(["Items", items.map((i) => (i.quantity === 1 ? i.name : `${i.name} ×${i.quantity}`)).join(", ")]);
  if (entity.notes) facts.push(["Notes", entity.notes]);
  return { kind: ref.kind, id: ref.id, name: entity.name, facts, pluginId: state.pluginId, plugin: entity.plugin };
}

export function mountSheetPanel(room: Room<unknown, TableState>, selection: Selection): PatchRender {
  const render = renderOnPatch(
    room,
    () => sheetModel(room.state, selection),
    (model) => {
      const sheet = $("sheet");
      if (!model) {
        sheet.replaceChildren(el("p", "Click a token on the map.", "muted"));
        delete sheet.dataset["entity"];
        return;
      }
      sheet.dataset["entity"] = `${model.kind}:${model.id}`;
      sheet.replaceChildren(
        el("h4", model.name, "sheet-name"),
        definitionList(model.facts, "core"),
        pluginSheet(model.pluginId, model.plugin),
      );
    },
  );
  const off = selection.on(() => render.refresh());
  return { refresh: render.refresh, stop: () => (render.stop(), off()) };
}
