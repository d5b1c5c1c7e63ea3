/**
 * A GM form over one entity of the document (a character, an actor or an item): its fields saved
 * as `update` ops through the queue. The form is filled when an entity is loaded and is never
 * overwritten while the GM types: when the entity changes underneath, a note offers to reload it.
 *
 * A save sends only the fields the GM changed, each as "from what I saw to what I want". If on a
 * retry a field already holds the wanted value it is skipped; if someone else changed it to
 * something else meanwhile, the intent no longer applies and the GM is told (nothing is
 * overwritten blindly).
 *
 * Element ids are `<prefix>-form`, `-fields`, `-stale`, `-reload`, `-none`, and one control per
 * field, `<prefix>-<path joined by ->` (`edit-plugin-ac`), so that the page can hold several forms.
 */
import type { Room } from "@colyseus/sdk";
import type { JsonValue } from "@tavern/shared/table/document";
import type { Operation } from "@tavern/shared/table/operations";
import type { TableState } from "@tavern/shared/table/state";
import type { EntityCollection, TableApi } from "../../net/tableApi";
import { tableDocOf } from "../../table/doc";
import { $, el, fillSelect, type Choice } from "../dom";
import { renderOnPatch } from "./patchRender";

export interface FieldSpec {
  label: string;
  /** Path inside the entity: ["hp"], ["plugin", "ac"], ["plugin", "abilities", "str"]. */
  path: string[];
  type: "text" | "number" | "textarea" | "checkbox" | "select";
  options?: Choice[];
}

export interface FormTarget {
  collection: EntityCollection;
  id: string;
}

export interface EntityFormOptions {
  prefix: string;
  /** The fields of this entity, chosen when it is loaded (menus read the state of that moment). */
  fields(target: FormTarget, state: TableState): FieldSpec[];
  /** After every load, whether an entity is shown: for the controls that go with the form. */
  onLoad?(shown: boolean): void;
}

export interface EntityForm {
  /** Shows this entity (or none); called when the GM picks another. */
  load(target: FormTarget | undefined): void;
  /** The entity shown, if any. */
  readonly shown: (FormTarget & { name: string }) | undefined;
  stop(): void;
}

function entityIn(state: TableState, target: FormTarget): { name: string } | undefined {
  return tableDocOf(state)[target.collection][target.id];
}

function readPath(entity: object, path: string[]): JsonValue | undefined {
  let at: unknown = entity;
  for (const key of path) at = at && typeof at === "object" ? (at as Record<string, unknown>)[key] : undefined;
  return at as JsonValue | undefined;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function fieldControl(id: string, spec: FieldSpec, value: JsonValue | undefined): HTMLElement {
  let control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
  if (spec.type === "select") {
    control = el("select");
    fillSelect(control, spec.options ?? []);
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

function formValue(id: string, spec: FieldSpec): JsonValue {
  const control = document.getElementById(id) as HTMLInputElement;
  if (spec.type === "checkbox") return control.checked;
  if (spec.type === "number") return Math.round(Number(control.value));
  return spec.type === "text" ? control.value.trim() : control.value;
}

export function mountEntityForm(room: Room<unknown, TableState>, api: TableApi, options: EntityFormOptions): EntityForm {
  const { prefix } = options;
  const controlId = (spec: FieldSpec) => `${prefix}-${spec.path.join("-")}`;
  let wanted: FormTarget | undefined;
  let loaded: { target: FormTarget; name: string; fields: FieldSpec[]; base: (JsonValue | undefined)[] } | undefined;

  const load = (target: FormTarget | undefined) => {
    wanted = target;
    const entity = target && entityIn(room.state, target);
    $(`${prefix}-none`).hidden = Boolean(entity);
    $(`${prefix}-form`).hidden = !entity;
    $(`${prefix}-stale`).hidden = true;
    if (!target || !entity) {
      loaded = undefined;
    } else {
      const fields = options.fields(target, room.state);
      const base = fields.map((f) => readPath(entity, f.path));
      loaded = { target, name: entity.name, fields, base };
      $(`${prefix}-fields`).replaceChildren(el("strong", entity.name), ...fields.map((f, i) => fieldControl(controlId(f), f, base[i])));
    }
    watch.refresh();
    options.onLoad?.(Boolean(loaded));
  };

  // Tells the GM when the loaded entity changed underneath the form (or is gone).
  const watch = renderOnPatch(
    room,
    () => {
      if (!loaded) return "none";
      const entity = entityIn(room.state, loaded.target);
      if (!entity) return "gone";
      return loaded.fields.every((f, i) => same(readPath(entity, f.path), loaded!.base[i])) ? "same" : "changed";
    },
    (status) => {
      if (status === "gone") load(wanted);
      else $(`${prefix}-stale`).hidden = status !== "changed";
    },
  );

  const save = (e: Event) => {
    e.preventDefault();
    if (!loaded) return;
    const { target, name, fields, base } = loaded;
    const changed = fields.map((f, i) => ({ f, from: base[i], to: formValue(controlId(f), f) })).filter((c) => !same(c.from, c.to));
    const build = (state: TableState): Operation[] | null => {
      const entity = entityIn(state, target);
      if (!entity) return null;
      const ops: Operation[] = [];
      for (const { f, from, to } of changed) {
        const now = readPath(entity, f.path);
        if (same(now, to)) continue;
        if (!same(now, from)) return null;
        ops.push({ op: "set", path: `${target.collection}.${target.id}.${f.path.join(".")}`, value: to });
      }
      return ops;
    };
    void api.edit(name, build).then((outcome) => {
      // Applied: the form now shows what the server holds, so it is the new "before".
      if (outcome.status === "applied" && loaded?.target === target) load(target);
    });
  };
  const reload = () => load(wanted);

  $(`${prefix}-form`).addEventListener("submit", save);
  $(`${prefix}-reload`).addEventListener("click", reload);
  return {
    load,
    get shown() {
      return loaded && { ...loaded.target, name: loaded.name };
    },
    stop: () => {
      watch.stop();
      $(`${prefix}-form`).removeEventListener("submit", save);
      $(`${prefix}-reload`).removeEventListener("click", reload);
    },
  };
}
