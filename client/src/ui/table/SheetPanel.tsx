/** The sheet of the selected token: core fields, encounter status, items held and plugin data. */
import type { PluginData } from "@tavern/shared/table/document";
import type { TableState } from "@tavern/shared/table/state";
import { tableDocOf } from "../../table/doc";
import type { TokenRef } from "../../table/entities";
import { usePatchModel, useSelected } from "../hooks";
import { Facts, PluginSheet } from "./PluginSheet";
import { useTable } from "./TableView";

interface SheetModel {
  kind: "character" | "actor";
  id: string;
  name: string;
  facts: [string, string][];
  pluginId: string;
  plugin: PluginData;
}

function sheetModel(state: TableState, ref: TokenRef | undefined): SheetModel | null {
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

export function SheetPanel() {
  const { room, selection } = useTable();
  const ref = useSelected(selection);
  const model = usePatchModel(room, () => sheetModel(room.state, ref), [ref]);
  return (
    <section id="sheet-panel" class="panel">
      <h3>Sheet</h3>
      {model ? (
        <div id="sheet" data-entity={`${model.kind}:${model.id}`}>
          <h4 class="sheet-name">{model.name}</h4>
          <Facts facts={model.facts} name="core" />
          <PluginSheet pluginId={model.pluginId} data={model.plugin} />
        </div>
      ) : (
        <div id="sheet">
          <p class="muted">Click a token on the map.</p>
        </div>
      )}
    </section>
  );
}
