/**
 * `npm run db -- stats|prune`: the database's table sizes, and a retention run by hand, with the
 * server's own settings (DATABASE_URL, or DATA_DIR's embedded PGlite; AUDIT_RETENTION_DAYS and the
 * rest: docs/CONFIG.md). Against PostgreSQL it runs beside the servers (pruning is safe to run in
 * several places at once); an embedded PGlite folder serves one process, so it is refused while a
 * server runs on it. Opening the database applies its migrations, as a server start does.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { ConfigError, loadConfig, type TavernConfig } from "../server/src/config";
import { createLogger } from "../server/src/logger";
import { openDatabase, pgliteDirFor, type Database } from "../server/src/persistence/database";
import { DirLockedError } from "../server/src/persistence/dirLock";
import { prune } from "../server/src/persistence/retention/prune";
import { describePolicy, formatPruneReport, formatStats, progressLines } from "../server/src/persistence/retention/report";
import { tableSizes } from "../server/src/persistence/retention/tableSizes";

const USAGE = `npm run db -- <command> [--json]

  stats   rows and size on disk of every table
  prune   delete what the retention settings say, now (AUDIT_RETENTION_DAYS,
          JOURNAL_RETENTION_DAYS, JOURNAL_KEEP_PER_KIND, COMPACT_UPDATE_LOG), then the stats

The database: DATABASE_URL, or else the embedded one in DATA_DIR/pglite (default ./data), which
must not be in use by a running server.

Exit codes: 0 done, 1 failed, 2 wrong usage or settings, 3 the embedded database is in use.`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { json: { type: "boolean", default: false }, help: { type: "boolean", short: "h" } },
});

function fail(message: string, code = 1): never {
  console.error(message);
  process.exit(code);
}

const [command] = positionals;
if (values.help || !command) {
  console.log(USAGE);
  process.exit(command || values.help ? 0 : 2);
}
if (command !== "stats" && command !== "prune") fail(`Unknown command "${command}".\n\n${USAGE}`, 2);

let config: TavernConfig;
try {
  config = loadConfig();
} catch (err) {
  fail(err instanceof ConfigError ? err.message : String(err), 2);
}

async function open(): Promise<Database> {
  const pgliteDir = pgliteDirFor(config.dataDir);
  if (!config.databaseUrl && !existsSync(pgliteDir)) {
    fail(`There is no embedded database in ${resolve(pgliteDir)}: set DATA_DIR to the server's, or DATABASE_URL.`, 2);
  }
  try {
    return await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir }, createLogger("silent"));
  } catch (err) {
    if (err instanceof DirLockedError) {
      const { pid, since } = err.holder;
      fail(
        `The embedded database in ${resolve(pgliteDir)} is in use by a running server (process ${pid}, since ${since}). ` +
          `Stop it first: a PGlite folder serves one process at a time (the server prunes it itself every RETENTION_INTERVAL_MINUTES).`,
        3,
      );
    }
    fail(`Cannot open the database: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`);
  }
}

const database = await open();
const say = (line: string) => (values.json ? undefined : console.log(line));
try {
  say(`database: ${database.kind} ${database.location}`);
  let pruned;
  if (command === "prune") {
    say(describePolicy(config.retention));
    // Progress goes to stderr, so --json output stays one document.
    pruned = await prune(database.db, config.retention, { onBatch: progressLines((line) => console.error(line)) });
    say(formatPruneReport(pruned));
  }
  const sizes = await tableSizes(database.db);
  if (values.json)
    console.log(JSON.stringify({ database: { kind: database.kind, location: database.location }, pruned, tables: sizes }, null, 2));
  else console.log(formatStats(sizes));
} catch (err) {
  process.exitCode = 1;
  console.error(`${command} failed: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`);
} finally {
  await database.close();
}
