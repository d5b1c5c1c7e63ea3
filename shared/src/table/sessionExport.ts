/**
 * The file format of an exported table session: its latest snapshot and every update after it.
 * Importing replays the updates on the snapshot and checks each hash, so a file that was edited by
 * hand, cut short or mixed up is refused instead of becoming a broken session.
 */
import { z } from "zod";
import type { TableDoc } from "./document";
import { journalEntrySchema, roomSettingsSchema } from "./journal";
import { operationSchema } from "./operations";

export const SESSION_EXPORT_FORMAT = "tavern.table-session.v1";

const hashSchema = z.string().regex(/^[0-9a-f]{64}$/, "must be a SHA-256 hex digest");

export const updateRecordSchema = z
  .object({
    version: z.number().int().min(1),
    ops: z.array(operationSchema),
    authorId: z.string().max(64),
    kind: z.string().max(64),
    at: z.number().int().min(0),
    hash: hashSchema,
  })
  .strict();

export const sessionExportSchema = z
  .object({
    format: z.literal(SESSION_EXPORT_FORMAT),
    exportedAt: z.string(),
    session: z
      .object({
        id: z.string(),
        code: z.string(),
        title: z.string(),
        gmPlayerId: z.string(),
        pluginId: z.string().min(1).max(64),
        headVersion: z.number().int().min(0),
        headHash: hashSchema,
      })
      .passthrough(),
    snapshot: z.object({ version: z.number().int().min(0), hash: hashSchema, doc: z.record(z.string(), z.unknown()) }).strict(),
    updates: z.array(updateRecordSchema),
    /** The room's config and kicks (absent in files from before they were exported). */
    room: roomSettingsSchema.optional(),
    /** Public rolls and chat lines, oldest first (absent in older files). */
    journal: z.array(journalEntrySchema).max(200_000).optional(),
  })
  .strict();

export type SessionExport = Omit<z.infer<typeof sessionExportSchema>, "snapshot"> & {
  snapshot: { version: number; hash: string; doc: TableDoc };
};
