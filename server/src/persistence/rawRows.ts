/** The rows of a raw `db.execute(sql...)`: PGlite and pg both answer `{ rows }`, which the shared PgDatabase type does not say. */
export function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}
