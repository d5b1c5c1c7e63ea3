/**
 * Canonical JSON (canonicalDoc of shared/src/table/hash.ts: object keys sorted, undefined left
 * out) written into a hash piece by piece instead of built as one string: a session's document or
 * export file is megabytes of text, and hashing a string copies it into UTF-8 first. Which nodes
 * are written in pieces, and how a node written whole is encoded, is each caller's plan: the
 * document hash caches the bytes of untouched entities, the export digest yields between pieces
 * so an import runs in time slices. Both write the same text: that is the one canonical JSON.
 */
import { canonicalDoc } from "@tavern/shared/table/hash";

export interface HashSink {
  update(data: string | Uint8Array): unknown;
}

export interface CanonicalPlan {
  /** Whether the node at `path` (keys and indexes from the root; read it now, it changes) is written piece by piece. */
  inPieces(path: readonly string[]): boolean;
  /** The canonical text, or its UTF-8 bytes, of a node written whole. */
  whole?(node: object): string | Uint8Array;
}

/** Writes canonicalDoc(value) into `hash`, yielding after every node written whole. */
export function* canonicalInto(hash: HashSink, value: unknown, plan: CanonicalPlan, path: string[] = []): Generator<void, void, void> {
  if (!inPieces(value, plan, path)) {
    writeWhole(hash, value, plan);
    yield;
    return;
  }
  const array = Array.isArray(value);
  const record = value as Record<string, unknown>;
  const keys = array
    ? []
    : Object.keys(record)
        .filter((k) => record[k] !== undefined)
        .sort();
  const length = array ? value.length : keys.length;
  hash.update(array ? "[" : "{");
  for (let i = 0; i < length; i++) {
    const key = array ? String(i) : (keys[i] as string);
    if (array) hash.update(i > 0 ? "," : "");
    else hash.update(`${i > 0 ? "," : ""}${JSON.stringify(key)}:`);
    const child = array ? (value as unknown[])[i] : record[key];
    path.push(key);
    // A node written whole is written here: no generator for each of a collection's thousands of entities.
    if (inPieces(child, plan, path)) yield* canonicalInto(hash, child, plan, path);
    else {
      writeWhole(hash, child, plan);
      yield;
    }
    path.pop();
  }
  hash.update(array ? "]" : "}");
}

function inPieces(value: unknown, plan: CanonicalPlan, path: readonly string[]): value is object {
  return value !== null && typeof value === "object" && plan.inPieces(path);
}

function writeWhole(hash: HashSink, value: unknown, plan: CanonicalPlan): void {
  hash.update(value !== null && typeof value === "object" && plan.whole ? plan.whole(value) : canonicalDoc(value));
}

/** Runs the steps at once. */
export function writeCanonical(hash: HashSink, value: unknown, plan: CanonicalPlan): void {
  const steps = canonicalInto(hash, value, plan);
  while (!steps.next().done);
}
