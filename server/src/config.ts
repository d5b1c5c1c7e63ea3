/**
 * Typed configuration from the environment, validated once at start-up. A bad value stops the
 * process with a message naming the variable; docs/CONFIG.md lists every variable.
 */
import { z } from "zod";
import { TABLE_LIMITS } from "@tavern/shared/table/document";
import { DEFAULT_RETRY, type RetryPolicy } from "./persistence/backoff";
import { parseJournalKeep, type RetentionPolicy } from "./persistence/retention/policy";

const bool = z.enum(["true", "false", "1", "0", "yes", "no"]).transform((v) => v === "true" || v === "1" || v === "yes");

const intIn = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  HOST: z.string().min(1).default("0.0.0.0"),
  PORT: intIn(0, 65_535).default(2567),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  ADMIN_USER: z.string().min(1).default("admin"),
  ADMIN_PASSWORD: z.string().min(8, "must be at least 8 characters").optional(),
  AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  GUEST_TOKEN_TTL_HOURS: intIn(1, 24 * 365).default(24 * 7),
  RECONNECT_GRACE_SECONDS: intIn(0, 600).default(30),
  ROOM_IDLE_TIMEOUT_SECONDS: intIn(5, 86_400).default(1800),
  KNOCK_TIMEOUT_SECONDS: intIn(1, 600).default(60),
  MAX_PAYLOAD_BYTES: intIn(1024, 1_048_576).default(8192),
  REQUEST_RATE_PER_SECOND: intIn(1, 1000).default(20),
  FLOOD_MESSAGES_PER_SECOND: intIn(10, 100_000).default(200),
  IDLE_MEMORY_RELEASE_SECONDS: intIn(0, 86_400).default(5),
  HTTP_RATE_LIMIT_PER_MINUTE: intIn(1, 100_000).default(120),
  ROOM_CREATES_PER_MINUTE_PER_PLAYER: intIn(1, 100_000).default(20),
  ROOM_CREATES_PER_MINUTE_PER_IP: intIn(1, 100_000).default(120),
  CORS_ORIGINS: z
    .string()
    .optional()
    .superRefine((value, ctx) => {
      for (const origin of parseOrigins(value)) {
        const checked = originSchema.safeParse(origin);
        if (!checked.success)
          ctx.addIssue({ code: "custom", message: `${JSON.stringify(origin)}: ${checked.error.issues[0]?.message ?? "not an origin"}` });
      }
    }),
  SERVE_CLIENT: bool.default(true),
  DATA_DIR: z.string().min(1).default("./data"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional(),
  SNAPSHOT_EVERY: intIn(1, 100_000).default(50),
  RETENTION_INTERVAL_MINUTES: intIn(0, 7 * 24 * 60).default(60),
  AUDIT_RETENTION_DAYS: intIn(0, 36_500).default(90),
  JOURNAL_RETENTION_DAYS: intIn(0, 36_500).default(0),
  JOURNAL_KEEP_PER_KIND: z
    .string()
    .optional()
    .superRefine((value, ctx) => {
      const parsed = parseJournalKeep(value);
      if ("problems" in parsed) for (const message of parsed.problems) ctx.addIssue({ code: "custom", message });
    }),
  COMPACT_UPDATE_LOG: bool.default(true),
  BACKGROUND_WRITE_ATTEMPTS: intIn(1, 20).default(DEFAULT_RETRY.attempts),
  BACKGROUND_WRITE_RETRY_MS: intIn(1, 60_000).default(DEFAULT_RETRY.firstDelayMs),
  IMPORT_MAX_BYTES: intIn(1024, 64 * 1024 * 1024).default(10 * 1024 * 1024),
  IMPORT_MAX_ENTITIES: intIn(1, TABLE_LIMITS.maxEntities).default(TABLE_LIMITS.maxEntities),
  IMPORT_MAX_UPDATES: intIn(0, 100_000).default(1000),
  IMPORT_RATE_PER_PLAYER_PER_HOUR: intIn(1, 100_000).default(10),
  IMPORT_RATE_PER_IP_PER_HOUR: intIn(1, 100_000).default(30),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL")
    .optional(),
  PUBLIC_ADDRESS: z.string().min(1).optional(),
  CLIENT_DIR: z.string().min(1).optional(),
  CABO_ALLOW_SEED: bool.default(false),
  PLATFORM_READS_PER_MINUTE: intIn(1, 1_000_000).default(100),
  PLATFORM_STATUS_WRITES_PER_MINUTE: intIn(1, 1_000_000).default(60),
  PLATFORM_BULK_WRITES_PER_MINUTE: intIn(1, 1_000_000).default(10),
  PLATFORM_HEARTBEATS_PER_MINUTE: intIn(1, 1_000_000).default(120),
  WEBHOOK_TIMEOUT_MS: intIn(100, 60_000).default(5000),
  WEBHOOK_MAX_ATTEMPTS: intIn(1, 50).default(10),
  WEBHOOK_RETRY_BASE_MS: intIn(10, 3_600_000).default(1000),
  WEBHOOK_RETRY_MAX_MS: intIn(10, 86_400_000).default(300_000),
  WEBHOOK_DISABLE_AFTER_FAILURES: intIn(1, 10_000).default(10),
  WEBHOOK_POLL_MS: intIn(50, 60_000).default(1000),
  WEBHOOK_CONCURRENCY: intIn(1, 256).default(16),
  WEBHOOK_RETENTION_HOURS: intIn(1, 24 * 365).default(24 * 7),
  WEBHOOK_ALLOW_LOOPBACK: bool.default(false),
});

export type TavernConfig = {
  nodeEnv: "development" | "production" | "test";
  host: string;
  port: number;
  logLevel: string;
  adminUser: string;
  /** Undefined when ADMIN_PASSWORD is unset: the server generates one and prints it once. */
  adminPassword: string | undefined;
  authSecret: string | undefined;
  guestTokenTtlHours: number;
  reconnectGraceSeconds: number;
  roomIdleTimeoutSeconds: number;
  /** How long a knock on a locked room waits for the host's answer. */
  knockTimeoutSeconds: number;
  /** Test mode: a Cabo room created with a `seed` deals from it (never in production: anyone could replay the deck). */
  caboAllowSeed: boolean;
  maxPayloadBytes: number;
  requestRatePerSecond: number;
  floodMessagesPerSecond: number;
  /** Seconds with no client connected before V8 is asked to give memory back (observability/idleMemory.ts); 0: never. */
  idleMemoryReleaseSeconds: number;
  httpRateLimitPerMinute: number;
  /** Rooms one player may create per minute, over every creation path. */
  roomCreatesPerMinutePerPlayer: number;
  /** Rooms one client address may create per minute, over every creation path. */
  roomCreatesPerMinutePerIp: number;
  /**
   * Origins (scheme://host[:port]) whose pages may call the public API from a browser. Empty means
   * only the page Tavern serves itself (same origin, which needs no CORS grant).
   */
  corsOrigins: string[];
  serveClient: boolean;
  dataDir: string;
  /** PostgreSQL server; undefined means the embedded PGlite in DATA_DIR/pglite. */
  databaseUrl: string | undefined;
  /** A table session stores a snapshot after this many updates (and at session end, GM leave, shutdown). */
  snapshotEvery: number;
  /** What the retention job prunes (persistence/retention/policy.ts). */
  retention: RetentionPolicy;
  /** Minutes between retention runs; 0 runs none in the server (`npm run db -- prune` still works). */
  retentionIntervalMinutes: number;
  /** How background writes (journal, room settings, GM change, audit) are tried again. */
  backgroundWriteRetry: RetryPolicy;
  /** Bounds of `POST /api/sessions/import`: one file's cost, and how often it may be paid. */
  importLimits: ImportLimits;
  /** Shared presence and matchmaking for several processes; undefined means in-memory (one process). */
  redisUrl: string | undefined;
  /** This process's address as clients reach it ("host:port" or "host/path"), put in seat reservations. */
  publicAddress: string | undefined;
  /** Built client to serve at `/`; undefined means the project's client/dist. */
  clientDir: string | undefined;
  /** Requests per minute each API key (its rotation lineage) may make, by tier (http/platformLimits.ts). */
  platformLimits: PlatformLimits;
  /** Webhook deliveries: timeouts, retries, when an endpoint is disabled (platform/webhookDispatcher.ts). */
  webhooks: WebhookConfig;
};

export interface WebhookConfig {
  /** One attempt's deadline, connection to the end of the answer's headers. */
  timeoutMs: number;
  /** Attempts per delivery, the first included, before it gives up. */
  maxAttempts: number;
  /** The delay after the first failed attempt; each next one doubles, up to retryMaxMs. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** Deliveries given up in a row (no success between) after which the endpoint is disabled. */
  disableAfterFailures: number;
  /** How often each process looks for due deliveries it was not told about (other processes' events, lost leases). */
  pollMs: number;
  /** Attempts one process runs at the same time at most. */
  concurrency: number;
  /** Finished deliveries and their log are kept this long. */
  retentionHours: number;
  /** Endpoints on this machine's loopback may be registered and reached (EndpointRules). */
  allowLoopback: boolean;
}

export interface PlatformLimits {
  reads: number;
  statusWrites: number;
  bulkWrites: number;
  heartbeats: number;
}

/** CORS_ORIGINS: a comma-separated list of origins; "*" is refused (the API must name whom it trusts). */
const originSchema = z
  .string()
  .regex(/^https?:\/\/[^/\s,*]+$/, "each origin must look like https://host[:port], with no path and no wildcard");

function parseOrigins(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(",")
    .map((o) => o.trim())
    .filter((o) => o !== "");
}

export interface ImportLimits {
  maxBytes: number;
  /** Characters, actors and items of the snapshot (and of the head it replays to). */
  maxEntities: number;
  maxUpdates: number;
  perPlayerPerHour: number;
  perIpPerHour: number;
}

/** Already checked by the schema: here it cannot fail. */
function journalKeepOf(value: string | undefined): RetentionPolicy["journalKeep"] {
  const parsed = parseJournalKeep(value);
  return "keep" in parsed ? parsed.keep : {};
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Reads the environment (empty strings count as unset). Throws ConfigError listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): TavernConfig {
  const cleaned: Record<string, string> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== "") cleaned[key] = value;
  }
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? "environment");
        return `${name}=${JSON.stringify(cleaned[name] ?? "")}: ${issue.message}`;
      }),
    );
  }
  const e = parsed.data;
  return {
    nodeEnv: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    adminUser: e.ADMIN_USER,
    adminPassword: e.ADMIN_PASSWORD,
    authSecret: e.AUTH_SECRET,
    guestTokenTtlHours: e.GUEST_TOKEN_TTL_HOURS,
    reconnectGraceSeconds: e.RECONNECT_GRACE_SECONDS,
    roomIdleTimeoutSeconds: e.ROOM_IDLE_TIMEOUT_SECONDS,
    knockTimeoutSeconds: e.KNOCK_TIMEOUT_SECONDS,
    caboAllowSeed: e.CABO_ALLOW_SEED,
    maxPayloadBytes: e.MAX_PAYLOAD_BYTES,
    requestRatePerSecond: e.REQUEST_RATE_PER_SECOND,
    floodMessagesPerSecond: e.FLOOD_MESSAGES_PER_SECOND,
    idleMemoryReleaseSeconds: e.IDLE_MEMORY_RELEASE_SECONDS,
    httpRateLimitPerMinute: e.HTTP_RATE_LIMIT_PER_MINUTE,
    roomCreatesPerMinutePerPlayer: e.ROOM_CREATES_PER_MINUTE_PER_PLAYER,
    roomCreatesPerMinutePerIp: e.ROOM_CREATES_PER_MINUTE_PER_IP,
    corsOrigins: parseOrigins(e.CORS_ORIGINS),
    serveClient: e.SERVE_CLIENT,
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    snapshotEvery: e.SNAPSHOT_EVERY,
    retention: {
      auditDays: e.AUDIT_RETENTION_DAYS,
      journalDays: e.JOURNAL_RETENTION_DAYS,
      journalKeep: journalKeepOf(e.JOURNAL_KEEP_PER_KIND),
      compactLog: e.COMPACT_UPDATE_LOG,
    },
    retentionIntervalMinutes: e.RETENTION_INTERVAL_MINUTES,
    backgroundWriteRetry: { ...DEFAULT_RETRY, attempts: e.BACKGROUND_WRITE_ATTEMPTS, firstDelayMs: e.BACKGROUND_WRITE_RETRY_MS },
    importLimits: {
      maxBytes: e.IMPORT_MAX_BYTES,
      maxEntities: e.IMPORT_MAX_ENTITIES,
      maxUpdates: e.IMPORT_MAX_UPDATES,
      perPlayerPerHour: e.IMPORT_RATE_PER_PLAYER_PER_HOUR,
      perIpPerHour: e.IMPORT_RATE_PER_IP_PER_HOUR,
    },
    redisUrl: e.REDIS_URL,
    publicAddress: e.PUBLIC_ADDRESS,
    clientDir: e.CLIENT_DIR,
    platformLimits: {
      reads: e.PLATFORM_READS_PER_MINUTE,
      statusWrites: e.PLATFORM_STATUS_WRITES_PER_MINUTE,
      bulkWrites: e.PLATFORM_BULK_WRITES_PER_MINUTE,
      heartbeats: e.PLATFORM_HEARTBEATS_PER_MINUTE,
    },
    webhooks: {
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
      maxAttempts: e.WEBHOOK_MAX_ATTEMPTS,
      retryBaseMs: e.WEBHOOK_RETRY_BASE_MS,
      // A cap below the base is raised to it (the first retry waits the base).
      retryMaxMs: Math.max(e.WEBHOOK_RETRY_MAX_MS, e.WEBHOOK_RETRY_BASE_MS),
      disableAfterFailures: e.WEBHOOK_DISABLE_AFTER_FAILURES,
      pollMs: e.WEBHOOK_POLL_MS,
      concurrency: e.WEBHOOK_CONCURRENCY,
      retentionHours: e.WEBHOOK_RETENTION_HOURS,
      allowLoopback: e.WEBHOOK_ALLOW_LOOPBACK,
    },
  };
}
