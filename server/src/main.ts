/** Entry point of `npm start`: read the environment, build the server, listen. */
import { ConfigError, loadConfig, type TavernConfig } from "./config";
import { createLogger } from "./logger";
import { createTavernServer } from "./server";
import { openDatabase, pgliteDirFor } from "./persistence/database";
import { installProcessGuard } from "./observability/processGuard";

const major = Number(process.versions.node.split(".")[0]);
if (major < 22) {
  console.error(
    `Tavern needs Node.js 22 or newer (this is ${process.version}). Run it through npm (npm start), which uses the Node.js the project installs.`,
  );
  process.exit(1);
}

let config: TavernConfig;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    console.error("See docs/CONFIG.md for every variable and its allowed values.");
    process.exit(1);
  }
  throw err;
}

const logger = createLogger(config.logLevel);
let database;
try {
  database = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: pgliteDirFor(config.dataDir) }, logger);
} catch (err) {
  logger.fatal({ err }, "cannot open the database");
  console.error(
    `Tavern cannot open its database (${config.databaseUrl ? "DATABASE_URL" : `PGlite in ${pgliteDirFor(config.dataDir)}`}): ${String(err)}`,
  );
  process.exit(1);
}
logger.info({ database: database.kind, location: database.location }, "database ready (migrations applied)");
const tavern = createTavernServer(config, logger, { database });
// Rooms save their sessions in onBeforeShutdown/onDispose; only then may the database close.
tavern.server.onShutdown(async () => {
  await tavern.services.audit.flush();
  tavern.services.metrics.close();
  await database.close();
  logger.info("database closed; bye");
});

installProcessGuard({
  logger,
  metrics: tavern.services.metrics,
  shutdown: (exitCode) => {
    tavern.server.gracefullyShutdown(false).finally(() => process.exit(exitCode));
  },
});

await tavern.server.listen(config.port, config.host);
const base = `http://${config.host === "0.0.0.0" ? "localhost" : config.host}:${config.port}`;
logger.info({ port: config.port, host: config.host }, `Tavern listening on ${base}`);
if (tavern.adminPasswordGenerated) {
  logger.warn(
    `Monitor: ${base}/colyseus user "${config.adminUser}" password "${tavern.adminPassword}" (generated for this run; set ADMIN_PASSWORD to choose one)`,
  );
}
