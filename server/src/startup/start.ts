/**
 * The start of `npm start`, in the order that keeps a failed start harmless: bind the port first
 * (a second start on a busy port stops there, before it opens a database another process owns),
 * then check Redis and PostgreSQL with deadlines, then open the database, then the rooms. When a
 * step fails, what the earlier steps opened is closed and the failure is thrown for main.ts to print.
 */
import { createServer } from "node:http";
import type { TavernConfig } from "../config";
import type { Logger } from "../logger";
import { createTavernServer, type TavernServer } from "../server";
import type { Database } from "../persistence/database";
import { loadOrCreateAdminPassword, type KeptSecret } from "../auth/secrets";
import { bindPort } from "./bindPort";
import { ListeningTransport } from "./listeningTransport";
import { answerWhileStarting } from "./whileStarting";
import { probeRedis } from "./probeRedis";
import { probePostgres } from "./probePostgres";
import { openDatabaseForStart } from "./openDatabase";
import { loadRedisStack } from "../redisStack";

/** How long a failed start waits for the database to close before it exits anyway. */
const CLOSE_TIMEOUT_MS = 3000;

export interface StartedTavern {
  tavern: TavernServer;
  database: Database;
  /** The generated admin password when ADMIN_PASSWORD is unset (kept in DATA_DIR). */
  keptAdminPassword: KeptSecret | undefined;
}

export async function startTavern(config: TavernConfig, logger: Logger): Promise<StartedTavern> {
  const httpServer = createServer();
  const stopAnswering = answerWhileStarting(httpServer);
  let database: Database | undefined;
  try {
    await bindPort(httpServer, config.port, config.host);
    if (config.redisUrl) await probeRedis(config.redisUrl);
    if (config.databaseUrl) await probePostgres(config.databaseUrl);
    database = await openDatabaseForStart(config, logger);
    logger.info({ database: database.kind, location: database.location }, "database ready (migrations applied)");
    const keptAdminPassword = config.adminPassword === undefined ? loadOrCreateAdminPassword(config.dataDir) : undefined;
    const tavern = createTavernServer({ ...config, adminPassword: config.adminPassword ?? keptAdminPassword?.value }, logger, {
      database,
      transport: new ListeningTransport(httpServer, { maxPayload: config.maxPayloadBytes }),
      ...(config.redisUrl ? { redis: await loadRedisStack(config.redisUrl) } : {}),
    });
    await tavern.server.listen(config.port, config.host);
    stopAnswering();
    return { tavern, database, keptAdminPassword };
  } catch (err) {
    httpServer.close();
    if (database) await Promise.race([database.close().catch(() => {}), sleep(CLOSE_TIMEOUT_MS)]);
    throw err;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
