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
  /** Whether the node at `path` (keys and indexes from the root) is written piece by piece. */
  inPieces(path: readonly string[]): boolean;
  /** The canonical text, or its UTF-8 bytes, of a node written whole. */
  whole?(node: object): string | Uint8Array;
}

/** Writes canonicalDoc(value) into `hash`, yielding after every node written whole. */
export function* canonicalInto(hash: HashSink, value: unknown, plan: CanonicalPlan, path: string[] = []): Generator<void, void, void> {
  if (value === null || typeof value !== "object" || !plan.inPieces(path)) {
    hash.update(value !== null && typeof value === "object" && plan.whole ? plan.whole(value) : canonicalDoc(value));
    yield;
    return;
  }
  if (Array.isArray(value)) {
    hash.update("[");
    for (let i = 0; i < value.length; i++) {
      if (i > 0) hash.update(",");
      yield* canonicalInto(hash, value[i], plan, [...path, String(i)]);
    }
    hash.update("]");
    return;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort();
  hash.update("{");
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    hash.update(`${i > 0 ? "," : ""}${JSON.stringify(key)}:`);
    yield* canonicalInto(hash, record[key], plan, [...path, key]);
  }
  hash.update("}");
}

/** Runs the steps at once. */
export function writeCanonical(hash: HashSink, value: unknown, plan: CanonicalPlan): void {
  const steps = canonicalInto(hash, value, plan);
  while (!steps.next().done);
}
