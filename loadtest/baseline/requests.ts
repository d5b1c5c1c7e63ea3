/**
 * Validators for what clients send the baseline server. Input from the network is untrusted even
 * in a load test: a bad payload is refused (or ignored, for moves) and never crashes the process.
 * Names and move bounds reuse Tavern's own validators, so both servers accept the same input.
 */
import { z } from "zod";
import { playerNameSchema, ROOM_LIMITS, spaceRequests } from "@tavern/shared/protocol";

export const moveInput = spaceRequests.move;

export const handshakeAuth = z.object({ name: playerNameSchema.optional() });

export const joinRequest = z.object({ roomKey: z.string().max(64), name: playerNameSchema.optional() });

export const createRequest = z.object({
  name: playerNameSchema.optional(),
  capacity: z.number().int().min(ROOM_LIMITS.maxPlayers.min).max(ROOM_LIMITS.maxPlayers.max),
});
