/**
 * `npm run start:cluster -- --processes N`: N Tavern processes on this machine sharing matchmaking
 * through Redis and sessions through PostgreSQL, for trying scale-out. Process i listens on
 * PORT+i and announces 127.0.0.1:PORT+i as its public address, so a seat reserved through any
 * process sends the client to the process that holds the room. Each process runs what `npm start`
 * runs (the server bundle, built first, with the same Node flags).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { buildServer } from "./buildServer";
import { startCommand } from "./startCommand";

const { values } = parseArgs({
  options: {
    processes: { type: "string", default: "2" },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  console.log(`npm run start:cluster -- [--processes N]

Starts N processes (1-16, default 2) of the server on PORT, PORT+1, ... (PORT default 2567).
Needs REDIS_URL (default redis://127.0.0.1:6379) and DATABASE_URL (PostgreSQL: PGlite belongs to
one process). ADMIN_PASSWORD and AUTH_SECRET are shared by all processes (generated when unset).`);
  process.exit(0);
}
const count = Number(values.processes);
if (!Number.isInteger(count) || count < 1 || count > 16) {
  console.error(`--processes must be a whole number from 1 to 16, got "${values.processes}"`);
  process.exit(2);
}
const databaseUrl = process.env["DATABASE_URL"];
if (!databaseUrl) {
  console.error("start:cluster needs DATABASE_URL=postgres://...: the embedded PGlite can be opened by one process only.");
  process.exit(2);
}
const basePort = Number(process.env["PORT"] ?? 2567);
const shared = {
  REDIS_URL: process.env["REDIS_URL"] ?? "redis://127.0.0.1:6379",
  DATABASE_URL: databaseUrl,
  ADMIN_PASSWORD: process.env["ADMIN_PASSWORD"] ?? randomBytes(12).toString("base64url"),
  AUTH_SECRET: process.env["AUTH_SECRET"] ?? randomBytes(32).toString("base64url"),
};

await buildServer();
const { nodeArgs, entry } = startCommand();
const children: ChildProcess[] = [];
let stopping = false;
const stop = (signal: NodeJS.Signals) => {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill(signal);
};
process.on("SIGINT", () => stop("SIGINT"));
process.on("SIGTERM", () => stop("SIGTERM"));

for (let i = 0; i < count; i++) {
  const port = basePort + i;
  const child = spawn(process.execPath, [...nodeArgs, entry], {
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      ...shared,
      PORT: String(port),
      PUBLIC_ADDRESS: process.env["PUBLIC_HOST"] ? `${process.env["PUBLIC_HOST"]}:${port}` : `127.0.0.1:${port}`,
    },
  });
  const prefix = `[p${i}:${port}] `;
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on("data", (d: Buffer) => process.stdout.write(d.toString().replace(/^(?=.)/gm, prefix)));
  }
  child.on("exit", (code) => {
    process.stdout.write(`${prefix}exited with ${code}\n`);
    if (!stopping) stop("SIGTERM");
    if (children.every((c) => c.exitCode !== null || c.signalCode !== null)) process.exit(code ?? 0);
  });
  children.push(child);
}
console.log(`Tavern cluster: ${count} processes on ports ${basePort}-${basePort + count - 1}, Redis ${shared.REDIS_URL}`);
console.log(`Monitor and admin endpoints on any process: user "admin" password "${shared.ADMIN_PASSWORD}"`);
