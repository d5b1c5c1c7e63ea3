/**
 * Versioned operations on a table document. A GM update is `{ baseVersion, ops }`; every accepted
 * change (GM update, player token move, encounter command, plugin action) becomes one
 * `UpdateRecord` whose ops are concrete values, so replaying the records rebuilds the document.
 */
import { z } from "zod";
import { jsonValueSchema } from "./document";

export const OP_KINDS = ["set", "unset", "inc", "push", "pull"] as const;
export type OpKind = (typeof OP_KINDS)[number];

/** Dot-separated path such as `characters.c1.hp` or `actors.a1.plugin.conditions`. */
export const opPathSchema = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, "must be dot-separated keys of letters, digits, _ or -");

const jsonValue = jsonValueSchema;

export const operationSchema = z.discriminatedUnion("op", [
  z.object({ op: z.literal("set"), path: opPathSchema, value: jsonValue }).strict(),
  z.object({ op: z.literal("unset"), path: opPathSchema }).strict(),
  z.object({ op: z.literal("inc"), path: opPathSchema, value: z.number().finite() }).strict(),
  z.object({ op: z.literal("push"), path: opPathSchema, value: jsonValue }).strict(),
  z.object({ op: z.literal("pull"), path: opPathSchema, value: jsonValue }).strict(),
]);
export type Operation = z.infer<typeof operationSchema>;

export const MAX_OPS_PER_UPDATE = 200;

export const updateRequestSchema = z
  .object({
    baseVersion: z.number().int().min(0),
    ops: z.array(operationSchema).min(1, "must hold at least one op").max(MAX_OPS_PER_UPDATE),
  })
  .strict();
export type UpdateRequest = z.infer<typeof updateRequestSchema>;

/** One accepted change: what persistence stores and replays. */
export interface UpdateRecord {
  /** The version this update produced (the previous version + 1). */
  version: number;
  ops: Operation[];
  /** Player id of whoever caused it. */
  authorId: string;
  /** The request that produced it: "update", "moveToken", "encounter.nextTurn", ... */
  kind: string;
  /** Epoch milliseconds. */
  at: number;
  /** SHA-256 of the document after this update. */
  hash: string;
}

/**
 * What a player or spectator is answered about an accepted change: only the public version and
 * hash, which cover what they see (never the whole document's, which count hidden changes).
 */
export interface PublicUpdateReply {
  publicVersion: number;
  publicHash: string;
}

/** What the GM is answered about every accepted change: both versions and both hashes. */
export interface UpdateReply extends PublicUpdateReply {
  version: number;
  hash: string;
}
