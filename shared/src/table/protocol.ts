/**
 * Requests of the `table` room (besides the lifecycle ones) and its create options.
 * docs/PROTOCOL.md describes the same in words.
 */
import { z } from "zod";
import { SOURCE_KINDS, TABLE_LIMITS, entityIdSchema } from "./document";
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

/** The `encounter` request: one command of the encounter (start and end, combatants, initiative, turns, visibility). */
/** Same bound as the combatant schema's initiative and tiebreak. */
export const INITIATIVE_LIMIT = 1000;

const entityRef = entityRefSchema;
const combatantId = entityIdSchema;

export const encounterCommandSchema = z.discriminatedUnion("type", [
  z
    .object({
      type: z.literal("start"),
      combatants: z.array(entityRef).max(TABLE_LIMITS.maxEntities).optional(),
      hidden: z.boolean().optional(),
    })
    .strict(),
  z.object({ type: z.literal("end") }).strict(),
  z.object({ type: z.literal("addCombatant"), source: entityRef, hidden: z.boolean().optional() }).strict(),
  z.object({ type: z.literal("removeCombatant"), combatantId }).strict(),
  z
    .object({ type: z.literal("rollInitiative"), combatantIds: z.array(combatantId).min(1).max(TABLE_LIMITS.maxEntities).optional() })
    .strict(),
  z
    .object({
      type: z.literal("setInitiative"),
      combatantId,
      initiative: z.number().finite().min(-INITIATIVE_LIMIT).max(INITIATIVE_LIMIT),
    })
    .strict(),
  z.object({ type: z.literal("nextTurn") }).strict(),
  z.object({ type: z.literal("previousTurn") }).strict(),
  z.object({ type: z.literal("delayTurn") }).strict(),
  z.object({ type: z.literal("resumeTurn"), combatantId }).strict(),
  z.object({ type: z.literal("reveal"), combatantId }).strict(),
  z.object({ type: z.literal("hide"), combatantId }).strict(),
]);
export type EncounterCommand = z.infer<typeof encounterCommandSchema>;

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
