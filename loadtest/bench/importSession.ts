/**
 * Benchmark (not a test): `POST /api/sessions/import` of a heavy session export (about 8 MB:
 * thousands of entities with long notes, some monsters hidden) with 300 and 900 updates to replay,
 * against a Tavern server in this process. Prints how long each import took and how late a 10 ms
 * timer fired meanwhile: the worst and p99 event-loop delay, i.e. how long every other player of
 * the server waited.
 *
 *   npm run bench:import -- [--updates 300,900] [--entities 3800] [--notes 1900] [--database-url postgres://...]
 */
import { signInGuest } from "@tavern/shared/guestSignIn";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { GuestSession } from "@tavern/shared/protocol";
import { loadConfig } from "../../server/src/config";
import { createLogger } from "../../server/src/logger";
import { openDatabase } from "../../server/src/persistence/database";
import { createTavernServer } from "../../server/src/server";
import { buildExport } from "../../server/test/support/exportFile";
import { summarize } from "../stats";

const { values } = parseArgs({
  options: {
    updates: { type: "string", default: "300,900" },
    entities: { type: "string", default: "3800" },
    notes: { type: "string", default: "1900" },
    "database-url": { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  console.log(
    "npm run bench:import -- [--updates 300,900] [--entities N] [--notes LEN] [--database-url URL]   import time and event-loop delay",
  );
  process.exit(0);
}
const counts = values.updates.split(",").map(Number);
const entities = Number(values.entities);
const notes = Number(values.notes);
if (
  counts.some((n) => !Number.isInteger(n) || n < 0) ||
  !Number.isInteger(entities) ||
  entities < 10 ||
  !Number.isInteger(notes) ||
  notes < 0 ||
  notes > 2000
) {
  console.error("--updates takes whole numbers separated by commas, --entities a whole number of at least 10, --notes 0-2000");
  process.exit(2);
}

const dataDir = mkdtempSync(join(tmpdir(), "tavern-bench-import-"));
const config = loadConfig({
  NODE_ENV: "test",
  LOG_LEVEL: "silent",
  DATA_DIR: dataDir,
  SERVE_CLIENT: "false",
  AUTH_SECRET: "bench-secret-bench-secret-bench-secret-00",
  ADMIN_PASSWORD: "bench-admin",
  // Room for the heaviest file measured here, and for running it more than once.
  IMPORT_MAX_BYTES: String(64 * 1024 * 1024),
  IMPORT_MAX_UPDATES: String(Math.max(1, ...counts)),
  IMPORT_RATE_PER_PLAYER_PER_HOUR: "1000",
  IMPORT_RATE_PER_IP_PER_HOUR: "1000",
});
const logger = createLogger("silent");
const database = await openDatabase(
  values["database-url"] ? { databaseUrl: values["database-url"], pgliteDir: "unused" } : { pgliteDir: join(dataDir, "pglite") },
  logger,
);
const tavern = createTavernServer(config, logger, { database });
const port = 20000 + Math.floor(Math.random() * 20000);
await tavern.server.listen(port, "127.0.0.1");
const url = `http://127.0.0.1:${port}`;

function guest(name: string): Promise<GuestSession> {
  return signInGuest(url, name);
}

/** How late a 10 ms timer fires while `work` runs, in ms, one sample per tick. */
async function delaysDuring<T>(work: () => Promise<T>): Promise<{ result: T; delays: number[] }> {
  const delays: number[] = [];
  let due = performance.now() + 10;
  const timer = setInterval(() => {
    const now = performance.now();
    delays.push(Math.max(0, now - due));
    due = now + 10;
  }, 10);
  try {
    const result = await work();
    // The last stretch the timer could not interrupt ends when work does.
    delays.push(Math.max(0, performance.now() - due));
    return { result, delays };
  } finally {
    clearInterval(timer);
  }
}

// Every file is built before the first request: building replays its updates too, and would sit
// between requests long enough for idle keep-alive sockets to be closed under the client.
const files = counts.map((updates) => {
  process.stderr.write(`  building an export with ${updates} updates...\n`);
  return { updates, file: JSON.stringify(buildExport({ entities, updates, notesLength: notes, tag: `bench ${updates} ${Date.now()}` })) };
});

const rows: string[] = [];
for (const { updates, file } of files) {
  const gm = await guest(`bench-gm-${updates}`);
  process.stderr.write(`  importing ${(file.length / 1e6).toFixed(1)} MB...\n`);
  const started = performance.now();
  const { result, delays } = await delaysDuring(async () => {
    const res = await fetch(`${url}/api/sessions/import`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${gm.token}` },
      body: file,
    });
    return { status: res.status, body: await res.text() };
  });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 201) {
    console.error(`import of ${updates} updates failed: ${result.status} ${result.body.slice(0, 300)}`);
    process.exitCode = 1;
  }
  const d = summarize(delays);
  const f = (v: number | null) => (v === null ? "-" : v.toFixed(0));
  rows.push(
    `| ${updates} | ${entities} | ${(file.length / 1e6).toFixed(1)} | ${result.status} | ${seconds.toFixed(2)} | ${f(d.max)} | ${f(d.p99)} | ${f(d.p50)} |`,
  );
}

console.log(`\nPOST /api/sessions/import on ${database.kind}, server and client in one process:`);
console.log("| updates | entities | MB | status | import s | worst loop delay ms | p99 ms | p50 ms |");
console.log("|---:|---:|---:|---:|---:|---:|---:|---:|");
for (const row of rows) console.log(row);

await database.close().catch(() => undefined);
rmSync(dataDir, { recursive: true, force: true });
process.exit(process.exitCode ?? 0);
