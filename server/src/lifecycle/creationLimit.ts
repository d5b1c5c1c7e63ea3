/**
 * One budget for creating rooms, whichever path a creation takes (`POST /api/rooms`, the
 * matchmaker's `create` and `joinOrCreate`, a table created to reopen a session by id): each
 * creation takes a token from its player's bucket and from its address's bucket, and is refused
 * when either is empty. Held per process: with several processes the budget is per process.
 */
import { TavernError } from "@tavern/shared/errors";
import type { Caller } from "./joinGate";
import { TokenBuckets } from "./rateLimiter";

export class RoomCreationLimit {
  private readonly perPlayer: TokenBuckets;
  private readonly perIp: TokenBuckets;

  constructor(perPlayerPerMinute: number, perIpPerMinute: number) {
    this.perPlayer = new TokenBuckets(perPlayerPerMinute / 60, perPlayerPerMinute);
    this.perIp = new TokenBuckets(perIpPerMinute / 60, perIpPerMinute);
  }

  /** Throws RATE_LIMITED when the caller (or its address) has created too many rooms lately. */
  take(caller: Caller, nowMs: number = Date.now()): void {
    const ipAllowed = caller.ip === undefined || this.perIp.take(caller.ip, nowMs);
    if (!ipAllowed || !this.perPlayer.take(caller.playerId, nowMs)) {
      throw new TavernError("RATE_LIMITED", "Too many rooms created from here lately: wait a minute before creating another.");
    }
  }
}
