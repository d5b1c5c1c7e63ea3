/**
 * One connection to DATABASE_URL with a deadline, before the pool and the migrations. The pool
 * waits for a connection without a limit, so an unreachable server would hang the start; this
 * turns it into one line naming the host and the driver's reason.
 */
import pg from "pg";
import { firstLine, hostOf, redactPassword, StartupFailure } from "./failure";

export async function probePostgres(databaseUrl: string, timeoutMs = 5000): Promise<void> {
  const url = new URL(databaseUrl);
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: timeoutMs });
  // A failed connect also emits "error"; without a listener that would be an uncaught exception.
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("select 1");
  } catch (err) {
    const where = `${hostOf(url, 5432)}${url.pathname}`;
    throw new StartupFailure(
      `cannot reach PostgreSQL at ${where} (${redactPassword(firstLine(err), url)}): start PostgreSQL, or correct DATABASE_URL`,
      { cause: err },
    );
  } finally {
    await client.end().catch(() => {});
  }
}
