/**
 * How a GM's entity form follows the state it edits (pure, so it is tested without a page). Each
 * field has its base (the value on the table the form last agreed with) and the control's value.
 * A field the GM has not touched follows the table; a field the GM has edited keeps the GM's
 * value, and if the table's value moved meanwhile the field is "drifted": the form names it, with
 * both values, and lets the GM take the table's or keep their own.
 */
import type { JsonValue } from "@tavern/shared/table/document";

export type ControlValue = string | boolean;

export interface FieldSpecLike {
  type: "text" | "number" | "textarea" | "checkbox" | "select";
}

export interface FormValues {
  /** Per field: the table's value the form last agreed with. */
  base: (JsonValue | undefined)[];
  /** Per field: what the control holds. */
  values: ControlValue[];
  /** Fields the GM edited whose value on the table changed since. */
  drifted: number[];
}

export function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function controlValue(spec: FieldSpecLike, value: JsonValue | undefined): ControlValue {
  return spec.type === "checkbox" ? value === true : String(value ?? "");
}

export function jsonValue(spec: FieldSpecLike, value: ControlValue): JsonValue {
  if (spec.type === "checkbox") return value === true;
  if (spec.type === "number") return Math.round(Number(value));
  return spec.type === "text" ? String(value).trim() : String(value);
}

/** The form as loaded from the table's values now: nothing edited. */
export function freshForm(specs: FieldSpecLike[], now: (JsonValue | undefined)[]): FormValues {
  return { base: [...now], values: specs.map((spec, i) => controlValue(spec, now[i])), drifted: [] };
}

/** True when the GM changed this field's control from its base. */
export function isEdited(spec: FieldSpecLike, form: FormValues, i: number): boolean {
  return form.values[i] !== controlValue(spec, form.base[i]);
}

/**
 * The form after the table's values became `now`. Returns `form` itself when nothing changes, so
 * a caller storing it does not redraw.
 */
export function follow(specs: FieldSpecLike[], form: FormValues, now: (JsonValue | undefined)[]): FormValues {
  let next: FormValues | undefined;
  const edit = () => (next ??= { base: [...form.base], values: [...form.values], drifted: [] });
  const drifted: number[] = [];
  specs.forEach((spec, i) => {
    if (same(now[i], form.base[i])) return;
    if (!isEdited(spec, form, i)) {
      edit().base[i] = now[i];
      edit().values[i] = controlValue(spec, now[i]);
    } else if (same(jsonValue(spec, form.values[i] ?? ""), now[i])) {
      edit().base[i] = now[i]; // the table reached what the GM typed: nothing left to save there
    } else {
      drifted.push(i);
    }
  });
  if (!next && same(drifted, form.drifted)) return form;
  const out = next ?? { ...form };
  out.drifted = drifted;
  return out;
}

/** The GM takes the table's values of the drifted fields (their own edits elsewhere stay). */
export function takeTable(specs: FieldSpecLike[], form: FormValues, now: (JsonValue | undefined)[]): FormValues {
  const out: FormValues = { base: [...form.base], values: [...form.values], drifted: [] };
  for (const i of form.drifted) {
    out.base[i] = now[i];
    out.values[i] = controlValue(specs[i]!, now[i]);
  }
  return out;
}

/** The GM keeps their own values of the drifted fields: a save then replaces the table's. */
export function keepMine(form: FormValues, now: (JsonValue | undefined)[]): FormValues {
  const out: FormValues = { base: [...form.base], values: [...form.values], drifted: [] };
  for (const i of form.drifted) out.base[i] = now[i];
  return out;
}
