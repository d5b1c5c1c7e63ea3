/**
 * Throwaway servers for one load run, each a child process on a free port of 127.0.0.1: Tavern
 * (run as `npm start` runs it: the bundle, built first, with a fresh data directory and limits
 * raised so the load script is not the thing being rate limited), the bare Colyseus room or a
 * Socket.IO baseline. Every server gets the Node flags of `npm start` (scripts/startCommand.ts),
 * so a comparison runs them all on the same runtime settings.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildServer } from "../scripts/buildServer";
import { startCommand } from "../scripts/startCommand";

export interface LocalServer {
  endpoint: string;
  /** The server's process id (to read its memory from /proc). */
  pid: number;
  /** Tavern's DATA_DIR; empty for baselines. */
  dataDir: string;
  /** The ADMIN_PASSWORD the server was started with (user: ADMIN_USER, default admin), for /admin; empty for baselines. */
  adminPassword: string;
  /** What the server wrote (stdout and stderr): how many lines, and the last ones for the report. */
  log(): { lines: number; tail: string[] };
  stop(): Promise<void>;
}

const LOG_LINES_KEPT = 50;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export interface StartOptions {
  /** Leave DATA_DIR in place when the server stops (to start another on it); the default removes it. */
  keepDataDir?: boolean;
  /**
   * Let the server give memory back after a quiet spell, as `npm start` does (IDLE_MEMORY_RELEASE_SECONDS).
   * Off by default here: the storm and soak benchmarks run targets in turns, and Tavern's
   * collection in its quiet spell would run during another target's measurement.
   */
  idleMemoryRelease?: boolean;
}

/** One bundle per load run: the sources do not change while it runs. */
let bundled: Promise<void> | undefined;

/**
 * `extraEnv` adds to (or overrides) the environment below, e.g. raised platform API limits or the
 * DATA_DIR of an earlier server; `nodeArgs` go to the server's Node before its entry, e.g.
 * `--cpu-prof` to profile it.
 */
export async function startServer(
  deadline: number,
  extraEnv: Record<string, string> = {},
  nodeArgs: string[] = [],
  options: StartOptions = {},
): Promise<LocalServer> {
  await (bundled ??= buildServer());
  const port = await freePort();
  const dataDir = extraEnv["DATA_DIR"] ?? mkdtempSync(join(tmpdir(), "tavern-loadtest-"));
  const adminPassword = randomBytes(18).toString("base64url");
  const env = {
    PORT: String(port),
    HOST: "127.0.0.1",
    LOG_LEVEL: "warn",
    ADMIN_PASSWORD: adminPassword,
    DATA_DIR: dataDir,
    HTTP_RATE_LIMIT_PER_MINUTE: "100000",
    ROOM_CREATES_PER_MINUTE_PER_IP: "100000",
    ROOM_CREATES_PER_MINUTE_PER_PLAYER: "100000",
    REQUEST_RATE_PER_SECOND: "1000",
    SERVE_CLIENT: "false", // no page is needed, and no warning about an unbuilt one in the report
    ...(options.idleMemoryRelease ? {} : { IDLE_MEMORY_RELEASE_SECONDS: "0" }),
    ...extraEnv,
  };
  return spawnServer({
    entry: [startCommand().entry],
    nodeArgs,
    env,
    port,
    adminPassword,
    dataDir,
    deadline,
    cleanup: () => (options.keepDataDir ? undefined : rmSync(dataDir, { recursive: true, force: true })),
  });
}

/** A Socket.IO baseline server (loadtest/baseline) in a child process on a free port. */
export async function startBaselineServer(mode: "snapshot" | "events", deadline: number, nodeArgs: string[] = []): Promise<LocalServer> {
  const port = await freePort();
  return spawnServer({
    entry: ["--import", "tsx", "loadtest/baseline/server.ts", "--mode", mode, "--port", String(port)],
    nodeArgs,
    env: {},
    port,
    adminPassword: "",
    dataDir: "",
    deadline,
  });
}

/** The bare Colyseus room (loadtest/bare) in a child process on a free port. */
export async function startBareColyseusServer(deadline: number, nodeArgs: string[] = []): Promise<LocalServer> {
  const port = await freePort();
  const entry = ["--import", "tsx", "loadtest/bare/server.ts", "--port", String(port)];
  return spawnServer({ entry, nodeArgs, env: {}, port, adminPassword: "", dataDir: "", deadline });
}

interface SpawnSettings {
  /** The entry and its arguments (a TypeScript entry starts with `--import tsx`). */
  entry: string[];
  /** Options for Node itself, after npm start's and before the entry. */
  nodeArgs?: string[];
  env: Record<string, string>;
  port: number;
  adminPassword: string;
  dataDir: string;
  deadline: number;
  /** Runs after the process has exited. */
  cleanup?: () => void;
}

async function spawnServer(settings: SpawnSettings): Promise<LocalServer> {
  const endpoint = `http://127.0.0.1:${settings.port}`;
  const child = spawn("node_modules/.bin/node", [...startCommand().nodeArgs, ...(settings.nodeArgs ?? []), ...settings.entry], {
    env: { ...process.env, ...settings.env },
    stdio: ["ignore", "pipe", "pipe"],
  });

  const tail: string[] = [];
  let lines = 0;
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString("utf8").split("\n")) {
      if (line.trim() === "") continue;
      lines++;
      tail.push(line);
      if (tail.length > LOG_LINES_KEPT) tail.shift();
    }
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);

  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  // Last resort if the script dies without reaching stop(): never leave the server behind.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const forced = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(forced);
    }
    process.removeListener("exit", killOnExit);
    settings.cleanup?.();
  };

  try {
    await waitForHealth(endpoint, child, settings.deadline);
  } catch (err) {
    await stop();
    const log = tail.length ? `\nserver output:\n${tail.join("\n")}` : "";
    throw new Error(`${(err as Error).message}${log}`, { cause: err });
  }
  const { adminPassword, dataDir } = settings;
  return { endpoint, pid: child.pid ?? 0, adminPassword, dataDir, log: () => ({ lines, tail: [...tail] }), stop };
}

async function waitForHealth(endpoint: string, child: ChildProcess, deadline: number): Promise<void> {
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the server exited before it was healthy (code ${child.exitCode ?? child.signalCode})`);
    }
    try {
      const res = await fetch(`${endpoint}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
      await res.body?.cancel();
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the server was not healthy at ${endpoint}/healthz before the timeout`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
