/**
 * The GM's items: a menu of every item (loose and hidden ones too, from the GM-only part), the
 * picked one's fields in an entity form (./EntityForm.tsx: versioned, conflict-safe saves) and its
 * deletion after a confirm step. Players see items on their holders' sheets (./SheetPanel.tsx), and
 * never hidden ones: the server does not send them.
 */
import type { TableState } from "@tavern/shared/table/state";
import { useState } from "preact/hooks";
import { actorOf, allTokens, forEachItem, itemOf } from "../../table/entities";
import { offered, type Choice } from "../choices";
import { usePatchModel } from "../hooks";
import { Options } from "../Options";
import { ConfirmStep } from "./ConfirmStep";
import { EntityForm, type FieldSpec } from "./EntityForm";
import { useTable } from "./TableView";

/** Who may hold an item: nobody (a loose item) or any character or actor this client holds. */
export function holderChoices(state: TableState): Choice[] {
  return [{ value: "", label: "(loose)" }, ...allTokens(state).map((t) => ({ value: t.id, label: t.entity.name }))];
}

function itemChoices(state: TableState): Choice[] {
  const choices: Choice[] = [];
  forEachItem(state, (item, id) => {
    const holder = state.characters?.get(item.holderId) ?? actorOf(state, item.holderId);
    const label = `${item.name} ×${item.quantity} (${holder?.name ?? "loose"})${item.hidden ? " · hidden" : ""}`;
    choices.push({ value: id, label });
  });
  return choices.sort((a, b) => a.label.localeCompare(b.label));
}

function itemFields(_target: unknown, state: TableState): FieldSpec[] {
  return [
    { label: "Name", path: ["name"], type: "text" },
    { label: "Quantity", path: ["quantity"], type: "number" },
    { label: "Holder", path: ["holderId"], type: "select", options: holderChoices(state) },
    { label: "Hidden", path: ["hidden"], type: "checkbox" },
    { label: "Notes", path: ["notes"], type: "textarea" },
  ];
}

export function GmItems() {
  const { room, api } = useTable();
  const choices = usePatchModel(room, () => itemChoices(room.state));
  const [chosen, setChosen] = useState("");
  // The form shows the picked item; when that one went away the menu picks another.
  const picked = offered(choices, chosen);
  return (
    <fieldset id="gm-items">
      <legend>Items</legend>
      <label id="item-pick-field" hidden={choices.length === 0}>
        Item{" "}
        <select id="item-pick" value={picked} onChange={(e) => setChosen(e.currentTarget.value)}>
          <Options choices={choices} />
        </select>
      </label>
      <EntityForm
        key={picked}
        prefix="item-edit"
        target={picked ? { collection: "items", id: picked } : undefined}
        fields={itemFields}
        none="No items yet: create one below."
        saveRow={(shown) => (
          <div class="row">
            <button id="item-edit-save">Save item</button>
            <ConfirmStep
              key={shown.load}
              id="item-delete"
              label="Delete item…"
              question={`Delete ${shown.name}?`}
              run={() => {
                const { id, name } = shown;
                // Gone meanwhile: the intent is moot, and the queue tells the GM so.
                void api.edit(name, (state) => (itemOf(state, id) ? [{ op: "unset", path: `items.${id}` }] : null));
              }}
            />
          </div>
        )}
      />
    </fieldset>
  );
}
