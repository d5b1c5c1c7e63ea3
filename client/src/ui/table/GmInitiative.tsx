/**
 * The GM sets a combatant's initiative by hand (`setInitiative`): pick, type, Enter. The range
 * (−1000 to 1000) is the server's to check, so an out-of-range value is sent and its refusal is
 * shown like every GM error; this form only makes sure a number was typed.
 */
import { isCombatantVisible } from "@tavern/shared/table/hash";
import type { TableState } from "@tavern/shared/table/state";
import { turnOrder } from "@tavern/shared/table/turnOrder";
import { useRef, useState } from "preact/hooks";
import { tableDocOf } from "../../table/doc";
import { offered, type Choice } from "../choices";
import { usePatchModel } from "../hooks";
import { Options } from "../Options";
import { useTable } from "./TableView";

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

export function GmInitiative() {
  const { room, api } = useTable();
  const choices = usePatchModel(room, () => combatantChoices(room.state));
  const [chosen, setChosen] = useState("");
  const who = offered(choices, chosen);
  const value = useRef<HTMLInputElement>(null);
  const none = choices.length === 0;
  return (
    <form
      id="init-set-form"
      class="row"
      onSubmit={(e) => {
        e.preventDefault();
        const initiative = value.current?.valueAsNumber ?? NaN;
        if (!who || !Number.isFinite(initiative)) return;
        void api.encounter({ type: "setInitiative", combatantId: who, initiative });
      }}
    >
      <label>
        Combatant{" "}
        <select id="init-set-who" value={who} disabled={none} onChange={(e) => setChosen(e.currentTarget.value)}>
          <Options choices={choices} />
        </select>
      </label>
      <label>
        Initiative <input id="init-set-value" ref={value} type="number" step="any" required />
      </label>
      <button id="init-set" disabled={none}>
        Set initiative
      </button>
    </form>
  );
}
