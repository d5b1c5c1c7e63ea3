/**
 * Room codes, unique across every process that shares the presence (in memory, or Redis with
 * REDIS_URL). A code is claimed with an atomic HINCRBY: only the claimant that sees 1 owns it.
 */
import { randomBytes } from "node:crypto";
import type { Presence } from "@colyseus/core";
import { generateRoomCode } from "@tavern/shared/roomCodes";

const CLAIMS_KEY = "tavern:room-code-claims";
const ROOMS_KEY = "tavern:room-codes";
const MAX_ATTEMPTS = 20;

export class CodeRegistry {
  /**
   * @param reserved codes owned by something that is not a live room (a stored table session,
   *   reopened by its code): fresh codes skip them.
   */
  constructor(
    private readonly presence: Presence,
    private readonly reserved: (code: string) => Promise<boolean> = async () => false,
  ) {}

  /** Claims a fresh code for `roomId`. Throws after MAX_ATTEMPTS collisions (the code space is full). */
  async claim(roomId: string): Promise<string> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const code = generateRoomCode((n) => randomBytes(n));
      const claims = await this.presence.hincrby(CLAIMS_KEY, code, 1);
      if (claims !== 1) continue;
      if (await this.reserved(code)) {
        await this.presence.hdel(CLAIMS_KEY, code);
        continue;
      }
      await this.presence.hset(ROOMS_KEY, code, roomId);
      return code;
    }
    throw new Error(`could not find a free room code after ${MAX_ATTEMPTS} attempts`);
  }

  /**
   * Claims a specific code (a client re-creating its room after a server restart). False when
   * the code is held by another room.
   */
  async claimExact(code: string, roomId: string): Promise<boolean> {
    const claims = await this.presence.hincrby(CLAIMS_KEY, code, 1);
    if (claims !== 1) {
      await this.presence.hincrby(CLAIMS_KEY, code, -1);
      return false;
    }
    await this.presence.hset(ROOMS_KEY, code, roomId);
    return true;
  }

  /** The room id holding `code`, or undefined. */
  async resolve(code: string): Promise<string | undefined> {
    return (await this.presence.hget(ROOMS_KEY, code)) ?? undefined;
  }

  async release(code: string): Promise<void> {
    await this.presence.hdel(ROOMS_KEY, code);
    await this.presence.hdel(CLAIMS_KEY, code);
  }
}
