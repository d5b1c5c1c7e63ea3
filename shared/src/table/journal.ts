/**
 * What a table session keeps besides its document: the room's moderation (config, kicks) and the
 * journal: public rolls and chat lines, and the GM's own (secret rolls, GM notes), which go back
 * only into the GM's part of the state. Stored by the server, carried in session exports (the GM's).
 */
import { z } from "zod";
import { roomConfigPatchSchema } from "../protocol";

const text = (max: number) => z.string().max(max);

const rollFields = {
  playerId: text(64),
  name: text(64),
  label: text(200),
  expression: text(200),
  detail: text(2000),
  total: z.number().finite(),
  at: z.number().int().min(0),
};

export const journalEntrySchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("roll"), ...rollFields }).strict(),
  z.object({ kind: z.literal("chat"), playerId: text(64), name: text(64), text: text(1000), at: z.number().int().min(0) }).strict(),
  /** The GM's roll in secret: in the GM's dice log only. */
  z.object({ kind: z.literal("secretRoll"), ...rollFields }).strict(),
  /** A line for the GM alone (what a hidden creature's action did, ...). */
  z.object({ kind: z.literal("gmNote"), text: text(1000), at: z.number().int().min(0) }).strict(),
]);
export type JournalEntry = z.infer<typeof journalEntrySchema>;

export const roomSettingsSchema = z
  .object({
    /** The room's config as the GM last set it (a patch over the defaults when read back). */
    config: roomConfigPatchSchema.optional(),
    /** Players the GM kicked: refused when they come back. */
    kicked: z.array(text(64)).max(10_000).optional(),
    /** The devices those players signed in from: refused too, whatever guest they sign in as. */
    kickedDevices: z.array(text(64)).max(10_000).optional(),
  })
  .strict();
export type StoredRoomSettings = z.infer<typeof roomSettingsSchema>;
