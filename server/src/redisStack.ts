/**
 * What Tavern runs on Redis when REDIS_URL is set: Colyseus's presence and matchmaking driver
 * (rooms seen from every process), and the rate-limit counts of the HTTP routes and of room
 * creation. Loaded with import() only then: a single process has no use for these modules, and loading them cost about 25 MB of
 * resident memory at start (measured with `npm run bench:memory`).
 */
import type { MatchMakerDriver, Presence } from "@colyseus/core";
import type { Store } from "express-rate-limit";
import type { RedisReply } from "rate-limit-redis";
import type { SharedMinuteCount } from "./lifecycle/creationLimit";

export interface RedisStack {
  presence: Presence;
  driver: MatchMakerDriver;
  /** A rate-limit store whose keys start with `prefix`, on a connection shared by every store. */
  limitStore(prefix: string): Store;
  /** A count per key and clock minute, shared by every process (keys start with `prefix`). */
  minuteCount(prefix: string): SharedMinuteCount;
  /** Closes the rate limits' connection (Colyseus shuts presence and driver down itself). */
  close(): Promise<void>;
}

export async function loadRedisStack(redisUrl: string): Promise<RedisStack> {
  const [{ RedisPresence }, { RedisDriver }, { Redis }, { RedisStore }] = await Promise.all([
    import("@colyseus/redis-presence"),
    import("@colyseus/redis-driver"),
    import("ioredis"),
    import("rate-limit-redis"),
  ]);
  // Commands queue until the connection is up, and a lost Redis fails a request with an error
  // reply (the limiter answers 500, "passOnStoreError" being off) rather than hanging.
  const limits = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 2 });
  return {
    presence: new RedisPresence(redisUrl),
    driver: new RedisDriver(redisUrl),
    limitStore: (prefix) =>
      new RedisStore({
        prefix,
        sendCommand: (command: string, ...args: string[]) => limits.call(command, ...args) as Promise<RedisReply>,
      }),
    minuteCount: (prefix) => async (key) => {
      // Windows aligned to the clock, so every process counts into the same one.
      const counted = `${prefix}${key}:${Math.floor(Date.now() / 60_000)}`;
      const replies = await limits.multi().incr(counted).expire(counted, 120).exec();
      const [err, hits] = replies?.[0] ?? [new Error("the shared count's transaction was aborted")];
      if (err) throw err;
      return Number(hits);
    },
    close: async () => {
      await limits.quit().catch(() => limits.disconnect());
    },
  };
}
