/**
 * Integrity check of synced state: both sides hash the same canonical JSON (object keys sorted,
 * recursively) with SHA-256. Pure JS so it works in Node and in any browser context, secure or not.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";

/**
 * The one canonical JSON of Tavern (every hash, client and server, is over it). `cache` remembers
 * the text of objects that never change (a table document's nodes are shared between versions),
 * so only the nodes on changed paths are serialized again.
 */
export function canonicalJson(value: unknown, cache?: WeakMap<object, string>): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  const cached = cache?.get(value);
  if (cached !== undefined) return cached;
  let text: string;
  if (Array.isArray(value)) {
    text = `[${value.map((item) => canonicalJson(item, cache)).join(",")}]`;
  } else {
    const record = value as Record<string, unknown>;
    const entries = Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k], cache)}`);
    text = `{${entries.join(",")}}`;
  }
  cache?.set(value, text);
  return text;
}

export function sha256Hex(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}

/** Hash of a schema state (anything with toJSON(), as both the server's and the SDK's states have). */
export function hashState(state: { toJSON(): unknown }): string {
  return sha256Hex(canonicalJson(state.toJSON()));
}

export interface StateHashReply {
  /** Patches broadcast by the room so far: tells client and server which moment was hashed. */
  version: number;
  hash: string;
}
