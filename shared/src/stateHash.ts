/**
 * Integrity check of synced state: both sides hash the same canonical JSON (object keys sorted,
 * recursively) with SHA-256. Pure JS so it works in Node and in any browser context, secure or not.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.keys(value as Record<string, unknown>)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(",")}}`;
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
