/**
 * Opens the database and brings it to the latest migration. With DATABASE_URL it is a PostgreSQL
 * server reached through `pg`; without it, PGlite (PostgreSQL compiled to WASM) keeps its files in
 * DATA_DIR/pglite, so `npm start` needs no database server. Both run the same Drizzle schema.
 */
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import pg from "pg";
import type { Logger } from "../logger";
import { lockDir } from "./dirLock";

export type Db = PgDatabase<PgQueryResultHKT>;

export interface Database {
  db: Db;
  kind: "pglite" | "postgres";
  /** Where the data lives, for logs and the README's "where is my data" question. */
  location: string;
  close(): Promise<void>;
}

export const MIGRATIONS_FOLDER = fileURLToPath(new URL("./migrations", import.meta.url));

export interface DatabaseOptions {
  databaseUrl?: string | undefined;
  /** PGlite's folder; "memory://" keeps everything in memory (tests). */
  pgliteDir: string;
  /** Apply migrations up to and including this index only (migration tests). */
  migrationsFolder?: string;
}

export async function openDatabase(options: DatabaseOptions, logger: Logger): Promise<Database> {
  const migrationsFolder = options.migrationsFolder ?? MIGRATIONS_FOLDER;
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10 });
    // A dropped idle connection must not crash the process; pg reports it here.
    pool.on("error", (err) => logger.warn({ err }, "PostgreSQL connection error"));
    const db = drizzlePg(pool);
    await migratePg(db, { migrationsFolder });
    const url = new URL(options.databaseUrl);
    return { db, kind: "postgres", location: `postgres://${url.host}${url.pathname}`, close: once(() => pool.end()) };
  }
  const dir = options.pgliteDir;
  if (dir === "memory://") return openPglite(undefined, migrationsFolder, () => {});
  mkdirSync(dir, { recursive: true });
  // Before PGlite touches the folder: another process may be running on it (see dirLock.ts).
  const release = lockDir(pgliteLockFor(dir));
  try {
    return await openPglite(dir, migrationsFolder, release);
  } catch (err) {
    release();
    throw err;
  }
}

async function openPglite(dir: string | undefined, migrationsFolder: string, release: () => void): Promise<Database> {
  const client = await PGlite.create(dir);
  const db = drizzlePglite(client);
  await migratePglite(db, { migrationsFolder });
  const location = dir === undefined ? "memory://" : resolve(dir);
  return { db, kind: "pglite", location, close: once(() => client.close().finally(release)) };
}

/** Closing twice (shutdown racing a test's cleanup) is harmless. */
function once(close: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => (closing ??= close());
}

export function pgliteDirFor(dataDir: string): string {
  return join(dataDir, "pglite");
}

/** The lock file of a PGlite folder: beside it, not in it, so PostgreSQL never sees a stranger's file. */
export function pgliteLockFor(pgliteDir: string): string {
  return `${pgliteDir.replace(/[/\\]+$/, "")}.lock`;
}
