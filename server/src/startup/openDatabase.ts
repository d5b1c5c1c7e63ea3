/** Opens the database for `npm start`, turning its failures into one line a person can act on. */
import type { TavernConfig } from "../config";
import type { Logger } from "../logger";
import { DirLockedError } from "../persistence/dirLock";
import { openDatabase, pgliteDirFor, type Database } from "../persistence/database";
import { firstLine, hostOf, redactPassword, StartupFailure } from "./failure";
import { resolve } from "node:path";

export async function openDatabaseForStart(config: TavernConfig, logger: Logger): Promise<Database> {
  const pgliteDir = pgliteDirFor(config.dataDir);
  try {
    return await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir }, logger);
  } catch (err) {
    if (err instanceof DirLockedError) {
      const { pid, since } = err.holder;
      throw new StartupFailure(
        `the embedded database in ${resolve(pgliteDir)} is in use by another Tavern (process ${pid}, since ${since}): stop that process, or set DATA_DIR to another folder (if no Tavern runs, delete ${err.lockFile})`,
        { cause: err },
      );
    }
    const what = config.databaseUrl ? `PostgreSQL at ${where(config.databaseUrl)}` : `PGlite in ${resolve(pgliteDir)}`;
    const reason = config.databaseUrl ? redactPassword(firstLine(err), new URL(config.databaseUrl)) : firstLine(err);
    throw new StartupFailure(`cannot open the database (${what}): ${reason}`, { cause: err });
  }
}

function where(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  return `${hostOf(url, 5432)}${url.pathname}`;
}
