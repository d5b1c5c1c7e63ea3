/**
 * A GM form over one entity of the document (a character, an actor or an item): its fields saved
 * as `update` ops through the queue. The form is filled when an entity is loaded and is never
 * overwritten while the GM types: when the entity changes underneath, a note offers to reload it.
 * Its parent keys it by the entity, so another entity gets a fresh form.
 *
 * A save sends only the fields the GM changed, each as "from what I saw to what I want". If on a
 * retry a field already holds the wanted value it is skipped; if someone else changed it to
 * something else meanwhile, the intent no longer applies and the GM is told (nothing is
 * overwritten blindly).
 *
 * Element ids are `<prefix>-form`, `-fields`, `-stale`, `-reload`, `-none`, and one control per
 * field, `<prefix>-<path joined by ->` (`edit-plugin-ac`), so that the page can hold several forms.
 */
import type { JsonValue } from "@tavern/shared/table/document";
import type { Operation } from "@tavern/shared/table/operations";
import type { TableState } from "@tavern/shared/table/state";
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import type { EntityCollection } from "../../net/tableApi";
import { tableDocOf } from "../../table/doc";
import type { Choice } from "../choices";
import { usePatchModel } from "../hooks";
import { Options } from "../Options";
import { useTable } from "./TableView";

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

/** The entity a form shows; `load` is new at every (re)load. */
export interface Shown extends FormTarget {
  name: string;
  load: number;
}

export interface EntityFormProps {
  prefix: string;
  target: FormTarget | undefined;
  /** The fields of this entity, chosen when it is loaded (menus read the state of that moment). */
  fields(target: FormTarget, state: TableState): FieldSpec[];
  /** What the form says when there is no entity to show. */
  none: string;
  /** The form's last row (its save button). */
  saveRow(shown: Shown): ComponentChildren;
  /** Controls that go with the form, after it. */
  after?(shown: Shown | undefined): ComponentChildren;
}

type ControlValue = string | boolean;

interface Loaded {
  shown: Shown;
  fields: FieldSpec[];
  base: (JsonValue | undefined)[];
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

function controlValue(spec: FieldSpec, value: JsonValue | undefined): ControlValue {
  return spec.type === "checkbox" ? value === true : String(value ?? "");
}

function jsonValue(spec: FieldSpec, value: ControlValue): JsonValue {
  if (spec.type === "checkbox") return value === true;
  if (spec.type === "number") return Math.round(Number(value));
  return spec.type === "text" ? String(value).trim() : String(value);
}

let loads = 0;

function load(state: TableState, target: FormTarget | undefined, fieldsOf: EntityFormProps["fields"]): Loaded | undefined {
  const entity = target && entityIn(state, target);
  if (!target || !entity) return undefined;
  const fields = fieldsOf(target, state);
  return { shown: { ...target, name: entity.name, load: ++loads }, fields, base: fields.map((f) => readPath(entity, f.path)) };
}

export function EntityForm({ prefix, target, fields, none, saveRow, after }: EntityFormProps) {
  const { room, api } = useTable();
  const controlId = (spec: FieldSpec) => `${prefix}-${spec.path.join("-")}`;
  const [loaded, setLoaded] = useState(() => load(room.state, target, fields));
  const [values, setValues] = useState<ControlValue[]>(() => loaded?.fields.map((f, i) => controlValue(f, loaded.base[i])) ?? []);
  const reload = () => {
    const next = load(room.state, target, fields);
    setLoaded(next);
    setValues(next?.fields.map((f, i) => controlValue(f, next.base[i])) ?? []);
  };
  const current = useRef(loaded);
  current.current = loaded;

  // Tells the GM when the loaded entity changed underneath the form (or is gone).
  const status = usePatchModel(room, () => {
    if (!loaded) return "none";
    const entity = entityIn(room.state, loaded.shown);
    if (!entity) return "gone";
    return loaded.fields.every((f, i) => same(readPath(entity, f.path), loaded.base[i])) ? "same" : "changed";
  }, [loaded]);
  useEffect(() => {
    if (status === "gone") reload();
  }, [status]);

  const save = (e: Event) => {
    e.preventDefault();
    if (!loaded) return;
    const { shown, fields: specs, base } = loaded;
    const changed = specs.map((f, i) => ({ f, from: base[i], to: jsonValue(f, values[i] ?? "") })).filter((c) => !same(c.from, c.to));
    const build = (state: TableState): Operation[] | null => {
      const entity = entityIn(state, shown);
      if (!entity) return null;
      const ops: Operation[] = [];
      for (const { f, from, to } of changed) {
        const now = readPath(entity, f.path);
        if (same(now, to)) continue;
        if (!same(now, from)) return null;
        ops.push({ op: "set", path: `${shown.collection}.${shown.id}.${f.path.join(".")}`, value: to });
      }
      return ops;
    };
    void api.edit(shown.name, build).then((outcome) => {
      // Applied: the form now shows what the server holds, so it is the new "before".
      if (outcome.status === "applied" && current.current === loaded) reload();
    });
  };

  const set = (i: number, value: ControlValue) => setValues((v) => v.map((old, j) => (j === i ? value : old)));
  return (
    <>
      <p id={`${prefix}-none`} class="muted" hidden={Boolean(loaded)}>
        {none}
      </p>
      <form id={`${prefix}-form`} hidden={!loaded} onSubmit={save}>
        <div id={`${prefix}-fields`} class="entity-fields">
          {loaded && <strong>{loaded.shown.name}</strong>}
          {loaded?.fields.map((spec, i) => (
            <Field key={controlId(spec)} id={controlId(spec)} spec={spec} value={values[i] ?? ""} onValue={(v) => set(i, v)} />
          ))}
        </div>
        <p id={`${prefix}-stale`} class="muted" hidden={status !== "changed"}>
          Changed by someone since you opened it.{" "}
          <button type="button" id={`${prefix}-reload`} onClick={reload}>
            Reload
          </button>
        </p>
        {loaded && saveRow(loaded.shown)}
      </form>
      {after?.(loaded?.shown)}
    </>
  );
}

function Field({ id, spec, value, onValue }: { id: string; spec: FieldSpec; value: ControlValue; onValue(v: ControlValue): void }) {
  const text = (e: Event) => onValue((e.currentTarget as HTMLInputElement).value);
  if (spec.type === "checkbox") {
    return (
      <label class="checkbox">
        <input id={id} type="checkbox" checked={value === true} onChange={(e) => onValue(e.currentTarget.checked)} />
        {spec.label}
      </label>
    );
  }
  return (
    <label class={spec.type === "textarea" ? "wide" : ""}>
      {spec.label}
      {spec.type === "select" ? (
        <select id={id} value={String(value)} onChange={text}>
          <Options choices={spec.options ?? []} />
        </select>
      ) : spec.type === "textarea" ? (
        <textarea id={id} value={String(value)} onInput={text} />
      ) : spec.type === "number" ? (
        <input id={id} type="number" value={String(value)} onInput={text} />
      ) : (
        <input id={id} type="text" value={String(value)} onInput={text} />
      )}
    </label>
  );
}
