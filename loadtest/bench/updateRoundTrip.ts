/**
 * Benchmark (not a test): a GM's update round trip — request sent to acknowledgement received —
 * with the durable write included, on PGlite and on PostgreSQL, beside the same server with the
 * write skipped, in one run. Each mode runs in its own child process (one server per process), one
 * after the other, so the numbers are comparable.
 *
 *   npm run bench:roundtrip -- [--updates 500] [--database-url postgres://...]
 */
import { signInGuest } from "@tavern/shared/guestSignIn";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Client, type Room } from "@colyseus/sdk";
import type { UpdateReply } from "@tavern/shared/table/operations";
import { loadConfig } from "../../server/src/config";
import { createLogger } from "../../server/src/logger";
import { openDatabase } from "../../server/src/persistence/database";
import { createTavernServer } from "../../server/src/server";
import { summarize } from "../stats";

type Mode = "memory" | "pglite" | "postgres";
const MODES: Record<Mode, string> = {
  memory: "no durable write (append skipped)",
  pglite: "PGlite (embedded, DATA_DIR)",
  postgres: "PostgreSQL (DATABASE_URL)",
};

const { values } = parseArgs({
  options: {
    updates: { type: "string", default: "500" },
    "database-url": { type: "string", default: process.env["DATABASE_URL"] ?? "postgres://postgres@127.0.0.1:5432/test" },
    child: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});

if (values.help) {
  console.log("npm run bench:roundtrip -- [--updates N] [--database-url URL]   GM update round trip with and without the durable write");
  process.exit(0);
}
const updates = Number(values.updates);
if (!Number.isInteger(updates) || updates < 10) {
  console.error(`--updates must be a whole number of at least 10 (got "${values.updates}")`);
  process.exit(2);
}

if (values.child) await runChild(values.child as Mode);
else await runAll();

async function runAll(): Promise<void> {
  const rows: string[] = [];
  for (const mode of Object.keys(MODES) as Mode[]) {
    process.stderr.write(`  ${mode}: ${updates} updates...\n`);
    const result = await child(mode);
    if (!result) {
      rows.push(`| ${MODES[mode]} | - | - | - | - | (failed or unavailable, see above) |`);
      continue;
    }
    const f = (v: number | null) => (v === null ? "-" : v.toFixed(2));
    rows.push(`| ${MODES[mode]} | ${result.count} | ${f(result.p50)} | ${f(result.p95)} | ${f(result.p99)} | ${f(result.max)} |`);
  }
  console.log("\nGM update round trip, request to acknowledgement, in ms (one client, one update in flight, loopback):");
  console.log("| mode | updates | p50 | p95 | p99 | max |");
  console.log("|---|---:|---:|---:|---:|---:|");
  for (const row of rows) console.log(row);
}

function child(mode: Mode): Promise<ReturnType<typeof summarize> | undefined> {
  return new Promise((resolve) => {
    const self = fileURLToPath(import.meta.url);
    const args = ["--import", "tsx", self, "--child", mode, "--updates", String(updates), "--database-url", values["database-url"]!];
    const proc = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    proc.stdout.on("data", (d: Buffer) => (out += d.toString()));
    proc.on("exit", (code) => {
      const line = out.trim().split("\n").at(-1) ?? "";
      resolve(code === 0 && line.startsWith("{") ? (JSON.parse(line) as ReturnType<typeof summarize>) : undefined);
    });
  });
}

async function runChild(mode: Mode): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), "tavern-bench-"));
  const config = loadConfig({
    NODE_ENV: "test",
    LOG_LEVEL: "silent",
    PORT: "0",
    DATA_DIR: dataDir,
    SERVE_CLIENT: "false",
    AUTH_SECRET: "bench-secret-bench-secret-bench-secret-00",
    ADMIN_PASSWORD: "bench-admin",
    REQUEST_RATE_PER_SECOND: "1000",
  });
  const logger = createLogger("silent");
  const database = await openDatabase(
    mode === "postgres" ? { databaseUrl: values["database-url"], pgliteDir: "unused" } : { pgliteDir: join(dataDir, "pglite") },
    logger,
  );
  const tavern = createTavernServer(config, logger, { database });
  // The same server and path, minus the write: what durability costs.
  if (mode === "memory") tavern.services.sessions.append = async () => {};
  const port = 20000 + Math.floor(Math.random() * 20000);
  await tavern.server.listen(port, "127.0.0.1");
  const url = `http://127.0.0.1:${port}`;
  const session = await signInGuest(url, "bench-gm");
  const client = new Client(url);
  client.auth.token = session.token;
  const room: Room = await client.create("table", { title: "Bench" });
  const hero = (await room.request("create", { collection: "characters", fields: { name: "Aria" } })) as UpdateReply & { id: string };
  let version = hero.version;
  const times: number[] = [];
  for (let i = 0; i < updates; i++) {
    const t0 = performance.now();
    const reply = (await room.request("update", {
      baseVersion: version,
      ops: [{ op: "set", path: `characters.${hero.id}.hp`, value: i % 50 }],
    })) as UpdateReply;
    times.push(performance.now() - t0);
    version = reply.version;
  }
  await room.leave(true);
  await database.close().catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
  console.log(JSON.stringify(summarize(times)));
  process.exit(0);
}
