/**
 * The GM's editor for the selected token: its fields (and the rules plugin's) in an entity form
 * (./EntityForm.tsx: versioned, conflict-safe saves), damage and heal, and dnd5e-lite conditions
 * and concentration through the plugin's actions.
 */
import type { TableState } from "@tavern/shared/table/state";
import { useRef } from "preact/hooks";
import { collectionOf, type TokenRef } from "../../table/entities";
import { useSelected } from "../hooks";
import { DND5E_CONDITIONS } from "@tavern/shared/table/rules/dnd5e";
import { Options } from "../Options";
import { EntityForm, type FieldSpec, type FormTarget, type Shown } from "./EntityForm";
import { ABILITIES } from "./PluginSheet";
import { useTable } from "./TableView";

const DND5E_CONDITION_CHOICES = DND5E_CONDITIONS.map((c) => ({ value: c, label: c }));

function fieldsFor(target: FormTarget, state: TableState): FieldSpec[] {
  const fields: FieldSpec[] = [
    { label: "Name", path: ["name"], type: "text" },
    { label: "HP", path: ["hp"], type: "number" },
    { label: "Max HP", path: ["maxHp"], type: "number" },
  ];
  const character = target.collection === "characters";
  if (character) {
    const players = [...state.players.entries()].filter(([, p]) => p.role !== "spectator").map(([id, p]) => ({ value: id, label: p.name }));
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

export function GmEditor() {
  const { selection } = useTable();
  // The form follows the selection, so what it shows is the selected token.
  const ref = useSelected(selection);
  const target = ref && { collection: collectionOf(ref.kind), id: ref.id };
  return (
    <fieldset id="gm-selected">
      <legend>Selected token</legend>
      <EntityForm
        key={ref ? `${ref.kind}:${ref.id}` : ""}
        prefix="edit"
        target={target}
        fields={fieldsFor}
        none="Click a token on the map to edit it."
        saveRow={() => <button id="edit-save">Save changes</button>}
        after={(shown) => <TokenActions shown={shown} />}
      />
    </fieldset>
  );
}

function TokenActions({ shown }: { shown: Shown | undefined }) {
  const { room, api } = useTable();
  const amount = useRef<HTMLInputElement>(null);
  const condition = useRef<HTMLSelectElement>(null);
  const spell = useRef<HTMLInputElement>(null);
  const target: TokenRef | undefined = shown && { kind: shown.collection === "characters" ? "character" : "actor", id: shown.id };
  const act = (name: string, args: () => Record<string, unknown>) => () => {
    if (target) void api.action(name, target, args());
  };
  const hp = () => ({ amount: Math.max(0, Math.round(Number(amount.current?.value) || 0)) });
  const cond = () => ({ condition: condition.current?.value ?? "" });
  return (
    <>
      <div id="edit-actions" class="row" hidden={!shown}>
        <input id="hp-amount" ref={amount} type="number" min={0} defaultValue="5" aria-label="amount" />
        <button id="act-damage" onClick={act("damage", hp)}>
          Damage
        </button>
        <button id="act-heal" onClick={act("heal", hp)}>
          Heal
        </button>
      </div>
      <div id="edit-conditions" class="row" hidden={!shown || room.state.pluginId !== "dnd5e-lite"}>
        <select id="cond-select" ref={condition} aria-label="condition">
          <Options choices={DND5E_CONDITION_CHOICES} />
        </select>
        <button id="cond-add" onClick={act("addCondition", cond)}>
          Add condition
        </button>
        <button id="cond-remove" onClick={act("removeCondition", cond)}>
          Remove
        </button>
        <input id="conc-spell" ref={spell} placeholder="spell" maxLength={64} aria-label="concentration spell" />
        <button id="conc-set" onClick={act("setConcentration", () => ({ spell: spell.current?.value.trim() ?? "" }))}>
          Concentrate
        </button>
      </div>
    </>
  );
}
