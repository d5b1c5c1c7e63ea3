/**
 * Requests of the `table` room (besides the lifecycle ones) and its create options.
 * docs/PROTOCOL.md describes the same in words.
 */
import { z } from "zod";
import { SOURCE_KINDS, entityIdSchema } from "./document";
import { updateRequestSchema } from "./operations";

export const tableCreateOptionsSchema = z
  .object({
    title: z.string().trim().min(1).max(64).optional(),
    /** Rules plugin id ("generic", "dnd5e-lite"); fixed for the session's life. */
    plugin: z.string().min(1).max(64).optional(),
    /** Reopen a stored session (its GM's campaign list gives the id) instead of starting a new one. */
    sessionId: z.string().uuid().optional(),
  })
  .passthrough();

export const entityRefSchema = z.object({ kind: z.enum(SOURCE_KINDS), id: entityIdSchema }).strict();

const optionalBase = z.number().int().min(0).optional();

export const tableRequests = {
  /** GM only: apply ops atomically on top of `baseVersion`. */
  update: updateRequestSchema,
  /** GM only: create a character, actor or item with defaults filled in; answers its id. */
  create: z
    .object({
      collection: z.enum(["characters", "actors", "items"]),
      fields: z.record(z.string(), z.unknown()).optional(),
      baseVersion: optionalBase,
    })
    .strict(),
  /** Players move their own character's token; the GM moves any token. */
  moveToken: z
    .object({ kind: z.enum(SOURCE_KINDS), id: entityIdSchema, x: z.number().int(), y: z.number().int(), baseVersion: optionalBase })
    .strict(),
  /** Roll dice on the server ("2d6+3"); `secret` rolls (GM only) are shown to the GM alone. */
  roll: z
    .object({
      expression: z.string().min(1).max(100),
      label: z.string().trim().max(64).optional(),
      secret: z.boolean().optional(),
    })
    .strict(),
  /** GM only: a rules-plugin action ("damage", "heal", ...) on a character or actor. */
  action: z
    .object({
      name: z.string().min(1).max(64),
      target: entityRefSchema,
      args: z.record(z.string(), z.unknown()).optional(),
      baseVersion: optionalBase,
    })
    .strict(),
} as const;

/** Sent to the GM only: notes about things players must not learn (hidden combatants, secret rolls). */
export interface GmNoteMessage {
  text: string;
  at: number;
}
