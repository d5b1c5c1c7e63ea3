/**
 * How big the tables are: rows (an exact count) and bytes on disk with indexes and TOAST
 * (pg_total_relation_size, which PGlite has too: it is PostgreSQL). Counting reads each table
 * once, so it is done by the retention job and the CLI, never at each metrics scrape.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../database";
import { rowsOf } from "./prune";

/** Every table of the schema (persistence/schema.ts). */
export const TABLES = ["sessions", "session_updates", "session_journal", "room_events", "api_keys", "idempotency_records"] as const;
export type TableName = (typeof TABLES)[number];

export interface TableSize {
  table: TableName;
  rows: number;
  bytes: number;
}

export async function tableSizes(db: Db): Promise<TableSize[]> {
  const sizes: TableSize[] = [];
  for (const table of TABLES) {
    // The names come from the list above, never from input.
    const result = await db.execute(
      sql.raw(`SELECT count(*)::float8 AS rows, pg_total_relation_size('${table}')::float8 AS bytes FROM ${table}`),
    );
    const [row] = rowsOf(result);
    sizes.push({ table, rows: Number(row?.["rows"] ?? 0), bytes: Number(row?.["bytes"] ?? 0) });
  }
  return sizes;
}
