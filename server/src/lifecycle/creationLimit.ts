/**
 * One budget for creating rooms, whichever path a creation takes (`POST /api/rooms`, the
 * matchmaker's `create` and `joinOrCreate`, a table created to reopen a session by id): each
 * creation takes a token from its player's bucket and from its address's bucket, and is refused
 * when either is empty. The buckets are this process's; with a shared count (REDIS_URL) every
 * creation is also counted per minute across all processes, so N processes behind a balancer do
 * not grant N budgets.
 */
import { TavernError } from "@tavern/shared/errors";
import type { Caller } from "./joinGate";
import { TokenBuckets } from "./rateLimiter";

/** Counts one more hit under `key` in the current one-minute window of every process; resolves the window's total. */
export type SharedMinuteCount = (key: string) => Promise<number>;

export class RoomCreationLimit {
  private readonly perPlayer: TokenBuckets;
  private readonly perIp: TokenBuckets;

  constructor(
    private readonly perPlayerPerMinute: number,
    private readonly perIpPerMinute: number,
    private readonly shared?: SharedMinuteCount,
  ) {
    this.perPlayer = new TokenBuckets(perPlayerPerMinute / 60, perPlayerPerMinute);
    this.perIp = new TokenBuckets(perIpPerMinute / 60, perIpPerMinute);
  }

  /** Rejects with RATE_LIMITED when the caller (or its address) has created too many rooms lately. */
  async take(caller: Caller, nowMs: number = Date.now()): Promise<void> {
    const ipAllowed = caller.ip === undefined || this.perIp.take(caller.ip, nowMs);
    if (!ipAllowed || !this.perPlayer.take(caller.playerId, nowMs)) throw tooMany();
    if (!this.shared) return;
    const [byPlayer, byIp] = await Promise.all([
      this.shared(`player:${caller.playerId}`),
      caller.ip === undefined ? 0 : this.shared(`ip:${caller.ip}`),
    ]);
    if (byPlayer > this.perPlayerPerMinute || byIp > this.perIpPerMinute) throw tooMany();
  }
}

const tooMany = () => new TavernError("RATE_LIMITED", "Too many rooms created from here lately: wait a minute before creating another.");
