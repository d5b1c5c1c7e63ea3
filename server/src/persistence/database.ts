/**
 * Opens the database and brings it to the latest migration. With DATABASE_URL it is a PostgreSQL
 * server reached through `pg`; without it, PGlite (PostgreSQL compiled to WASM) keeps its files in
 * DATA_DIR/pglite, so `npm start` needs no database server. Both run the same Drizzle schema.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { setFlagsFromString } from "node:v8";
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

/**
 * PostgreSQL's defaults are sized for a database server (128 MB of shared buffers, 100
 * connections' worth of shared state); PGlite is one connection in this process, and its data
 * files stay in the operating system's page cache either way. These keep its WebAssembly memory
 * to what a game server's database needs.
 */
export const PGLITE_START_PARAMS = [
  ...PGlite.defaultStartParams,
  ...["-c", "shared_buffers=4MB", "-c", "temp_buffers=1MB", "-c", "max_connections=5"],
];

/**
 * V8 compiles PGlite's WebAssembly with its baseline compiler, then recompiles the hot functions
 * with its optimising one in background threads: for PostgreSQL's module that took 560 MB for
 * seconds at start and kept about 60 MB of optimised code. On the baseline code alone inserts take
 * about 5 % longer and indexed reads about 1.8x (`npm run bench:pglite`); Tavern's hot paths write
 * (audit rows, outbox batches) far more than they read, and a server that needs the speed runs on
 * PostgreSQL (DATABASE_URL). Set before PGlite compiles
 * its module: the flags only affect modules compiled afterwards, and nothing else here is
 * WebAssembly.
 */
const WASM_BASELINE_ONLY = ["--no-wasm-tier-up", "--no-wasm-dynamic-tiering"];

async function openPglite(dir: string | undefined, migrationsFolder: string, release: () => void): Promise<Database> {
  for (const flag of WASM_BASELINE_ONLY) setFlagsFromString(flag);
  if (dir !== undefined && !existsSync(join(dir, "PG_VERSION"))) await initdbInChild(dir);
  const client = await PGlite.create(dir, { startParams: PGLITE_START_PARAMS });
  const db = drizzlePglite(client);
  await migratePglite(db, { migrationsFolder });
  const location = dir === undefined ? "memory://" : resolve(dir);
  return { db, kind: "pglite", location, close: once(() => client.close().finally(release)) };
}

const execFileAsync = promisify(execFile);

/**
 * Creating a data folder (PostgreSQL's initdb) touches far more WebAssembly memory than running
 * on one, and a WebAssembly memory never shrinks: done in this process, the server would keep
 * about 150 MB it used once. A short-lived child process creates the folder instead; this process
 * then opens it like any other.
 */
async function initdbInChild(dir: string): Promise<void> {
  const pglite = pathToFileURL(createRequire(import.meta.url).resolve("@electric-sql/pglite")).href;
  const script = [
    `const { PGlite } = await import(${JSON.stringify(pglite)});`,
    "const [dir, params] = process.argv.slice(1);",
    "const db = await PGlite.create(dir, { startParams: JSON.parse(params) });",
    "await db.close();",
  ].join("\n");
  const args = [...WASM_BASELINE_ONLY, "--input-type=module", "-e", script, dir, JSON.stringify(PGLITE_START_PARAMS)];
  await execFileAsync(process.execPath, args).catch((err: Error & { stderr?: string }) => {
    const reason = (err.stderr ?? "").trim().split("\n").at(-1) || err.message;
    throw new Error(`could not create the PGlite data folder ${dir}: ${reason}`, { cause: err });
  });
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
