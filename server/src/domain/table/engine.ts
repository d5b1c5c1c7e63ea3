/**
 * The operation engine: applies the ops of one update to a table document, all or nothing.
 * The input document is never modified: the ops write into copies of the objects along their
 * paths (structural sharing), and the result is validated against the declared schemas and the
 * rules plugin before it is returned. Any failure throws VALIDATION_ERROR naming the op, and the
 * caller still holds the untouched previous document.
 */
import { TavernError } from "@tavern/shared/errors";
import { canonicalJson } from "@tavern/shared/stateHash";
import {
  TABLE_LIMITS,
  entry,
  sourceOf,
  actorDocSchema,
  characterDocSchema,
  encounterDocSchema,
  entityIdSchema,
  itemDocSchema,
  tableRootSchema,
  type JsonValue,
  type TableDoc,
} from "@tavern/shared/table/document";
import type { Operation } from "@tavern/shared/table/operations";
import type { RulesPlugin } from "./plugins/RulesPlugin";
import type { z } from "zod";

type Container = { [key: string]: unknown } | unknown[];

const COLLECTIONS = ["characters", "actors", "items"] as const;
type Collection = (typeof COLLECTIONS)[number];
const ROOT_SCALARS = ["title", "pluginId", "mapWidth", "mapHeight"] as const;
const FORBIDDEN_KEYS = new Set(["__proto__", "prototype", "constructor"]);

/** A part of the document an op touched, checked once after all ops ran. */
type Touched = { area: "root" } | { area: "plugin" } | { area: "encounter" } | { area: Collection; id: string };

class OpError extends Error {}

export function applyOperations(doc: TableDoc, ops: readonly Operation[], plugin: RulesPlugin): TableDoc {
  const draft = new Draft(doc);
  /** Touched part → index of the first op that touched it, so validation errors name an op. */
  const touched = new Map<string, { part: Touched; opIndex: number }>();
  ops.forEach((op, opIndex) => {
    try {
      const segments = op.path.split(".");
      const part = touchedPart(segments);
      const key = "id" in part ? `${part.area}.${part.id}` : part.area;
      if (!touched.has(key)) touched.set(key, { part, opIndex });
      applyOne(draft, segments, op);
    } catch (err) {
      if (err instanceof OpError) throw opFailure(ops, opIndex, err.message);
      throw err;
    }
  });
  const next = draft.root as unknown as TableDoc;
  for (const { part, opIndex } of touched.values()) {
    const problem = validatePart(doc, next, part, plugin);
    if (problem) throw opFailure(ops, opIndex, problem);
  }
  const integrity = checkReferences(next);
  if (integrity) throw new TavernError("VALIDATION_ERROR", `Update refused: ${integrity}`, { reason: integrity });
  return next;
}

/**
 * Checks a whole document from outside (an import) as if every part had been touched by an op.
 * Throws VALIDATION_ERROR naming the part that fails.
 */
export function validateDocument(doc: TableDoc, plugin: RulesPlugin): void {
  const checks = documentChecks(doc, plugin);
  while (!checks.next().done);
}

/** validateDocument one part at a time (thousands of entities): the caller may pause between parts. */
export function* documentChecks(doc: TableDoc, plugin: RulesPlugin): Generator<void, void, void> {
  const known = new Set<string>([...ROOT_SCALARS, "plugin", ...COLLECTIONS, "encounter"]);
  for (const key of Object.keys(doc))
    if (!known.has(key)) throw new TavernError("VALIDATION_ERROR", `unknown field "${key}" in the document`);
  for (const key of known) if (!Object.hasOwn(doc, key)) throw new TavernError("VALIDATION_ERROR", `the document has no "${key}"`);
  const parts: Touched[] = [{ area: "root" }, { area: "plugin" }, { area: "encounter" }];
  for (const area of COLLECTIONS) for (const id of Object.keys(doc[area] ?? {})) parts.push({ area, id });
  for (const part of parts) {
    const problem = validatePart(doc, doc, part, plugin);
    if (problem) throw new TavernError("VALIDATION_ERROR", `${"id" in part ? `${part.area}.${part.id}` : part.area}: ${problem}`);
    yield;
  }
  const integrity = checkReferences(doc);
  if (integrity) throw new TavernError("VALIDATION_ERROR", integrity);
}

function opFailure(ops: readonly Operation[], opIndex: number, problem: string): TavernError {
  const op = ops[opIndex];
  const label = op ? `${op.op} ${op.path}` : "?";
  return new TavernError("VALIDATION_ERROR", `Op ${opIndex} (${label}): ${problem}`, {
    opIndex,
    path: op?.path,
    reason: problem,
  });
}

function touchedPart(segments: string[]): Touched {
  const [head, id] = segments;
  for (const s of segments) if (FORBIDDEN_KEYS.has(s)) throw new OpError(`"${s}" is not allowed in a path`);
  if (head === "plugin") {
    if (segments.length < 2) throw new OpError("session plugin data is changed one key at a time");
    return { area: "plugin" };
  }
  if (head === "encounter") return { area: "encounter" };
  if ((COLLECTIONS as readonly string[]).includes(head ?? "")) {
    if (id === undefined) throw new OpError(`${head} are changed one entry at a time (${head}.<id>)`);
    return { area: head as Collection, id };
  }
  if ((ROOT_SCALARS as readonly string[]).includes(head ?? "") && segments.length === 1) return { area: "root" };
  throw new OpError(`unknown path (a path starts with title, mapWidth, mapHeight, plugin, characters, actors, items or encounter)`);
}

/** Copies objects along written paths, once per update, leaving the original document intact. */
class Draft {
  root: Container;
  private readonly own = new WeakSet<object>();

  constructor(doc: TableDoc) {
    this.root = doc as unknown as Container;
  }

  /** The writable container that holds the last segment, copying every container on the way. */
  parentOf(segments: string[]): Container {
    this.root = this.writable(this.root);
    let node: Container = this.root;
    for (let i = 0; i < segments.length - 1; i++) {
      const key = segments[i] as string;
      const child = read(node, key);
      if (child === null || typeof child !== "object") {
        throw new OpError(`nothing at ${segments.slice(0, i + 1).join(".")}`);
      }
      const copy = this.writable(child as Container);
      write(node, key, copy);
      node = copy;
    }
    return node;
  }

  private writable(node: Container): Container {
    if (this.own.has(node)) return node;
    const copy: Container = Array.isArray(node) ? [...node] : { ...node };
    this.own.add(copy);
    return copy;
  }
}

function read(node: Container, key: string): unknown {
  if (Array.isArray(node)) return node[arrayIndex(node, key)];
  return Object.hasOwn(node, key) ? node[key] : undefined;
}

function write(node: Container, key: string, value: unknown): void {
  if (Array.isArray(node)) node[arrayIndex(node, key)] = value;
  else node[key] = value;
}

function arrayIndex(node: unknown[], key: string): number {
  const index = /^\d+$/.test(key) ? Number(key) : -1;
  if (index < 0 || index >= node.length) throw new OpError(`index ${key} is outside the list (length ${node.length})`);
  return index;
}

function applyOne(draft: Draft, segments: string[], op: Operation): void {
  const parent = draft.parentOf(segments);
  const key = segments[segments.length - 1] as string;
  switch (op.op) {
    case "set":
      write(parent, key, cloneJson(op.value));
      return;
    case "unset":
      if (Array.isArray(parent)) throw new OpError("list elements are removed with pull");
      if (!Object.hasOwn(parent, key)) throw new OpError("nothing to unset");
      delete parent[key];
      return;
    case "inc": {
      const current = read(parent, key);
      if (typeof current !== "number") throw new OpError("inc needs a number here");
      write(parent, key, current + op.value);
      return;
    }
    case "push":
    case "pull": {
      const current = read(parent, key);
      if (!Array.isArray(current)) throw new OpError(`${op.op} needs a list here`);
      if (op.op === "push") {
        write(parent, key, [...current, cloneJson(op.value)]);
      } else {
        const unwanted = canonicalJson(op.value);
        write(
          parent,
          key,
          current.filter((element) => canonicalJson(element) !== unwanted),
        );
      }
      return;
    }
  }
}

function cloneJson(value: JsonValue): JsonValue {
  return value === null || typeof value !== "object" ? value : structuredClone(value);
}

// ----- validation of the result --------------------------------------------------------------

function validatePart(before: TableDoc, after: TableDoc, part: Touched, plugin: RulesPlugin): string | undefined {
  switch (part.area) {
    case "root": {
      const { title, pluginId, mapWidth, mapHeight } = after;
      const problem = zodProblem(tableRootSchema, { title, pluginId, mapWidth, mapHeight });
      if (problem) return problem;
      return pluginId === before.pluginId ? undefined : "the rules plugin of a session cannot change";
    }
    case "plugin":
      return zodProblem(plugin.schemas.session, after.plugin, "plugin");
    case "encounter":
      return after.encounter === null ? undefined : zodProblem(encounterDocSchema, after.encounter, "encounter");
    default: {
      const entity = entry<object & { plugin: unknown }>(after[part.area], part.id);
      if (entity === undefined) return undefined; // removed; references are checked afterwards
      const idProblem = zodProblem(entityIdSchema, part.id, "id");
      if (idProblem) return idProblem;
      if (entry<unknown>(before[part.area], part.id) === undefined && entityCount(after) > TABLE_LIMITS.maxEntities) {
        return `a session holds at most ${TABLE_LIMITS.maxEntities} characters, actors and items`;
      }
      const core = part.area === "characters" ? characterDocSchema : part.area === "actors" ? actorDocSchema : itemDocSchema;
      const schema = plugin.schemas[part.area === "characters" ? "character" : part.area === "actors" ? "actor" : "item"];
      return zodProblem(core, entity) ?? zodProblem(schema, entity.plugin, "plugin");
    }
  }
}

export function entityCount(doc: TableDoc): number {
  return Object.keys(doc.characters).length + Object.keys(doc.actors).length + Object.keys(doc.items).length;
}

function zodProblem(schema: z.ZodType, value: unknown, prefix?: string): string | undefined {
  const result = schema.safeParse(value);
  if (result.success) return undefined;
  const issue = result.error.issues[0];
  if (!issue) return "invalid value";
  const where = [...(prefix ? [prefix] : []), ...issue.path.map(String)].join(".");
  return where ? `${where}: ${issue.message}` : issue.message;
}

/**
 * Cross-entity rules: what a combatant, an item or the current turn points at must exist; a
 * character and an actor never share an id (an item's holder must be unambiguous); tokens stay on
 * the map, also when the map shrinks.
 */
function checkReferences(doc: TableDoc): string | undefined {
  for (const [id, token] of [...Object.entries(doc.characters), ...Object.entries(doc.actors)]) {
    if (token.x >= doc.mapWidth || token.y >= doc.mapHeight) {
      return `${token.name} (${id}) at (${token.x}, ${token.y}) is off the ${doc.mapWidth}x${doc.mapHeight} map`;
    }
  }
  for (const id of Object.keys(doc.actors)) {
    if (Object.hasOwn(doc.characters, id)) return `${id} is used by both a character and an actor`;
  }
  for (const [id, item] of Object.entries(doc.items)) {
    if (item.holderId !== "" && !entry(doc.characters, item.holderId) && !entry(doc.actors, item.holderId)) {
      return `item ${id} is held by ${item.holderId}, which is neither a character nor an actor`;
    }
  }
  const encounter = doc.encounter;
  if (!encounter) return undefined;
  for (const [id, c] of Object.entries(encounter.combatants)) {
    if (!sourceOf(doc, c))
      return `combatant ${id} stands for ${c.sourceKind} ${c.sourceId}, which does not exist (remove the combatant first)`;
  }
  if (encounter.turnId !== "" && !entry(encounter.combatants, encounter.turnId)) {
    return `the current turn belongs to ${encounter.turnId}, which is not a combatant`;
  }
  return undefined;
}
