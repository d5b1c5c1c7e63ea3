/**
 * The database schema (PostgreSQL dialect; the same on PGlite and on a PostgreSQL server).
 * Migrations in ./migrations are generated from it by drizzle-kit and committed.
 */
import { bigint, bigserial, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import type { WebhookDeliveryState, WebhookEventType } from "@tavern/shared/webhooks";
import type { TableDoc } from "@tavern/shared/table/document";
import type { JournalEntry, StoredRoomSettings } from "@tavern/shared/table/journal";
import type { Operation } from "@tavern/shared/table/operations";

/** One tabletop session: its latest snapshot and the head of its update log. */
export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    /** The room code the session reopens under; unique so a code names one session. */
    code: text("code").notNull(),
    title: text("title").notNull(),
    gmPlayerId: text("gm_player_id").notNull(),
    pluginId: text("plugin_id").notNull(),
    snapshot: jsonb("snapshot").$type<TableDoc>().notNull(),
    snapshotVersion: integer("snapshot_version").notNull(),
    snapshotHash: text("snapshot_hash").notNull(),
    /**
     * What players saw of the snapshot counted so far (the public version): a reopen goes on from
     * it while replaying the log. Sessions stored before it existed start at their snapshot version,
     * which players saw as the version then.
     */
    snapshotPublicVersion: integer("snapshot_public_version").notNull().default(0),
    /** The last acknowledged version and its hash: what a reopened session must reproduce. */
    headVersion: integer("head_version").notNull(),
    headHash: text("head_hash").notNull(),
    roomSettings: jsonb("room_settings").$type<StoredRoomSettings>().notNull().default({}),
    /**
     * For a session made by an import: who imported it and the digest of the file's content, so
     * the same file imported again by the same player is refused (and names this session). Kept
     * apart from gm_player_id, which moves with the GM role.
     */
    importedBy: text("imported_by"),
    importDigest: text("import_digest"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("sessions_gm_idx").on(t.gmPlayerId),
    uniqueIndex("sessions_code_idx").on(t.code),
    // NULLs are distinct: sessions that were not imported never collide.
    uniqueIndex("sessions_import_idx").on(t.importedBy, t.importDigest),
  ],
);

/** The append-only log: one row per accepted update, unique per session and version. */
export const sessionUpdates = pgTable(
  "session_updates",
  {
    sessionId: text("session_id")
      .notNull()
      .references(() => sessions.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    ops: jsonb("ops").$type<Operation[]>().notNull(),
    authorId: text("author_id").notNull(),
    kind: text("kind").notNull(),
    hash: text("hash").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.version] })],
);

/**
 * What was said and rolled at a table, so a reopened session shows its recent history. Kept out
 * of the session document: rolls and chat are not game state, have no version and no hash.
 */
export const sessionJournal = pgTable(
  "session_journal",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    sessionId: text("session_id")
      .notNull()
      .references(() => sessions.id, { onDelete: "cascade" }),
    kind: text("kind").$type<JournalEntry["kind"]>().notNull(),
    entry: jsonb("entry").$type<JournalEntry>().notNull(),
    at: timestamp("at", { withTimezone: true }).notNull(),
  },
  (t) => [index("session_journal_kind_idx").on(t.sessionId, t.kind, t.id)],
);

/** Audit trail of room life: created, joined, left, kicked, host changed, started, finished, disposed. */
export const roomEvents = pgTable(
  "room_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    roomId: text("room_id").notNull(),
    roomType: text("room_type").notNull(),
    code: text("code").notNull(),
    kind: text("kind").notNull(),
    /** Who did it or whom it concerns; "" for the room itself. */
    playerId: text("player_id").notNull(),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("room_events_room_idx").on(t.roomId, t.id), index("room_events_code_idx").on(t.code)],
);

/**
 * Keys external games call the platform API with. Only the SHA-256 of the secret is kept: the key
 * is shown once, when it is issued. A rotated key points at its successor and expires after the
 * grace period the admin chose; a revoked one stops at once.
 */
export const apiKeys = pgTable("api_keys", {
  id: text("id").primaryKey(),
  /** The first key of its rotation chain: idempotency keys and limits are the game's, across rotations. */
  lineage: text("lineage").notNull(),
  name: text("name").notNull(),
  secretHash: text("secret_hash").notNull(),
  scopes: jsonb("scopes").$type<string[]>().notNull(),
  /** The one room (by code) the key may reach; NULL for every room. */
  roomCode: text("room_code"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  expiresAt: timestamp("expires_at", { withTimezone: true }),
  revokedAt: timestamp("revoked_at", { withTimezone: true }),
  replacedBy: text("replaced_by"),
});

/**
 * The first reply to each platform write sent with an Idempotency-Key, so a repeat is answered
 * the same (and changes nothing). A row with no status is a write still in flight.
 */
export const idempotencyRecords = pgTable(
  "idempotency_records",
  {
    /** The API key's lineage (api_keys.lineage): a rotated key sees its predecessor's replies. */
    lineage: text("lineage").notNull(),
    key: text("key").notNull(),
    requestHash: text("request_hash").notNull(),
    status: integer("status"),
    response: jsonb("response").$type<unknown>(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.lineage, t.key] }), index("idempotency_created_idx").on(t.createdAt)],
);

/**
 * A guest who claimed their identity: a user name and password for the same player id, so another
 * browser can sign in as them. The password is kept as a scrypt hash (auth/passwords.ts).
 * `tokenVersion` is in every token issued to the account; raising it signs out every device.
 */
export const accounts = pgTable(
  "accounts",
  {
    playerId: text("player_id").primaryKey(),
    /** As typed, for display; `usernameKey` (lower case, NFKC) is what must be unique. */
    username: text("username").notNull(),
    usernameKey: text("username_key").notNull(),
    passwordHash: text("password_hash").notNull(),
    tokenVersion: integer("token_version").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("accounts_username_idx").on(t.usernameKey)],
);

/**
 * A game's webhook endpoints. The signing secret is kept as it is (unlike an API key's): Tavern
 * must sign every delivery with it. It is shown once, at registration, and never listed.
 */
export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: text("id").primaryKey(),
    /** The owning game: the lineage of the API key that registered it (rotations keep it). */
    lineage: text("lineage").notNull(),
    url: text("url").notNull(),
    events: jsonb("events").$type<WebhookEventType[]>().notNull(),
    /** Only this room's events (by code); NULL for every room. */
    roomCode: text("room_code"),
    secret: text("secret").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    disabledReason: text("disabled_reason"),
    /** Deliveries given up one after another since the last success. */
    consecutiveFailures: integer("consecutive_failures").notNull().default(0),
  },
  (t) => [index("webhook_endpoints_lineage_idx").on(t.lineage)],
);

/**
 * The outbox: one row per room event that at least one endpoint listened to when it happened.
 * `body` is the exact JSON sent (and signed) on every attempt.
 */
export const webhookEvents = pgTable(
  "webhook_events",
  {
    id: text("id").primaryKey(),
    type: text("type").$type<WebhookEventType>().notNull(),
    roomCode: text("room_code").notNull(),
    body: text("body").notNull(),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("webhook_events_occurred_idx").on(t.occurredAt)],
);

/**
 * One event to one endpoint. Dispatchers (one per process) claim due rows with FOR UPDATE SKIP
 * LOCKED and hold them by `lease_until` while the attempt runs, so no two processes send the same
 * delivery at once; a lease left by a process that died runs out and the row is claimed again.
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    eventId: text("event_id")
      .notNull()
      .references(() => webhookEvents.id, { onDelete: "cascade" }),
    endpointId: text("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    state: text("state").$type<WebhookDeliveryState>().notNull().default("pending"),
    /** Attempts started (counted at the claim, so one lost with its process counts too). */
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull(),
    leaseUntil: timestamp("lease_until", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
  },
  (t) => [
    index("webhook_deliveries_due_idx").on(t.state, t.nextAttemptAt),
    index("webhook_deliveries_endpoint_idx").on(t.endpointId, t.id),
    index("webhook_deliveries_event_idx").on(t.eventId),
  ],
);

/** The delivery log: every attempt with its answer (or why none came) and how long it took. */
export const webhookAttempts = pgTable(
  "webhook_attempts",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    deliveryId: bigint("delivery_id", { mode: "number" })
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: "cascade" }),
    attempt: integer("attempt").notNull(),
    statusCode: integer("status_code"),
    error: text("error"),
    durationMs: integer("duration_ms").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull(),
  },
  (t) => [index("webhook_attempts_delivery_idx").on(t.deliveryId, t.attempt)],
);
