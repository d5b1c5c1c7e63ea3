/**
 * The GM's editor for the selected token: its fields (and the rules plugin's) saved as `update`
 * ops through the queue, damage and heal, and dnd5e-lite conditions and concentration through the
 * plugin's actions. The form is filled when a token is selected and is never overwritten while
 * the GM types: when the token changes underneath, a note offers to reload it instead.
 *
 * A save sends only the fields the GM changed, each as "from what I saw to what I want". If on a
 * retry a field already holds the wanted value it is skipped; if someone else changed it to
 * something else meanwhile, the intent no longer applies and the GM is told (nothing is
 * overwritten blindly).
 */
import type { Room } from "@colyseus/sdk";
import type { ActorDoc, CharacterDoc, JsonValue, TableDoc } from "../../../../shared/src/table/document";
import type { Operation } from "../../../../shared/src/table/operations";
import type { TableState } from "../../../../shared/src/table/state";
import type { TableApi } from "../../net/tableApi";
import { tableDocOf } from "../../table/doc";
import { entityPath, type TokenRef } from "../../table/entities";
import type { Selection } from "../../table/selection";
import { $, el, input } from "../dom";
import { ABILITIES } from "./pluginSheet";
import { renderOnPatch, type PatchRender } from "./patchRender";

type FieldType = "text" | "number" | "textarea" | "checkbox" | "select";

interface FieldSpec {
  label: string;
  /** Path inside the entity: ["hp"], ["plugin", "ac"], ["plugin", "abilities", "str"]. */
  path: string[];
  type: FieldType;
  options?: { value: string; label: string }[];
}

/** The server's dnd5e-lite plugin holds the authoritative list; this one only fills a menu. */
const DND5E_CONDITIONS = [
  "blinded", "charmed", "deafened", "frightened", "grappled", "incapacitated", "invisible",
  "paralyzed", "petrified", "poisoned", "prone", "restrained", "stunned", "unconscious",
];

function entityIn(doc: TableDoc, ref: TokenRef): CharacterDoc | ActorDoc | undefined {
  return ref.kind === "character" ? doc.characters[ref.id] : doc.actors[ref.id];
}

function readPath(entity: object, path: string[]): JsonValue | undefined {
  let at: unknown = entity;
  for (const key of path) at = at && typeof at === "object" ? (at as Record<string, unknown>)[key] : undefined;
  return at as JsonValue | undefined;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function fieldsFor(ref: TokenRef, state: TableState): FieldSpec[] {
  const fields: FieldSpec[] = [
    { label: "Name", path: ["name"], type: "text" },
    { label: "HP", path: ["hp"], type: "number" },
    { label: "Max HP", path: ["maxHp"], type: "number" },
  ];
  if (ref.kind === "character") {
    const players = [...state.players.values()].filter((p) => p.role !== "spectator").map((p) => ({ value: p.id, label: p.name }));
    fields.push({ label: "Player", path: ["ownerId"], type: "select", options: [{ value: "", label: "(nobody)" }, ...players] });
  } else {
    const kinds = ["monster", "npc"].map((k) => ({ value: k, label: k }));
    fields.push({ label: "Kind", path: ["kind"], type: "select", options: kinds }, { label: "Hidden", path: ["hidden"], type: "checkbox" });
  }
  if (state.pluginId === "dnd5e-lite") {
    fields.push({ label: "AC", path: ["plugin", "ac"], type: "number" });
    if (ref.kind === "character") fields.push({ label: "Level", path: ["plugin", "level"], type: "number" });
    for (const a of ABILITIES) fields.push({ label: a.toUpperCase(), path: ["plugin", "abilities", a], type: "number" });
  }
  fields.push({ label: "Notes", path: ["notes"], type: "textarea" });
  return fields;
}

function fieldControl(spec: FieldSpec, value: JsonValue | undefined): HTMLElement {
  const id = `edit-${spec.path.join("-")}`;
  let control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
  if (spec.type === "select") {
    control = el("select");
    control.append(...(spec.options ?? []).map((o) => Object.assign(el("option", o.label), { value: o.value })));
    control.value = String(value ?? "");
  } else if (spec.type === "textarea") {
    control = el("textarea");
    control.value = String(value ?? "");
  } else {
    control = el("input");
    control.type = spec.type;
    if (spec.type === "checkbox") control.checked = value === true;
    else control.value = String(value ?? "");
  }
  control.id = id;
  const label = el("label", spec.label, spec.type === "checkbox" ? "checkbox" : spec.type === "textarea" ? "wide" : "");
  if (spec.type === "checkbox") label.prepend(control);
  else label.append(control);
  return label;
}

function formValue(spec: FieldSpec): JsonValue {
  const control = document.getElementById(`edit-${spec.path.join("-")}`) as HTMLInputElement;
  if (spec.type === "checkbox") return control.checked;
  if (spec.type === "number") return Math.round(Number(control.value));
  return spec.type === "text" ? control.value.trim() : control.value;
}

export function mountGmEditor(room: Room<unknown, TableState>, selection: Selection, api: TableApi): () => void {
  let loaded: { ref: TokenRef; fields: FieldSpec[]; base: (JsonValue | undefined)[] } | undefined;
  let watch: PatchRender | undefined;

  const load = () => {
    const ref = selection.ref;
    const entity = ref && entityIn(tableDocOf(room.state), ref);
    $("edit-none").hidden = Boolean(entity);
    for (const id of ["edit-form", "edit-actions"]) $(id).hidden = !entity;
    $("edit-conditions").hidden = !entity || room.state.pluginId !== "dnd5e-lite";
    $("edit-stale").hidden = true;
    if (!ref || !entity) {
      loaded = undefined;
      watch?.refresh();
      return;
    }
    const fields = fieldsFor(ref, room.state);
    const base = fields.map((f) => readPath(entity, f.path));
    loaded = { ref, fields, base };
    $("edit-fields").replaceChildren(el("strong", entity.name), ...fields.map((f, i) => fieldControl(f, base[i])));
    watch?.refresh();
  };

  // Tells the GM when the loaded token changed underneath the form (or is gone).
  watch = renderOnPatch(
    room,
    () => {
      if (!loaded) return "none";
      const entity = entityIn(tableDocOf(room.state), loaded.ref);
      if (!entity) return "gone";
      return loaded.fields.every((f, i) => same(readPath(entity, f.path), loaded!.base[i])) ? "same" : "changed";
    },
    (status) => {
      if (status === "gone") load();
      else $("edit-stale").hidden = status !== "changed";
    },
  );

  const save = (e: Event) => {
    e.preventDefault();
    if (!loaded) return;
    const { ref, fields, base } = loaded;
    const wanted = fields.map(formValue);
    const changed = fields.map((f, i) => ({ f, from: base[i], to: wanted[i]! })).filter((c) => !same(c.from, c.to));
    const name = String(base[0] ?? "the token");
    const build = (state: TableState): Operation[] | null => {
      const entity = entityIn(tableDocOf(state), ref);
      if (!entity) return null;
      const ops: Operation[] = [];
      for (const { f, from, to } of changed) {
        const now = readPath(entity, f.path);
        if (same(now, to)) continue;
        if (!same(now, from)) return null;
        ops.push({ op: "set", path: `${entityPath(ref)}.${f.path.join(".")}`, value: to });
      }
      return ops;
    };
    void api.edit(name, build).then((outcome) => {
      // Applied: the form now shows what the server holds, so it is the new "before".
      if (outcome.status === "applied" && loaded?.ref === ref) load();
    });
  };

  const target = () => loaded?.ref;
  const amount = () => Math.max(0, Math.round(Number(input("hp-amount").value) || 0));
  const act = (name: string, args: () => Record<string, unknown>) => () => {
    const ref = target();
    if (ref) void api.action(name, ref, args());
  };
  const condition = () => ({ condition: ($("cond-select") as HTMLSelectElement).value });
  const handlers: [string, string, EventListener][] = [
    ["edit-form", "submit", save],
    ["edit-reload", "click", load],
    ["act-damage", "click", act("damage", () => ({ amount: amount() }))],
    ["act-heal", "click", act("heal", () => ({ amount: amount() }))],
    ["cond-add", "click", act("addCondition", condition)],
    ["cond-remove", "click", act("removeCondition", condition)],
    ["conc-set", "click", act("setConcentration", () => ({ spell: input("conc-spell").value.trim() }))],
  ];
  for (const [id, event, fn] of handlers) $(id).addEventListener(event, fn);
  $("cond-select").replaceChildren(...DND5E_CONDITIONS.map((c) => Object.assign(el("option", c), { value: c })));
  const offSelection = selection.on(load);
  load();

  return () => {
    watch?.stop();
    offSelection();
    for (const [id, event, fn] of handlers) $(id).removeEventListener(event, fn);
  };
}
