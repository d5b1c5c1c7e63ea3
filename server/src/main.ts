/** Entry point of `npm start`: read the environment, build the server, listen. */
import { ConfigError, loadConfig, type TavernConfig } from "./config";
import { createLogger } from "./logger";
import { matchMaker } from "@colyseus/core";
import { startIdleMemoryRelease } from "./observability/idleMemory";
import { installProcessGuard } from "./observability/processGuard";
import { startTavern, type StartedTavern } from "./startup/start";
import { failureLine } from "./startup/failure";

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

// Until the server runs, anything that escapes (a driver's late error event) ends the start with
// one line instead of a stack trace; afterwards the process guard decides.
const failStart = (err: unknown): never => {
  logger.debug({ err }, "start-up failure");
  console.error(failureLine(err));
  process.exit(1);
};
process.on("uncaughtException", failStart);
process.on("unhandledRejection", failStart);
const started: StartedTavern = await startTavern(config, logger).catch(failStart);
process.off("uncaughtException", failStart);
process.off("unhandledRejection", failStart);

const { tavern, database, keptAdminPassword } = started;
// Rooms save their sessions in onBeforeShutdown/onDispose; only then may the database close.
tavern.server.onShutdown(async () => {
  await tavern.services.audit.flush();
  await tavern.close();
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

startIdleMemoryRelease({
  quietSeconds: config.idleMemoryReleaseSeconds,
  busy: () => matchMaker.stats.local.ccu + matchMaker.stats.local.roomCount,
  collect: globalThis.gc,
  onRelease: ({ ms, rssBeforeBytes, rssAfterBytes }) => {
    tavern.services.metrics.idleMemoryReleases.inc();
    const mb = (bytes: number) => Math.round(bytes / 1_048_576);
    logger.debug(
      { ms: Math.round(ms), rssBeforeMb: mb(rssBeforeBytes), rssAfterMb: mb(rssAfterBytes) },
      "gave memory back after a quiet spell",
    );
  },
});
if (config.idleMemoryReleaseSeconds > 0 && !globalThis.gc) {
  logger.info("idle memory release is off: Node was started without --expose-gc (npm start passes it)");
}

const base = `http://${config.host === "0.0.0.0" ? "localhost" : config.host}:${config.port}`;
logger.info({ port: config.port, host: config.host }, `Tavern listening on ${base}`);
if (keptAdminPassword?.created) {
  logger.warn(
    `Monitor: ${base}/colyseus user "${config.adminUser}" password "${keptAdminPassword.value}" (generated once and kept in ${keptAdminPassword.file}; set ADMIN_PASSWORD to choose one)`,
  );
} else if (keptAdminPassword) {
  logger.info(`Monitor: ${base}/colyseus user "${config.adminUser}", password in ${keptAdminPassword.file}`);
}
