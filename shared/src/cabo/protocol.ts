/** What a `cabo` room is created with besides the lifecycle's options. */
import { z } from "zod";
import { caboConfigSchema } from "./rules";

export const caboCreateOptionsSchema = z
  .object({
    /** The game's timers and memory aid (docs/CABO.md). */
    cabo: caboConfigSchema.partial().optional(),
    /** How long every card stays shown after a round before the next one is dealt. */
    roundPauseSeconds: z.number().int().min(1).max(60).default(8),
    /** Test mode only (CABO_ALLOW_SEED): the deck is shuffled from this seed, so a test can replay a deal. */
    seed: z.string().min(1).max(64).optional(),
  })
  .passthrough();
