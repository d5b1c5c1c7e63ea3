/**
 * The platform API's rate limits, per API key lineage (a rotated key shares its predecessor's
 * budget) and per tier: reads, status writes, bulk writes, heartbeats. With REDIS_URL the counts
 * live in Redis, so the limits hold across every process; otherwise in this process's memory.
 */
import type { Request, RequestHandler } from "express";
import { rateLimit, type Store } from "express-rate-limit";
import { RedisStore, type RedisReply } from "rate-limit-redis";
import { Redis } from "ioredis";
import type { PlatformLimits } from "../config";
import type { ApiCaller } from "../platform/apiKeys";
import { sendError } from "./errors";

export type LimitTier = keyof PlatformLimits;

export interface PlatformLimiters {
  tier(tier: LimitTier): RequestHandler;
  close(): Promise<void>;
}

/** Where a route's caller was put by the authentication step. */
export function callerOf(req: Request): ApiCaller {
  return (req as Request & { apiCaller: ApiCaller }).apiCaller;
}

export function platformLimiters(limits: PlatformLimits, redisUrl: string | undefined): PlatformLimiters {
  // One connection for every tier; commands queue until it is up, and a lost Redis fails requests
  // with an error reply (handled below as "passOnStoreError": false → 500) rather than hanging.
  const redis = redisUrl ? new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 2 }) : undefined;
  const storeFor = (tier: LimitTier): Store | undefined =>
    redis
      ? new RedisStore({
          prefix: `tavern:platform-rl:${tier}:`,
          sendCommand: (command: string, ...args: string[]) => redis.call(command, ...args) as Promise<RedisReply>,
        })
      : undefined;
  const limiters = new Map<LimitTier, RequestHandler>();
  for (const tier of Object.keys(limits) as LimitTier[]) {
    const store = storeFor(tier);
    limiters.set(
      tier,
      rateLimit({
        windowMs: 60_000,
        limit: limits[tier],
        standardHeaders: "draft-6",
        legacyHeaders: false,
        keyGenerator: (req) => callerOf(req).lineage,
        ...(store ? { store } : {}),
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
    close: async () => {
      await redis?.quit().catch(() => redis.disconnect());
    },
  };
}

const TIER_WORDS: Record<LimitTier, string> = {
  reads: "reads",
  statusWrites: "status writes",
  bulkWrites: "bulk writes",
  heartbeats: "heartbeats",
};
