/**
 * The GM's create form: a character (owned by a player), an actor (monster or npc, maybe hidden)
 * or an item (held by a token). New tokens are put on the first free cell so they do not stack.
 */
import type { Room } from "@colyseus/sdk";
import type { TableState } from "@tavern/shared/table/state";
import type { EntityCollection, TableApi } from "../../net/tableApi";
import { freeCell } from "../../table/entities";
import { $, fillSelect, input } from "../dom";
import { holderChoices } from "./choices";
import { renderOnPatch } from "./patchRender";

export function mountCreateForm(room: Room<unknown, TableState>, api: TableApi): () => void {
  const collection = $("ce-collection") as HTMLSelectElement;
  const showFields = () => {
    for (const label of Array.from($("create-entity").querySelectorAll<HTMLElement>("[data-for]"))) {
      label.hidden = !(label.dataset["for"] ?? "").split(" ").includes(collection.value);
    }
  };
  const render = renderOnPatch(
    room,
    () => ({
      players: [...room.state.players.values()]
        .filter((p) => p.role !== "spectator" && p.id !== room.state.hostId)
        .map((p) => ({ value: p.id, label: p.name })),
      holders: holderChoices(room.state),
    }),
    (m) => {
      fillSelect($("ce-owner") as HTMLSelectElement, [{ value: "", label: "(nobody)" }, ...m.players]);
      fillSelect($("ce-holder") as HTMLSelectElement, m.holders);
    },
  );

  const submit = (e: Event) => {
    e.preventDefault();
    const which = collection.value as EntityCollection;
    const name = input("ce-name").value.trim();
    if (!name) return;
    const hp = Math.max(0, Math.round(Number(input("ce-hp").value) || 0));
    const hidden = input("ce-hidden").checked;
    let fields: Record<string, unknown>;
    if (which === "characters") {
      fields = { name, ownerId: ($("ce-owner") as HTMLSelectElement).value, hp, maxHp: hp, ...freeCell(room.state) };
    } else if (which === "actors") {
      fields = { name, kind: ($("ce-kind") as HTMLSelectElement).value, hp, maxHp: hp, hidden, ...freeCell(room.state) };
    } else {
      fields = { name, holderId: ($("ce-holder") as HTMLSelectElement).value, hidden };
    }
    void api.create(which, fields).then((reply) => {
      if (reply) input("ce-name").value = "";
    });
  };
  collection.addEventListener("change", showFields);
  $("create-entity").addEventListener("submit", submit);
  showFields();
  return () => {
    render.stop();
    collection.removeEventListener("change", showFields);
    $("create-entity").removeEventListener("submit", submit);
  };
}
