/**
 * A throwaway Tavern server for one load run: `server/src/main.ts` in a child process on a free
 * port of 127.0.0.1, with a fresh data directory and limits raised so the load script is not the
 * thing being rate limited.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface LocalServer {
  endpoint: string;
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

export async function startServer(deadline: number): Promise<LocalServer> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "tavern-loadtest-"));
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn("node_modules/.bin/node", ["--import", "tsx", "server/src/main.ts"], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      ADMIN_PASSWORD: randomBytes(18).toString("base64url"),
      DATA_DIR: dataDir,
      HTTP_RATE_LIMIT_PER_MINUTE: "100000",
      REQUEST_RATE_PER_SECOND: "1000",
    },
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
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    await waitForHealth(endpoint, child, deadline);
  } catch (err) {
    await stop();
    const log = tail.length ? `\nserver output:\n${tail.join("\n")}` : "";
    throw new Error(`${(err as Error).message}${log}`);
  }
  return { endpoint, log: () => ({ lines, tail: [...tail] }), stop };
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
