/**
 * The GM's items: a menu of every item (loose and hidden ones too, from the GM-only part), the
 * picked one's fields in an entity form (./entityForm.ts: versioned, conflict-safe saves) and its
 * deletion after a confirm step. Players see items on their holders' sheets (./sheetPanel.ts), and
 * never hidden ones: the server does not send them.
 */
import type { Room } from "@colyseus/sdk";
import type { TableState } from "@tavern/shared/table/state";
import type { TableApi } from "../../net/tableApi";
import { $, fillSelect, type Choice } from "../dom";
import { holderChoices } from "./choices";
import { mountConfirmStep } from "./confirmStep";
import { mountEntityForm, type FieldSpec } from "./entityForm";
import { renderOnPatch } from "./patchRender";
import { actorOf, forEachItem, itemOf } from "../../table/entities";

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

export function mountItemEditor(room: Room<unknown, TableState>, api: TableApi): () => void {
  const picker = $("item-pick") as HTMLSelectElement;
  const form = mountEntityForm(room, api, { prefix: "item-edit", fields: itemFields, onLoad: () => deletion.reset() });
  const deletion = mountConfirmStep(
    "item-delete",
    () => form.shown && `Delete ${form.shown.name}?`,
    () => {
      const shown = form.shown;
      if (!shown) return;
      const { id, name } = shown;
      // Gone meanwhile: the intent is moot, and the queue tells the GM so.
      void api.edit(name, (state) => (itemOf(state, id) ? [{ op: "unset", path: `items.${id}` }] : null));
    },
  );
  const showPicked = () => form.load(picker.value ? { collection: "items", id: picker.value } : undefined);
  const render = renderOnPatch(
    room,
    () => itemChoices(room.state),
    (choices) => {
      fillSelect(picker, choices);
      $("item-pick-field").hidden = choices.length === 0;
      // The form shows the picked item; when that one went away the menu picked another.
      if (picker.value !== (form.shown?.id ?? "")) showPicked();
    },
  );
  picker.addEventListener("change", showPicked);
  return () => {
    render.stop();
    form.stop();
    deletion.stop();
    picker.removeEventListener("change", showPicked);
  };
}
