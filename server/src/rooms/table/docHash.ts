/**
 * The document hash of shared/src/table/hash.ts (SHA-256 of the canonical JSON), computed the way
 * a server with large sessions can afford after every update. The shared code builds the whole
 * canonical text (megabytes for a session of thousands of entities) and hashes that string, which
 * copies it into UTF-8 first. Here the document and its collections are written into the hash
 * piece by piece, and every node below them (an entity, a combatant list, a plugin value) comes
 * from a cache of its UTF-8 bytes: documents are immutable and share untouched nodes between
 * versions, so after an update only the touched entity is encoded again. The writing is
 * ./canonicalStream.ts, shared with the export digest.
 */
import { createHash } from "node:crypto";
import { canonicalDoc, publicProjection } from "@tavern/shared/table/hash";
import { writeCanonical, type CanonicalPlan } from "./canonicalStream";
import type { TableDoc } from "@tavern/shared/table/document";
import type { DocDigest } from "../../domain/table/session";

/** Levels written piece by piece: the document (0) and its fields (1); deeper nodes are cached whole. */
const STREAMED_LEVELS = 2;

const bytesCache = new WeakMap<object, Buffer>();

const plan: CanonicalPlan = { inPieces: (path) => path.length < STREAMED_LEVELS, whole: bytesOf };

/** Equal to hashTable(doc) of shared/src/table/hash.ts. */
export function hashDoc(doc: TableDoc): string {
  const hash = createHash("sha256");
  writeCanonical(hash, doc, plan);
  return hash.digest("hex");
}

/** Equal to hashPublicTable(doc, _, fullHash): `fullHash` is reused when players see everything. */
export function hashPublicDoc(doc: TableDoc, fullHash: string): string {
  const projection = publicProjection(doc);
  return projection === doc ? fullHash : hashDoc(projection);
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
