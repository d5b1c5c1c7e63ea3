/**
 * The GM's editor for the selected token: its fields (and the rules plugin's) in an entity form
 * (./entityForm.ts: versioned, conflict-safe saves), damage and heal, and dnd5e-lite conditions
 * and concentration through the plugin's actions.
 */
import type { Room } from "@colyseus/sdk";
import type { TableState } from "@tavern/shared/table/state";
import type { TableApi } from "../../net/tableApi";
import { collectionOf, type TokenRef } from "../../table/entities";
import type { Selection } from "../../table/selection";
import { $, fillSelect, input } from "../dom";
import { mountEntityForm, type FieldSpec, type FormTarget } from "./entityForm";
import { ABILITIES } from "./pluginSheet";

/** The server's dnd5e-lite plugin holds the authoritative list; this one only fills a menu. */
const DND5E_CONDITIONS = [
  "blinded",
  "charmed",
  "deafened",
  "frightened",
  "grappled",
  "incapacitated",
  "invisible",
  "paralyzed",
  "petrified",
  "poisoned",
  "prone",
  "restrained",
  "stunned",
  "unconscious",
];

function fieldsFor(target: FormTarget, state: TableState): FieldSpec[] {
  const fields: FieldSpec[] = [
    { label: "Name", path: ["name"], type: "text" },
    { label: "HP", path: ["hp"], type: "number" },
    { label: "Max HP", path: ["maxHp"], type: "number" },
  ];
  const character = target.collection === "characters";
  if (character) {
    const players = [...state.players.values()].filter((p) => p.role !== "spectator").map((p) => ({ value: p.id, label: p.name }));
    fields.push({ label: "Player", path: ["ownerId"], type: "select", options: [{ value: "", label: "(nobody)" }, ...players] });
  } else {
    const kinds = ["monster", "npc"].map((k) => ({ value: k, label: k }));
    fields.push({ label: "Kind", path: ["kind"], type: "select", options: kinds }, { label: "Hidden", path: ["hidden"], type: "checkbox" });
  }
  if (state.pluginId === "dnd5e-lite") {
    fields.push({ label: "AC", path: ["plugin", "ac"], type: "number" });
    if (character) fields.push({ label: "Level", path: ["plugin", "level"], type: "number" });
    for (const a of ABILITIES) fields.push({ label: a.toUpperCase(), path: ["plugin", "abilities", a], type: "number" });
  }
  fields.push({ label: "Notes", path: ["notes"], type: "textarea" });
  return fields;
}

export function mountGmEditor(room: Room<unknown, TableState>, selection: Selection, api: TableApi): () => void {
  const form = mountEntityForm(room, api, {
    prefix: "edit",
    fields: fieldsFor,
    onLoad: (shown) => {
      $("edit-actions").hidden = !shown;
      $("edit-conditions").hidden = !shown || room.state.pluginId !== "dnd5e-lite";
    },
  });
  const load = (ref: TokenRef | undefined) => form.load(ref && { collection: collectionOf(ref.kind), id: ref.id });

  // The form follows the selection, so what it shows is the selected token.
  const target = (): TokenRef | undefined => (form.shown ? selection.ref : undefined);
  const amount = () => Math.max(0, Math.round(Number(input("hp-amount").value) || 0));
  const act = (name: string, args: () => Record<string, unknown>) => () => {
    const ref = target();
    if (ref) void api.action(name, ref, args());
  };
  const condition = () => ({ condition: ($("cond-select") as HTMLSelectElement).value });
  const handlers: [string, () => void][] = [
    ["act-damage", act("damage", () => ({ amount: amount() }))],
    ["act-heal", act("heal", () => ({ amount: amount() }))],
    ["cond-add", act("addCondition", condition)],
    ["cond-remove", act("removeCondition", condition)],
    ["conc-set", act("setConcentration", () => ({ spell: input("conc-spell").value.trim() }))],
  ];
  for (const [id, fn] of handlers) $(id).addEventListener("click", fn);
  fillSelect(
    $("cond-select") as HTMLSelectElement,
    DND5E_CONDITIONS.map((c) => ({ value: c, label: c })),
  );
  const offSelection = selection.on(load);
  load(selection.ref);

  return () => {
    form.stop();
    offSelection();
    for (const [id, fn] of handlers) $(id).removeEventListener("click", fn);
  };
}
