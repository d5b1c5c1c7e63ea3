/**
 * The platform API's rate limits, per API key lineage (a rotated key shares its predecessor's
 * budget) and per tier: reads, status writes, bulk writes, heartbeats. With REDIS_URL the counts
 * live in Redis (the store comes from redisStack.ts), so the limits hold across every process;
 * otherwise in this process's memory.
 */
import type { Request, RequestHandler } from "express";
import { rateLimit, type Store } from "express-rate-limit";
import type { PlatformLimits } from "../config";
import type { ApiCaller } from "../platform/apiKeys";
import { sendError } from "./errors";

export type LimitTier = keyof PlatformLimits;

export interface PlatformLimiters {
  tier(tier: LimitTier): RequestHandler;
  /**
   * Spread into another limiter's options (sign-in, room creation, password attempts) so its
   * counts live where the platform's do: shared by every process with REDIS_URL, so N processes
   * behind a balancer do not grant N times the attempts.
   */
  storeOptions(name: string): { store?: Store };
}

/** Where a route's caller was put by the authentication step. */
export function callerOf(req: Request): ApiCaller {
  return (req as Request & { apiCaller: ApiCaller }).apiCaller;
}

/** `sharedStore` makes the store of one tier (by key prefix); without it, counts stay in memory. */
export function platformLimiters(limits: PlatformLimits, sharedStore?: (prefix: string) => Store): PlatformLimiters {
  const storeOptions = (name: string): { store?: Store } => (sharedStore ? { store: sharedStore(`tavern:${name}:`) } : {});
  const limiters = new Map<LimitTier, RequestHandler>();
  for (const tier of Object.keys(limits) as LimitTier[]) {
    limiters.set(
      tier,
      rateLimit({
        windowMs: 60_000,
        limit: limits[tier],
        standardHeaders: "draft-6",
        legacyHeaders: false,
        keyGenerator: (req) => callerOf(req).lineage,
        ...storeOptions(`platform-rl:${tier}`),
        handler: (req, res) => {
          const reset = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
          const seconds = reset ? Math.max(1, Math.ceil((reset.getTime() - Date.now()) / 1000)) : 60;
          res.set("Retry-After", String(seconds));
          sendError(res, "RATE_LIMITED", `This key may make ${limits[tier]} ${TIER_WORDS[tier]} a minute: retry in ${seconds} s.`, {
            tier,
            limit: limits[tier],
          });
        },
      }),
    );
  }
  return {
    tier: (tier) => limiters.get(tier)!,
    storeOptions,
  };
}

const TIER_WORDS: Record<LimitTier, string> = {
  reads: "reads",
  statusWrites: "status writes",
  bulkWrites: "bulk writes",
  heartbeats: "heartbeats",
};
