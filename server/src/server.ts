/**
 * Assembles a Tavern server: rooms, HTTP API, monitor, metrics. Used by main.ts and by the tests,
 * so both run the same server.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import compression from "compression";
import express from "express";
import { defineRoom, defineServer, LocalPresence, matchMaker, type Presence, type RegisteredHandler, type Server } from "@colyseus/core";
import type { Transport } from "@colyseus/core";
import { WebSocketTransport } from "@colyseus/ws-transport";
import { Encoder } from "@colyseus/schema";
import { monitor } from "@colyseus/monitor";
import type { TavernConfig } from "./config";
import type { RedisStack } from "./redisStack";
import type { Logger } from "./logger";
import { GuestTokens } from "./auth/guestTokens";
import { generatePassword, loadOrCreateAuthSecret } from "./auth/secrets";
import { CodeRegistry } from "./lifecycle/codeRegistry";
import { RoomCreationLimit } from "./lifecycle/creationLimit";
import { installCloseReasonGuard } from "./lifecycle/closeReasons";
import { TavernLobbyRoom, lobbyGate } from "./rooms/LobbyRoom";
import { installCors } from "./http/cors";
import { clientFiles } from "./http/clientFiles";
import { Metrics } from "./observability/metrics";
import type { Database } from "./persistence/database";
import { SessionStore } from "./persistence/sessionStore";
import { AuditLog } from "./persistence/auditLog";
import { realRetryTools } from "./persistence/backgroundWrites";
import { startRetentionJob, type RetentionJob } from "./persistence/retention/retentionJob";
import { ApiKeyStore } from "./platform/apiKeys";
import { AccountStore } from "./auth/accounts";

import { IdempotencyStore } from "./platform/idempotency";
import { WebhookEndpointStore } from "./platform/webhookEndpoints";
import { WebhookOutbox } from "./platform/webhookOutbox";
import { WebhookDispatcher } from "./platform/webhookDispatcher";
import type { RoomServices } from "./services";
import { bindRoom, type ServedRoomClass } from "./rooms/bindRoom";
import { joinGate, type ReopenByCode } from "./lifecycle/joinGate";
import { reopenStoredSession } from "./rooms/table/reopen";
import type { LifecycleRoom } from "./lifecycle/LifecycleRoom";
import { SpaceRoom } from "./rooms/SpaceRoom";
import { TableRoom } from "./rooms/TableRoom";
import { CaboRoom } from "./rooms/CaboRoom";
import { mountApi } from "./http/api";
import { adminAuth } from "./http/adminAuth";
import { mountAdmin } from "./http/admin";
import { mountAdminKeys } from "./http/adminKeys";
import { mountAdminSessions } from "./http/adminSessions";
import { mountAdminWebhooks } from "./http/adminWebhooks";
import { platformLimiters } from "./http/platformLimits";
import { errorHandler } from "./http/errors";

/** The presence channel on which a process says that an API key was revoked or rotated. */
const API_KEY_CHANGES = "tavern:api-key-changed";
const WEBHOOK_ENDPOINT_CHANGES = "tavern:webhook-endpoint-changed";
/** The presence channel on which a process says that an account's token version changed. */
const ACCOUNT_CHANGES = "tavern:account-changed";

export interface TavernServer {
  server: Server;
  services: RoomServices;
  adminPassword: string;
  /** True when ADMIN_PASSWORD was unset and a password was generated for this run. */
  adminPasswordGenerated: boolean;
  /** The retention job (its timer runs on its own; tests and operators may ask for a run now). */
  retention: RetentionJob;
  /** Closes what the server opened besides Colyseus (the rate limits' Redis connection, the webhook dispatcher, the retention timer). */
  close(): Promise<void>;
}

export interface TavernServerOptions {
  /** The opened, migrated database (see persistence/database.ts). */
  database: Database;
  /** Extra room types (tests register probe rooms here), defined with this server's services. */
  extraRooms?: (define: DefineLifecycleRoom) => Record<string, RegisteredHandler>;
  presence?: Presence;
  /** A transport on an HTTP server main.ts has already bound; by default one that binds on listen(). */
  transport?: Transport;
  /** Required when config.redisUrl is set: loadRedisStack(config.redisUrl). */
  redis?: RedisStack;
}

const defaultClientDir = fileURLToPath(new URL("../../client/dist", import.meta.url));

// The full state of a room of a few hundred players outgrows the encoder's default buffer; a larger
// one avoids the grow-and-retry (and its warnings) on every join into a big room.
Encoder.BUFFER_SIZE = 256 * 1024;

/** Registers a lifecycle room type under `roomType`, bound to this server's services, filtered by code. */
export type DefineLifecycleRoom = (
  roomType: string,
  Klass: ServedRoomClass<LifecycleRoom>,
  reopen?: ReopenByCode,
) => RegisteredHandler<LifecycleRoom>;

export function createTavernServer(config: TavernConfig, logger: Logger, options: TavernServerOptions): TavernServer {
  if (config.redisUrl && !options.redis) throw new Error("REDIS_URL is set: pass loadRedisStack(config.redisUrl) as options.redis");
  const scaleOut = config.redisUrl ? options.redis : undefined;
  const presence = options.presence ?? scaleOut?.presence ?? new LocalPresence();
  const secret = config.authSecret ?? loadOrCreateAuthSecret(config.dataDir);
  const metrics = new Metrics();
  const accounts = new AccountStore(options.database.db, {
    publish: (playerId) => void presence.publish(ACCOUNT_CHANGES, playerId),
    subscribe: (onChange) => void presence.subscribe(ACCOUNT_CHANGES, (playerId: string) => onChange(playerId)),
  });
  const sessions = new SessionStore(options.database.db, metrics);
  const webhookEndpoints = new WebhookEndpointStore(options.database.db, undefined, {
    publish: () => void presence.publish(WEBHOOK_ENDPOINT_CHANGES, ""),
    subscribe: (onChange) => void presence.subscribe(WEBHOOK_ENDPOINT_CHANGES, () => onChange()),
  });
  webhookEndpoints.mayListen(); // the first read starts now, not with the first room's first event
  const services: RoomServices = {
    config,
    logger,
    tokens: new GuestTokens(
      secret,
      config.guestTokenTtlHours,
      (playerId) => accounts.versionOf(playerId),
      (playerId) => accounts.knownNewGuest(playerId),
    ),
    accounts,
    codes: new CodeRegistry(presence, async (code) => (await sessions.idForCode(code)) !== undefined),
    creationLimit: new RoomCreationLimit(
      config.roomCreatesPerMinutePerPlayer,
      config.roomCreatesPerMinutePerIp,
      scaleOut?.minuteCount("tavern:create-rl:"),
    ),
    metrics,
    sessions,
    audit: new AuditLog(options.database.db, logger, metrics, realRetryTools(config.backgroundWriteRetry)),
    apiKeys: new ApiKeyStore(options.database.db, undefined, {
      publish: (keyId) => void presence.publish(API_KEY_CHANGES, keyId),
      subscribe: (onChange) => void presence.subscribe(API_KEY_CHANGES, (keyId: string) => onChange(keyId)),
    }),
    idempotency: new IdempotencyStore(options.database.db),
    webhookEndpoints,
    webhookOutbox: new WebhookOutbox(options.database.db, logger, metrics, () => webhookEndpoints.mayListen()),
  };
  // Every process sends deliveries, whichever process stored them (platform/webhookDispatcher.ts).
  const webhooks = new WebhookDispatcher({ db: options.database.db, config: config.webhooks, metrics, logger });
  services.webhookOutbox.onStored = () => webhooks.wake();
  webhooks.start();
  const defineLifecycleRoom: DefineLifecycleRoom = (roomType, Klass, reopen) =>
    defineRoom(bindRoom(Klass, services, joinGate(services, roomType, reopen))).filterBy(["code"]);
  installCloseReasonGuard();

  const platform = platformLimiters(config.platformLimits, scaleOut?.limitStore);
  // Stored idempotent replies live 24 hours; a repeat after that is a new write.
  const pruneReplies = setInterval(() => {
    services.idempotency.prune().catch((err: unknown) => logger.warn({ err }, "could not prune stored idempotent replies"));
  }, 600_000).unref();
  const retention = startRetentionJob({
    db: options.database.db,
    policy: config.retention,
    intervalMs: config.retentionIntervalMinutes * 60_000,
    metrics,
    logger,
  });
  const adminPasswordGenerated = config.adminPassword === undefined;
  const adminPassword = config.adminPassword ?? generatePassword();

  const server = defineServer({
    presence,
    ...(scaleOut
      ? {
          driver: scaleOut.driver,
          // A room is created on the process that took the request. Colyseus's default asks every
          // process's room count and picks the lowest, but the counts lag: a burst of creates all
          // lands on one process. Spreading requests is the load balancer's job; creating locally
          // also spares the creator's join a hop to another process.
          selectProcessIdToCreateRoom: async () => matchMaker.processId,
        }
      : {}),
    ...(config.publicAddress ? { publicAddress: config.publicAddress } : {}),
    transport: options.transport ?? new WebSocketTransport({ maxPayload: config.maxPayloadBytes }),
    // Signals and uncaught errors are the process guard's (main.ts): Colyseus's own handler shuts
    // the server down on the first uncaught exception.
    gracefullyShutdown: false,
    greet: false,
    // Colyseus's own messages join the JSON log stream instead of printing plain text to the console.
    logger: logger.child({ component: "colyseus" }),
    rooms: {
      lobby: defineRoom(bindRoom(TavernLobbyRoom, services, lobbyGate(services.tokens))),
      space: defineLifecycleRoom("space", SpaceRoom).enableRealtimeListing(),
      table: defineLifecycleRoom("table", TableRoom, reopenStoredSession(services)).enableRealtimeListing(),
      cabo: defineLifecycleRoom("cabo", CaboRoom).enableRealtimeListing(),
      ...options.extraRooms?.(defineLifecycleRoom),
    },
    express: (app) => {
      app.disable("x-powered-by");
      installCors(app, config.corsOrigins);
      // Every express answer (the client, the API, /metrics) is compressed when the request accepts
      // it. Colyseus's matchmaking routes are answered before express and WebSocket upgrades never
      // reach it, so neither is touched. Files precompressed at build time are sent as they are
      // (their Content-Encoding makes this middleware step aside).
      app.use(compression());
      const admin = adminAuth(config.adminUser, adminPassword);
      // Admin JSON bodies (key creation) are parsed here; /api parses its own.
      app.use("/admin", express.json({ limit: "16kb" }));
      mountApi(app, services, platform);
      mountAdminKeys(app, services, admin);
      mountAdminSessions(app, services, admin);
      mountAdminWebhooks(app, services, admin);
      app.use("/colyseus", admin, monitor());
      mountAdmin(app, services, admin);
      app.get("/metrics", admin, async (_req, res) => {
        res.set("Content-Type", services.metrics.registry.contentType);
        res.send(await services.metrics.registry.metrics());
      });
      const clientDir = resolve(config.clientDir ?? defaultClientDir);
      if (config.serveClient && existsSync(clientDir)) {
        app.use(clientFiles(clientDir));
      } else if (config.serveClient) {
        logger.warn({ clientDir }, "no built client to serve at / (run npm run build:client)");
      }
      app.use(errorHandler(logger));
    },
  });

  return {
    server,
    services,
    adminPassword,
    adminPasswordGenerated,
    retention,
    close: async () => {
      clearInterval(pruneReplies);
      // Events the rooms emitted while closing are stored; the next process to run sends them.
      await services.webhookOutbox.flush();
      await webhooks.stop();
      // A run in progress ends before the database may close.
      await retention.stop();
      await scaleOut?.close();
    },
  };
}
