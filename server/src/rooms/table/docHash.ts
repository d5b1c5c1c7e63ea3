/**
 * The document hash of shared/src/table/hash.ts (SHA-256 of the canonical JSON), computed the way
 * a server with large sessions can afford after every update. The shared code builds the whole
 * canonical text (megabytes for a session of thousands of entities) and hashes that string, which
 * copies it into UTF-8 first. Here the document and its collections are written into the hash
 * piece by piece, and every node below them (an entity, a combatant list, a plugin value) comes
 * from a cache of its UTF-8 bytes: documents are immutable and share untouched nodes between
 * versions, so after an update only the touched entity is encoded again.
 */
import { createHash, type Hash } from "node:crypto";
import { canonicalDoc, publicProjection } from "@tavern/shared/table/hash";
import type { TableDoc } from "@tavern/shared/table/document";
import type { DocDigest } from "../../domain/table/session";

/** Levels written piece by piece: the document (0) and its fields (1); deeper nodes are cached whole. */
const STREAMED_LEVELS = 2;

const bytesCache = new WeakMap<object, Buffer>();

/** Equal to hashTable(doc) of shared/src/table/hash.ts. */
export function hashDoc(doc: TableDoc): string {
  const hash = createHash("sha256");
  write(hash, doc, 0);
  return hash.digest("hex");
}

/** Equal to hashPublicTable(doc, _, fullHash): `fullHash` is reused when players see everything. */
export function hashPublicDoc(doc: TableDoc, fullHash: string): string {
  const projection = publicProjection(doc);
  return projection === doc ? fullHash : hashDoc(projection);
}

function write(hash: Hash, value: unknown, level: number): void {
  if (value === null || typeof value !== "object") {
    hash.update(canonicalDoc(value));
    return;
  }
  if (level >= STREAMED_LEVELS) {
    hash.update(bytesOf(value));
    return;
  }
  if (Array.isArray(value)) {
    hash.update("[");
    value.forEach((element, i) => {
      if (i > 0) hash.update(",");
      write(hash, element, level + 1);
    });
    hash.update("]");
    return;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort();
  hash.update("{");
  keys.forEach((key, i) => {
    hash.update(`${i > 0 ? "," : ""}${JSON.stringify(key)}:`);
    write(hash, record[key], level + 1);
  });
  hash.update("}");
}

function bytesOf(node: object): Buffer {
  let bytes = bytesCache.get(node);
  if (bytes === undefined) {
    bytes = Buffer.from(canonicalDoc(node), "utf8");
    bytesCache.set(node, bytes);
  }
  return bytes;
}

/** The digest the server's sessions are given (the domain's session cannot import node:crypto). */
export const nativeDigest: DocDigest = { hashDoc, hashPublicDoc };
