/**
 * The real server (`server/src/main.ts`) as a child process, for durability tests that kill it
 * (SIGKILL), stop it (SIGTERM) and start it again on the same port and DATA_DIR. Its output goes
 * into a bounded buffer, so a failing test can print what the server said last.
 *
 * Also here: the databases those tests run against (PGlite in DATA_DIR/pglite; a scratch
 * PostgreSQL database when DATABASE_URL is set) and a way to open them from the test process.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { Client, type Room } from "@colyseus/sdk";
import { signInGuest as signInShared } from "@tavern/shared/guestSignIn";
import { waitFor } from "./wait";
import type { GuestSession } from "@tavern/shared/protocol";
import type { TableState } from "@tavern/shared/table/state";
import { createLogger } from "../../src/logger";
import { openDatabase, pgliteDirFor, type Database } from "../../src/persistence/database";
import { SessionStore } from "../../src/persistence/sessionStore";

const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
/** Lines of server output kept (stdout and stderr together). */
const OUTPUT_LINES = 400;

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** From the signal (or from the call that waited for the exit) to the exit. */
  ms: number;
}

export interface ServerProcess {
  /** http://127.0.0.1:PORT; the same across restarts. */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** Whether the current child is alive. */
  readonly running: boolean;
  /** Pid of the current child (undefined before the first start). */
  readonly pid: number | undefined;
  /** Starts it again on the same port, DATA_DIR and environment (stops it first if it runs). */
  restart(): Promise<void>;
  /** SIGKILL, then waits for the exit: a crash, nothing is saved. */
  kill(): Promise<ExitInfo>;
  /** SIGTERM, then waits for the exit (graceful shutdown); SIGKILL after `timeoutMs` and reports it. */
  stop(timeoutMs?: number): Promise<ExitInfo>;
  /** The last `lines` lines the server wrote, each prefixed with its launch number and stream. */
  tail(lines?: number): string;
}

export interface ServerProcessOptions {
  dataDir: string;
  /** Passed as DATABASE_URL; without it the server uses PGlite in DATA_DIR/pglite. */
  databaseUrl?: string;
  /** Passed as REDIS_URL (scale-out); without it the process runs alone. */
  redisUrl?: string;
  /** Sets PUBLIC_ADDRESS to this process's 127.0.0.1:PORT, so seat reservations route clients to it. */
  publicAddress?: boolean;
  /** Extra environment (wins over the defaults below). */
  env?: Record<string, string>;
  /** How long to wait for /healthz on each start. */
  startTimeoutMs?: number;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Keeps the last `limit` lines of a stream of chunks. */
class LineBuffer {
  private readonly lines: string[] = [];
  private partial = new Map<string, string>();

  constructor(private readonly limit: number) {}

  push(label: string, chunk: Buffer): void {
    const text = (this.partial.get(label) ?? "") + chunk.toString("utf8");
    const parts = text.split("\n");
    this.partial.set(label, parts.pop() ?? "");
    for (const line of parts) this.add(`${label} ${line}`);
  }

  flush(label: string): void {
    const rest = this.partial.get(label);
    if (rest) this.add(`${label} ${rest}`);
    this.partial.delete(label);
  }

  private add(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.limit) this.lines.splice(0, this.lines.length - this.limit);
  }

  tail(n: number): string {
    return this.lines.slice(-n).join("\n");
  }
}

/** The environment of a server process on `port`: the options, over defaults fit for a test. */
function serverEnv(port: number, opts: ServerProcessOptions): Record<string, string | undefined> {
  // The test run's own DATABASE_URL and REDIS_URL must not leak into a server: pass them only when asked.
  const { DATABASE_URL: _db, REDIS_URL: _redis, ...inherited } = process.env;
  return {
    ...inherited,
    NODE_ENV: "production", // "test" turns graceful shutdown off
    HOST: "127.0.0.1",
    PORT: String(port),
    DATA_DIR: opts.dataDir,
    LOG_LEVEL: process.env["LOG_LEVEL"] ?? "info",
    AUTH_SECRET: "durability-test-secret-durability-test-01",
    ADMIN_PASSWORD: "durability-test-admin",
    SERVE_CLIENT: "false",
    HTTP_RATE_LIMIT_PER_MINUTE: "100000",
    ROOM_CREATES_PER_MINUTE_PER_IP: "100000",
    ROOM_CREATES_PER_MINUTE_PER_PLAYER: "100000",
    REQUEST_RATE_PER_SECOND: "1000",
    FLOOD_MESSAGES_PER_SECOND: "100000",
    ...(opts.databaseUrl ? { DATABASE_URL: opts.databaseUrl } : {}),
    ...(opts.redisUrl ? { REDIS_URL: opts.redisUrl } : {}),
    ...(opts.publicAddress ? { PUBLIC_ADDRESS: `127.0.0.1:${port}` } : {}),
    ...opts.env,
  };
}

export async function startServerProcess(opts: ServerProcessOptions): Promise<ServerProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = serverEnv(port, opts);
  const output = new LineBuffer(OUTPUT_LINES);
  // A loaded machine (CI running browsers beside it) can take tens of seconds to start one.
  const startTimeoutMs = opts.startTimeoutMs ?? 90_000;
  let child: ChildProcess | undefined;
  let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> = Promise.resolve({ code: null, signal: null });
  let launches = 0;

  const alive = () => child !== undefined && child.exitCode === null && child.signalCode === null;

  const launch = async (): Promise<void> => {
    launches++;
    const label = `[${launches}]`;
    const c = spawn(process.execPath, ["--import", "tsx", "server/src/main.ts"], {
      cwd: REPO_ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    child = c;
    c.stdout?.on("data", (chunk: Buffer) => output.push(`${label} out`, chunk));
    c.stderr?.on("data", (chunk: Buffer) => output.push(`${label} err`, chunk));
    exited = new Promise((resolve) => {
      c.once("exit", (code, signal) => {
        output.flush(`${label} out`);
        output.flush(`${label} err`);
        resolve({ code, signal });
      });
    });
    const deadline = Date.now() + startTimeoutMs;
    while (Date.now() < deadline) {
      if (c.exitCode !== null || c.signalCode !== null) {
        throw new Error(`server exited during start (code ${c.exitCode}, signal ${c.signalCode}):\n${output.tail(40)}`);
      }
      try {
        if ((await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) })).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    c.kill("SIGKILL");
    throw new Error(`server at ${url} was not healthy after ${startTimeoutMs} ms:\n${output.tail(40)}`);
  };

  const kill = async (): Promise<ExitInfo> => {
    const started = performance.now();
    if (alive()) child!.kill("SIGKILL");
    const { code, signal } = await exited;
    return { code, signal, ms: Math.round(performance.now() - started) };
  };

  const stop = async (timeoutMs = 20_000): Promise<ExitInfo> => {
    const started = performance.now();
    if (!alive()) return { ...(await exited), ms: 0 };
    child!.kill("SIGTERM");
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<"timeout">((r) => (timer = setTimeout(() => r("timeout"), timeoutMs)));
    const result = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    if (result === "timeout") {
      child!.kill("SIGKILL");
      await exited;
      throw new Error(`server did not exit within ${timeoutMs} ms of SIGTERM (killed):\n${output.tail(40)}`);
    }
    return { ...result, ms: Math.round(performance.now() - started) };
  };

  const restart = async (): Promise<void> => {
    if (alive()) await stop();
    await launch();
  };

  await launch();
  return {
    url,
    port,
    dataDir: opts.dataDir,
    get running() {
      return alive();
    },
    get pid() {
      return child?.pid;
    },
    restart,
    kill,
    stop,
    tail: (lines = 60) => output.tail(lines),
  };
}

/** What a server process that was expected to fail did. */
export interface FailedStart {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** From the spawn to the exit. */
  ms: number;
  stdout: string;
  stderr: string;
}

/**
 * Starts the real server on `port` (a free one by default) and waits for it to exit on its own, as
 * a start that should fail does; after `timeoutMs` it is killed and reported with signal SIGKILL.
 */
export async function runServerUntilExit(opts: ServerProcessOptions & { port?: number; timeoutMs?: number }): Promise<FailedStart> {
  const port = opts.port ?? (await freePort());
  const started = performance.now();
  const c = spawn(process.execPath, ["--import", "tsx", "server/src/main.ts"], {
    cwd: REPO_ROOT,
    env: serverEnv(port, opts),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  c.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  c.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const timer = setTimeout(() => c.kill("SIGKILL"), opts.timeoutMs ?? 30_000);
  const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    c.once("close", (code, signal) => resolve({ code, signal })),
  );
  clearTimeout(timer);
  return { code, signal, ms: Math.round(performance.now() - started), stdout, stderr };
}

// ----- the database behind the server ----------------------------------------------------------

export interface DurabilityDatabase {
  name: "PGlite" | "PostgreSQL";
  /** DATABASE_URL for the server process; undefined means PGlite in DATA_DIR/pglite. */
  databaseUrl: string | undefined;
  /**
   * Whether the database can only be opened while the server is not running (PGlite: one process
   * owns its folder).
   */
  exclusive: boolean;
  /** Opens it from the test process; close the result before the server starts again (PGlite). */
  open(dataDir: string): Promise<InspectedDatabase>;
  /** Drops the scratch PostgreSQL database, if one was made. */
  dispose(): Promise<void>;
}

export interface InspectedDatabase {
  database: Database;
  store: SessionStore;
  close(): Promise<void>;
}

const silent = createLogger("silent");

async function inspect(databaseUrl: string | undefined, dataDir: string): Promise<InspectedDatabase> {
  const database = await openDatabase({ databaseUrl, pgliteDir: pgliteDirFor(dataDir) }, silent);
  return { database, store: new SessionStore(database.db), close: () => database.close() };
}

function pgliteDatabase(): DurabilityDatabase {
  return {
    name: "PGlite",
    databaseUrl: undefined,
    exclusive: true,
    open: (dataDir) => inspect(undefined, dataDir),
    dispose: async () => {},
  };
}

/**
 * A fresh database on the PostgreSQL server of DATABASE_URL, made for one test and dropped after it
 * (as server/test/support/testDatabase.ts does), so concurrent runs cannot meet.
 */
export async function postgresDatabase(baseUrl: string): Promise<DurabilityDatabase> {
  const name = `tavern_durability_${randomBytes(6).toString("hex")}`;
  const adminUrl = new URL(baseUrl).toString();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  return {
    name: "PostgreSQL",
    databaseUrl: url.toString(),
    exclusive: false,
    open: () => inspect(url.toString(), "unused"),
    dispose: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/** PGlite always; PostgreSQL too when DATABASE_URL is set. */
export function durabilityDatabases(): { name: string; make: () => Promise<DurabilityDatabase> }[] {
  const url = process.env["DATABASE_URL"];
  const list: { name: string; make: () => Promise<DurabilityDatabase> }[] = [{ name: "PGlite", make: async () => pgliteDatabase() }];
  if (url) list.push({ name: "PostgreSQL", make: () => postgresDatabase(url) });
  return list;
}

// ----- talking to it --------------------------------------------------------------------------

export type TableClient = Room<unknown, TableState>;

/** Rejects with `what` when `promise` takes longer than `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The harness's waitFor under the name these suites know it by. */
export const waitUntil = waitFor;

export function signInGuest(url: string, name: string): Promise<GuestSession> {
  return signInShared(url, name, { timeoutMs: 5000 });
}

export interface OpenedTable {
  room: TableClient;
  /** Close codes this client saw (onLeave), in order. */
  leaveCodes: number[];
}

/**
 * Creates a table or joins one by code through the SDK, with automatic reconnection off (a killed
 * server is not coming back under the same room id), and waits for the first full state.
 */
export async function openTable(
  url: string,
  token: string,
  how: { title: string } | { code: string },
  timeoutMs = 20_000,
): Promise<OpenedTable> {
  const client = new Client(url);
  client.auth.token = token;
  const pending = "code" in how ? client.join("table", { code: how.code }) : client.create("table", { title: how.title });
  const room = (await withTimeout(
    pending,
    timeoutMs,
    "code" in how ? `joining table ${how.code}` : "creating a table",
  )) as unknown as TableClient;
  room.reconnection.enabled = false;
  const leaveCodes: number[] = [];
  room.onLeave((code: number) => leaveCodes.push(code));
  for (const type of ["announcement", "closing", "error"]) room.onMessage(type, () => {});
  await waitUntil("the table's first state", () => Boolean(room.state?.code) && room.state.publicHash !== "", timeoutMs);
  return { room, leaveCodes };
}

/** Leaves without hanging on an already-closed connection. */
export async function leaveQuietly(room: TableClient): Promise<void> {
  if (!room.connection.isOpen) return;
  await Promise.race([room.leave(true).catch(() => undefined), new Promise((r) => setTimeout(r, 2000))]);
}
