/**
 * A GM form over one entity of the document (a character, an actor or an item): its fields saved
 * as `update` ops through the queue. The form follows the entity as it changes on the table (the
 * GM's own damage, a player's move, another panel's save) in every field the GM has not edited; a
 * field the GM edited keeps what they typed, and if the table's value moved meanwhile the form
 * says which field, with both values, and lets the GM take the table's or keep their own
 * (./formSync.ts). Its parent keys it by the entity, so another entity gets a fresh form.
 *
 * A save sends only the fields the GM changed, each as "from what I saw to what I want". If on a
 * retry a field already holds the wanted value it is skipped; if someone else changed it to
 * something else meanwhile, the intent no longer applies and the GM is told (nothing is
 * overwritten blindly).
 *
 * Element ids are `<prefix>-form`, `-fields`, `-unsaved`, `-stale`, `-reload`, `-keep`, `-none`, and
 * one control per field, `<prefix>-<path joined by ->` (`edit-plugin-ac`), so that the page can hold
 * several forms.
 */
import type { JsonValue } from "@tavern/shared/table/document";
import type { Operation } from "@tavern/shared/table/operations";
import type { TableState } from "@tavern/shared/table/state";
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import type { EntityCollection } from "../../net/tableApi";
import { tableDocOf } from "../../table/doc";
import type { Choice } from "../choices";
import { Options } from "../Options";
import {
  controlValue,
  follow,
  freshForm,
  isEdited,
  jsonValue,
  keepMine,
  same,
  takeTable,
  type ControlValue,
  type FormValues,
} from "./formSync";
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

interface Loaded {
  shown: Shown;
  fields: FieldSpec[];
}

function entityIn(state: TableState, target: FormTarget): { name: string } | undefined {
  return tableDocOf(state)[target.collection][target.id];
}

function readPath(entity: object, path: string[]): JsonValue | undefined {
  let at: unknown = entity;
  for (const key of path) at = at && typeof at === "object" ? (at as Record<string, unknown>)[key] : undefined;
  return at as JsonValue | undefined;
}

let loads = 0;

function load(state: TableState, target: FormTarget | undefined, fieldsOf: EntityFormProps["fields"]): Loaded | undefined {
  const entity = target && entityIn(state, target);
  if (!target || !entity) return undefined;
  return { shown: { ...target, name: entity.name, load: ++loads }, fields: fieldsOf(target, state) };
}

/** The loaded fields' values on the table now; undefined when the entity is gone. */
function valuesNow(state: TableState, loaded: Loaded): (JsonValue | undefined)[] | undefined {
  const entity = entityIn(state, loaded.shown);
  return entity && loaded.fields.map((f) => readPath(entity, f.path));
}

function formOf(state: TableState, loaded: Loaded | undefined): FormValues {
  return freshForm(loaded?.fields ?? [], (loaded && valuesNow(state, loaded)) ?? []);
}

export function EntityForm({ prefix, target, fields, none, saveRow, after }: EntityFormProps) {
  const { room, api } = useTable();
  const controlId = (spec: FieldSpec) => `${prefix}-${spec.path.join("-")}`;
  const [loaded, setLoaded] = useState(() => load(room.state, target, fields));
  const [form, setForm] = useState<FormValues>(() => formOf(room.state, loaded));
  const reload = () => {
    const next = load(room.state, target, fields);
    setLoaded(next);
    setForm(formOf(room.state, next));
  };
  const current = useRef(loaded);
  current.current = loaded;

  // Follows the table at every patch; reloads (to "none") when the entity is gone.
  useEffect(() => {
    if (!loaded) return;
    const run = () => {
      const now = room.state && valuesNow(room.state, loaded);
      if (!now) reload();
      else setForm((f) => follow(loaded.fields, f, now));
    };
    run();
    room.onStateChange(run);
    return () => room.onStateChange.remove(run);
  }, [room, loaded]);
  const resolveDrift = (how: "table" | "mine") => {
    const now = loaded && valuesNow(room.state, loaded);
    if (!loaded || !now) return;
    setForm((f) => (how === "table" ? takeTable(loaded.fields, f, now) : keepMine(f, now)));
  };

  const save = (e: Event) => {
    e.preventDefault();
    if (!loaded) return;
    const { shown, fields: specs } = loaded;
    const { base, values } = form;
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

  const set = (i: number, value: ControlValue) => setForm((f) => ({ ...f, values: f.values.map((old, j) => (j === i ? value : old)) }));
  const edited = loaded?.fields.filter((spec, i) => isEdited(spec, form, i)) ?? [];
  return (
    <>
      <p id={`${prefix}-none`} class="muted" hidden={Boolean(loaded)}>
        {none}
      </p>
      <form id={`${prefix}-form`} hidden={!loaded} onSubmit={save}>
        <div id={`${prefix}-fields`} class="entity-fields">
          {loaded && <strong>{loaded.shown.name}</strong>}
          {loaded?.fields.map((spec, i) => (
            <Field key={controlId(spec)} id={controlId(spec)} spec={spec} value={form.values[i] ?? ""} onValue={(v) => set(i, v)} />
          ))}
        </div>
        <p id={`${prefix}-unsaved`} class="muted" hidden={edited.length === 0}>
          {`Not saved yet: ${edited.map((f) => f.label).join(", ")}.`}
        </p>
        <p id={`${prefix}-stale`} class="warn" hidden={form.drifted.length === 0}>
          <span id={`${prefix}-stale-text`}>{loaded ? driftText(loaded.fields, form, valuesNow(room.state, loaded)) : ""}</span>{" "}
          <button type="button" id={`${prefix}-reload`} onClick={() => resolveDrift("table")}>
            Use the table's
          </button>{" "}
          <button type="button" id={`${prefix}-keep`} onClick={() => resolveDrift("mine")}>
            Keep mine
          </button>
        </p>
        {loaded && saveRow(loaded.shown)}
      </form>
      {after?.(loaded?.shown)}
    </>
  );
}

/** "HP is now 20 on the table; you typed 25." for each field that moved under the GM's edit. */
function driftText(specs: FieldSpec[], form: FormValues, now: (JsonValue | undefined)[] | undefined): string {
  const shown = (spec: FieldSpec, v: ControlValue) =>
    spec.type === "checkbox" ? (v === true ? "ticked" : "not ticked") : `"${String(v)}"`;
  return form.drifted
    .map((i) => {
      const spec = specs[i]!;
      return `${spec.label} changed on the table to ${shown(spec, controlValue(spec, now?.[i]))} while you edited it; yours is ${shown(spec, form.values[i] ?? "")}.`;
    })
    .join(" ");
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
