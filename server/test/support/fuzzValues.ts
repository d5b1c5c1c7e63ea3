/**
 * Payload generators for the protocol fuzzer: valid payloads derived from a request's own zod
 * schema (through its JSON Schema, so a new request or field is generated without a line here),
 * the same with one node mutated into something hostile, and random JSON-like values.
 *
 * Values a room only knows while it runs (player ids, entity ids, document paths, the current
 * version) are generated as `Live` placeholders and read from the room when the case is sent, so
 * a seed replays the same choices whatever ids the room drew.
 */
import fc from "fast-check";
import { pack } from "msgpackr";
import { z } from "zod";

/** Live values by pool name, read from the room just before a case is sent. */
export type Pools = Readonly<Record<string, readonly unknown[]>>;

/** "The index-th value of this pool", resolved by materialize(). */
export class Live {
  constructor(
    readonly pool: string,
    readonly index: number,
  ) {}

  [fc.toStringMethod](): string {
    return `live(${this.pool}#${this.index})`;
  }
}

export function live(pool: string): fc.Arbitrary<Live> {
  return fc.nat({ max: 1000 }).map((index) => new Live(pool, index));
}

/** Copies a plain object key by key, keeping own keys such as `__proto__` as data. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || value instanceof Live) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Replaces every Live placeholder with its value from the pools (a pool that is empty gives a stand-in string). */
export function materialize(value: unknown, pools: Pools): unknown {
  if (value instanceof Live) {
    const pool = pools[value.pool] ?? [];
    return pool.length === 0 ? `no-${value.pool}` : pool[value.index % pool.length];
  }
  if (Array.isArray(value)) return value.map((item) => materialize(item, pools));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) setOwn(out, key, materialize(value[key], pools));
    return out;
  }
  return value;
}

// ----- valid payloads, from the schema ----------------------------------------------------------

/** The subset of JSON Schema that zod's toJSONSchema() emits for the wire contract. */
interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  const?: unknown;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
}

/**
 * Arbitraries that stand in for a property, by its name (`playerId`, `path`, ...), tried as often
 * as the schema's own values. `name[]` is for the items of an array property, `name{}` for the keys
 * of a record property (plain strings: keys are not materialized), and `a+b` for properties that
 * only make sense together (`kind+id`): any object with both gets them from one draw.
 */
export type Hints = Readonly<Record<string, fc.Arbitrary<unknown>>>;

interface BuildContext {
  defs: Record<string, JsonSchema>;
  hints: Hints;
}

/** Recursive definitions (JSON values) are unrolled this deep; a payload this size says enough. */
const MAX_DEPTH = 4;
const SMALL_INT = 1000;

const leafJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -SMALL_INT, max: SMALL_INT }),
  fc.string({ maxLength: 12 }),
);

/** Any JSON value, small (where a schema says "anything"). */
export const smallJson: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 2 });

/** Payloads a request's schema accepts, or nearly (refinements such as trimming are not in the JSON Schema). */
export function validPayload(schema: z.ZodType, hints: Hints = {}): fc.Arbitrary<unknown> {
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  const arb = build(json, { defs: json.$defs ?? {}, hints }, 0, undefined);
  // `z.object({}).optional()` (start, ping, ...) takes no payload at all too.
  return schema.safeParse(undefined).success ? fc.oneof(fc.constant(undefined), arb) : arb;
}

/** JSON Schema of a zod schema with every property optional (fields of a `create`, say). */
export function partialPayload(schema: z.ZodType, hints: Hints = {}): fc.Arbitrary<unknown> {
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  return build({ ...json, required: [] }, { defs: json.$defs ?? {}, hints }, 0, undefined);
}

function build(schema: JsonSchema, ctx: BuildContext, depth: number, key: string | undefined): fc.Arbitrary<unknown> {
  const base = buildBase(schema, ctx, depth, key);
  const hint = key === undefined ? undefined : ctx.hints[key];
  // Mostly the room's own values: a valid payload that names nothing real only reaches NOT_FOUND.
  return hint ? fc.oneof({ weight: 3, arbitrary: hint }, { weight: 1, arbitrary: base }) : base;
}

function buildBase(schema: JsonSchema, ctx: BuildContext, depth: number, key: string | undefined): fc.Arbitrary<unknown> {
  if (schema.$ref !== undefined) {
    const def = ctx.defs[schema.$ref.replace(/^#\/\$defs\//, "")];
    return def && depth < MAX_DEPTH ? build(def, ctx, depth + 1, key) : leafJson;
  }
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((alt) => build(alt, ctx, depth, key)));
  if (schema.allOf && schema.allOf.length > 0) return build(schema.allOf[0]!, ctx, depth, key);
  if ("const" in schema) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const types = Array.isArray(schema.type) ? schema.type : schema.type === undefined ? [] : [schema.type];
  if (types.length > 1) return fc.oneof(...types.map((type) => build({ ...schema, type }, ctx, depth, key)));
  switch (types[0]) {
    case "null":
      return fc.constant(null);
    case "boolean":
      return fc.boolean();
    case "integer":
      return integerIn(schema);
    case "number":
      return numberIn(schema);
    case "string":
      return stringFor(schema);
    case "array": {
      const minLength = schema.minItems ?? 0;
      const item =
        depth < MAX_DEPTH && schema.items ? build(schema.items, ctx, depth + 1, key === undefined ? undefined : `${key}[]`) : leafJson;
      return fc.array(item, { minLength, maxLength: Math.min(schema.maxItems ?? minLength + 4, minLength + 4) });
    }
    case "object":
      return objectFor(schema, ctx, depth, key);
    default:
      return depth < MAX_DEPTH ? smallJson : leafJson;
  }
}

function integerIn(schema: JsonSchema): fc.Arbitrary<unknown> {
  const min = Math.max(
    schema.minimum ?? Number.MIN_SAFE_INTEGER,
    schema.exclusiveMinimum === undefined ? -Infinity : schema.exclusiveMinimum + 1,
  );
  const max = Math.min(
    schema.maximum ?? Number.MAX_SAFE_INTEGER,
    schema.exclusiveMaximum === undefined ? Infinity : schema.exclusiveMaximum - 1,
  );
  // Small values and the bounds: fc.integer only spans 32 bits, and huge ids say little.
  const low = Math.max(min, -SMALL_INT);
  const high = Math.min(max, SMALL_INT);
  const edges = fc.constantFrom(min, max);
  return low <= high ? fc.oneof({ weight: 4, arbitrary: fc.integer({ min: low, max: high }) }, { weight: 1, arbitrary: edges }) : edges;
}

function numberIn(schema: JsonSchema): fc.Arbitrary<unknown> {
  const min = schema.minimum ?? schema.exclusiveMinimum ?? -1e9;
  const max = schema.maximum ?? schema.exclusiveMaximum ?? 1e9;
  const double = fc
    .double({ min, max, noNaN: true, noDefaultInfinity: true })
    .filter(
      (n) =>
        (schema.exclusiveMinimum === undefined || n > schema.exclusiveMinimum) &&
        (schema.exclusiveMaximum === undefined || n < schema.exclusiveMaximum),
    );
  return fc.oneof(double, integerIn({ ...schema, minimum: Math.ceil(min), maximum: Math.floor(max) }));
}

function stringFor(schema: JsonSchema): fc.Arbitrary<unknown> {
  const minLength = schema.minLength ?? 0;
  const maxLength = schema.maxLength ?? Math.max(minLength, 40);
  if (schema.pattern !== undefined) {
    const pattern = new RegExp(schema.pattern);
    return fc.stringMatching(pattern).filter((s) => s.length >= minLength && s.length <= maxLength);
  }
  const upTo = Math.min(maxLength, minLength + 24);
  const text = fc.oneof(
    fc.string({ minLength, maxLength: upTo, unit: "grapheme-ascii" }),
    fc.string({ minLength, maxLength: upTo, unit: "grapheme" }),
  );
  // The longest string the field takes, too: a bound is where checks go wrong.
  const longest = fc.constantFrom("a", "é", "x").map((c) => c.repeat(maxLength));
  return maxLength <= 10_000 ? fc.oneof({ weight: 6, arbitrary: text }, { weight: 1, arbitrary: longest }) : text;
}

function objectFor(schema: JsonSchema, ctx: BuildContext, depth: number, key: string | undefined): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  const names = Object.keys(properties);
  const extra = schema.additionalProperties;
  if (names.length === 0 && extra !== undefined && extra !== false) {
    // A record: keys from the hint for `key{}` when there is one.
    const keyHint = key === undefined ? undefined : ctx.hints[`${key}{}`];
    const keyArb = keyHint ? fc.oneof(keyHint.map(String), fc.string({ maxLength: 12 })) : fc.string({ maxLength: 12 });
    const valueSchema = extra === true ? {} : extra;
    const value = depth < MAX_DEPTH ? build(valueSchema, ctx, depth + 1, key === undefined ? undefined : `${key}.*`) : leafJson;
    return fc.dictionary(keyArb, value, { maxKeys: 4, noNullPrototype: true });
  }
  if (depth >= MAX_DEPTH && names.length === 0) return fc.constant({});
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const name of names) model[name] = build(properties[name]!, ctx, depth + 1, name);
  const record = fc.record(model, { requiredKeys: (schema.required ?? []).filter((name) => names.includes(name)), noNullPrototype: true });
  const together = Object.keys(ctx.hints).filter((hint) => hint.includes("+") && hint.split("+").every((name) => names.includes(name)));
  if (together.length === 0) return record;
  const joint = fc
    .tuple(record, fc.oneof(...together.map((hint) => ctx.hints[hint]!)))
    .map(([r, parts]) => ({ ...r, ...(parts as object) }));
  return fc.oneof({ weight: 1, arbitrary: record }, { weight: 3, arbitrary: joint });
}

// ----- hostile values --------------------------------------------------------------------------

export const NASTY_NUMBERS: readonly number[] = [
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  -0,
  -1,
  0.5,
  -0.000001,
  1e308,
  -1e308,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 32,
  2 ** 53,
  2 ** 53 + 2,
  Number.MAX_SAFE_INTEGER,
  Number.MIN_SAFE_INTEGER,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  0.1 + 0.2,
  1e21,
  -(2 ** 63),
];

export const NASTY_STRINGS: readonly string[] = [
  "",
  " ",
  "   ",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "x\udfffy",
  "\udc00\ud800",
  "🧙‍♂️🐉",
  "\u202eevil",
  "\u0007bell",
  "\t\r\n",
  "\ufeff",
  "e\u0301\u0301\u0301",
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "valueOf",
  "__defineGetter__",
  "'; DROP TABLE sessions; --",
  "${process.exit()}",
  "%s%s%s%n",
  "../../../etc/passwd",
  "characters.__proto__.hp",
  "a..b",
  ".",
  "null",
  "undefined",
  "NaN",
  "-1",
  "1e309",
  "*",
];

const longString = fc
  .constantFrom(31, 32, 33, 63, 64, 65, 100, 101, 255, 256, 257, 500, 501, 1000, 2001, 5000)
  .chain((n) => fc.constantFrom("a".repeat(n), "é".repeat(n), "🐉".repeat(Math.ceil(n / 2)), `${"x".repeat(n - 1)}\u0000`));

export const nastyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: longString },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 16 }) },
);

/** Arrays (or objects) in one another, `depth` deep: the nesting limit is 32. */
export function nested(depth: number, as: "array" | "object"): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = as === "array" ? [value] : { a: value };
  return value;
}

/** An object holding `key` as an own data property, prototype keys included. */
export function withOwnKey(key: string, value: unknown, base: Record<string, unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(base)) setOwn(out, k, base[k]);
  setOwn(out, key, value);
  return out;
}

/** Values msgpack carries that JSON does not: what a hand-written client may send. */
export const exoticValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }),
  fc.date({ noInvalidDate: true }),
  fc.uint8Array({ maxLength: 16 }),
  fc.constant(new Float64Array([Number.NaN, 1.5])),
  fc.constant(undefined),
  fc.constant([undefined, undefined]),
  fc.constant(new Map<unknown, unknown>([["a", 1]])),
);

export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_NUMBERS) },
  { weight: 4, arbitrary: nastyString },
  { weight: 2, arbitrary: fc.constantFrom<unknown>(null, undefined, true, false, 0, 1, [], {}, [[]], [{}], [null]) },
  { weight: 1, arbitrary: fc.constantFrom(20, 31, 32, 33, 40, 200).chain((d) => fc.constantFrom(nested(d, "array"), nested(d, "object"))) },
  { weight: 2, arbitrary: exoticValue },
  { weight: 1, arbitrary: fc.constantFrom("__proto__", "constructor", "toString").map((k) => withOwnKey(k, { polluted: true })) },
  { weight: 1, arbitrary: smallJson },
);

/** Anything a client could pack (fc.anything minus what msgpack cannot carry). */
export const randomValue: fc.Arbitrary<unknown> = fc
  .oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.anything({
      maxDepth: 3,
      maxKeys: 6,
      withBigInt: true,
      withDate: true,
      withTypedArray: true,
      withNullPrototype: true,
      withSparseArray: true,
      withUnicodeString: true,
    }),
    nastyValue,
  )
  .filter(packable);

export function packable(value: unknown): boolean {
  try {
    pack(value);
    return true;
  } catch {
    return false;
  }
}

// ----- one mutation of a valid payload ----------------------------------------------------------

export type Mutation =
  | { kind: "replace"; value: unknown }
  | { kind: "remove" }
  | { kind: "addKey"; key: string; value: unknown }
  | { kind: "wrapInArray" }
  | { kind: "objectToArray" }
  | { kind: "nest"; depth: number };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 6, arbitrary: nastyValue.map((value): Mutation => ({ kind: "replace", value })) },
  { weight: 2, arbitrary: fc.constant<Mutation>({ kind: "remove" }) },
  {
    weight: 2,
    arbitrary: fc
      .record({
        key: fc.oneof(fc.constantFrom("__proto__", "constructor", "toString", "prototype", "admin", "x", ""), nastyString),
        value: nastyValue,
      })
      .map(({ key, value }): Mutation => ({ kind: "addKey", key, value })),
  },
  { weight: 1, arbitrary: fc.constant<Mutation>({ kind: "wrapInArray" }) },
  { weight: 1, arbitrary: fc.constant<Mutation>({ kind: "objectToArray" }) },
  { weight: 1, arbitrary: fc.constantFrom(31, 32, 33, 64).map((depth): Mutation => ({ kind: "nest", depth })) },
);

type Path = Array<string | number>;

/** Every node of a value (the root first), as paths. */
function nodePaths(value: unknown, path: Path = [], out: Path[] = []): Path[] {
  out.push(path);
  if (Array.isArray(value)) value.forEach((item, i) => nodePaths(item, [...path, i], out));
  else if (isPlainObject(value)) for (const key of Object.keys(value)) nodePaths(value[key], [...path, key], out);
  return out;
}

function getAt(value: unknown, path: Path): unknown {
  let node = value;
  for (const step of path) node = (node as Record<string | number, unknown>)[step];
  return node;
}

/** A copy of `value` with the node at `path` replaced (or removed, with `remove`). */
function setAt(value: unknown, path: Path, next: unknown, remove = false): unknown {
  if (path.length === 0) return next;
  const [head, ...rest] = path as [string | number, ...Path];
  if (Array.isArray(value)) {
    const copy = [...value];
    if (rest.length === 0 && remove) copy.splice(head as number, 1);
    else copy[head as number] = setAt(copy[head as number], rest, next, remove);
    return copy;
  }
  const source = value as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    if (key === head && rest.length === 0 && remove) continue;
    setOwn(copy, key, key === head ? setAt(source[key], rest, next, remove) : source[key]);
  }
  return copy;
}

/** Applies one mutation at the `at`-th node of the payload. */
export function mutate(value: unknown, at: number, m: Mutation): unknown {
  const paths = nodePaths(value);
  const path = paths[at % paths.length]!;
  const node = getAt(value, path);
  switch (m.kind) {
    case "replace":
      return setAt(value, path, m.value);
    case "remove":
      return path.length === 0 ? undefined : setAt(value, path, undefined, true);
    case "addKey": {
      // Into the node if it is an object, else into its parent object, else the payload becomes one.
      const target = isPlainObject(node) ? path : path.slice(0, -1);
      const container = getAt(value, target);
      return isPlainObject(container) ? setAt(value, target, withOwnKey(m.key, m.value, container)) : withOwnKey(m.key, m.value);
    }
    case "wrapInArray":
      return setAt(value, path, [node]);
    case "objectToArray":
      return setAt(
        value,
        path,
        isPlainObject(node) ? Object.values(node) : Array.isArray(node) ? Object.fromEntries(node.map((v, i) => [String(i), v])) : [node],
      );
    case "nest": {
      let deep: unknown = node;
      for (let i = 0; i < m.depth; i++) deep = [deep];
      return setAt(value, path, deep);
    }
  }
}

/** Where a case's payload came from: counted apart in the report. */
export type PayloadSource = "valid" | "mutated" | "random";

export interface GeneratedPayload {
  source: PayloadSource;
  payload: unknown;
}

/** Valid, one-field-mutated and random payloads for one request type. */
export function payloadsFor(schema: z.ZodType, hints: Hints): fc.Arbitrary<GeneratedPayload> {
  const valid = validPayload(schema, hints);
  return fc.oneof(
    { weight: 4, arbitrary: valid.map((payload): GeneratedPayload => ({ source: "valid", payload })) },
    {
      weight: 4,
      arbitrary: fc
        .tuple(valid, fc.nat({ max: 1000 }), mutation)
        .map(([payload, at, m]): GeneratedPayload => ({ source: "mutated", payload: mutate(payload, at, m) })),
    },
    { weight: 2, arbitrary: randomValue.map((payload): GeneratedPayload => ({ source: "random", payload })) },
  );
}
