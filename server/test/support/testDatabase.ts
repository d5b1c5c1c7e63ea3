/**
 * Databases for persistence tests: always a fresh in-memory PGlite, and, when DATABASE_URL is set,
 * a fresh PostgreSQL database created for the test and dropped after it.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { createLogger } from "../../src/logger";
import { openDatabase, type Database } from "../../src/persistence/database";

export interface TestDatabase {
  name: string;
  open(migrationsFolder?: string): Promise<Database>;
  /** Closes what was opened and drops the PostgreSQL database, if one was made. */
  dispose(): Promise<void>;
}

const logger = createLogger("silent");

function pglite(): TestDatabase {
  // One in-memory PGlite per open(): each call is a new, empty database.
  let opened: Database[] = [];
  return {
    name: "PGlite",
    async open(migrationsFolder) {
      const db = await openDatabase({ pgliteDir: "memory://", ...(migrationsFolder ? { migrationsFolder } : {}) }, logger);
      opened.push(db);
      return db;
    },
    async dispose() {
      await Promise.all(opened.map((d) => d.close()));
      opened = [];
    },
  };
}

function postgres(baseUrl: string): TestDatabase {
  const dbName = `tavern_test_${randomBytes(6).toString("hex")}`;
  const url = new URL(baseUrl);
  const adminUrl = url.toString();
  url.pathname = `/${dbName}`;
  let created = false;
  let opened: Database | undefined;
  return {
    name: "PostgreSQL",
    async open(migrationsFolder) {
      if (!created) {
        const admin = new pg.Client({ connectionString: adminUrl });
        await admin.connect();
        await admin.query(`CREATE DATABASE ${dbName}`);
        await admin.end();
        created = true;
      }
      opened = await openDatabase(
        { databaseUrl: url.toString(), pgliteDir: "unused", ...(migrationsFolder ? { migrationsFolder } : {}) },
        logger,
      );
      return opened;
    },
    async dispose() {
      await opened?.close();
      if (!created) return;
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** The databases every persistence test runs against. */
export function testDatabases(): (() => TestDatabase)[] {
  const url = process.env["DATABASE_URL"];
  return url ? [pglite, () => postgres(url)] : [pglite];
}
