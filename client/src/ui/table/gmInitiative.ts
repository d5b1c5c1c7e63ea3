/**
 * The GM sets a combatant's initiative by hand (`setInitiative`): pick, type, Enter. The range
 * (−1000 to 1000) is the server's to check, so an out-of-range value is sent and its refusal is
 * shown like every GM error; this form only makes sure a number was typed.
 */
import type { Room } from "@colyseus/sdk";
import { isCombatantVisible } from "@tavern/shared/table/hash";
import type { TableState } from "@tavern/shared/table/state";
import { turnOrder } from "@tavern/shared/table/turnOrder";
import type { TableApi } from "../../net/tableApi";
import { tableDocOf } from "../../table/doc";
import { $, fillSelect, input, type Choice } from "../dom";
import { renderOnPatch } from "./patchRender";

/** Combatants in turn order, as the tracker lists them, each with its initiative. */
function combatantChoices(state: TableState): Choice[] {
  const doc = tableDocOf(state);
  const encounter = doc.encounter;
  if (!encounter) return [];
  return turnOrder(encounter).map((id) => {
    const c = encounter.combatants[id]!;
    const hidden = isCombatantVisible(doc, c) ? "" : " · hidden";
    return { value: id, label: `${c.name} (${c.rolled ? c.initiative : "–"})${hidden}` };
  });
}

export function mountInitiativeForm(room: Room<unknown, TableState>, api: TableApi): () => void {
  const who = $("init-set-who") as HTMLSelectElement;
  const render = renderOnPatch(
    room,
    () => combatantChoices(room.state),
    (choices) => {
      fillSelect(who, choices);
      who.disabled = choices.length === 0;
      ($("init-set") as HTMLButtonElement).disabled = who.disabled;
    },
  );
  const submit = (e: Event) => {
    e.preventDefault();
    const initiative = input("init-set-value").valueAsNumber;
    if (!who.value || !Number.isFinite(initiative)) return;
    void api.encounter({ type: "setInitiative", combatantId: who.value, initiative });
  };
  $("init-set-form").addEventListener("submit", submit);
  return () => {
    render.stop();
    $("init-set-form").removeEventListener("submit", submit);
  };
}
