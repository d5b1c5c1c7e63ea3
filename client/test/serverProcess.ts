/** Starts the real server (`server/src/main.ts`) as a child process on a free local port. */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";

export interface ServerProcess {
  url: string;
  kill(): Promise<void>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function waitHealthy(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server at ${url} did not become healthy in ${timeoutMs} ms`);
}

export async function startServerProcess(opts: { dataDir: string; env?: Record<string, string> }): Promise<ServerProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    PORT: String(port),
    HOST: "127.0.0.1",
    LOG_LEVEL: process.env["LOG_LEVEL"] ?? "warn",
    ADMIN_PASSWORD: "browser-test-admin",
    AUTH_SECRET: "browser-test-secret-browser-test-secret-01",
    DATA_DIR: opts.dataDir,
    CLIENT_DIR: "client/dist-test",
    NODE_ENV: "production",
    ...opts.env,
  };
  let child: ChildProcess | undefined;
  const launch = async () => {
    child = spawn(process.execPath, ["--import", "tsx", "server/src/main.ts"], { env, stdio: ["ignore", "inherit", "inherit"] });
    await waitHealthy(url, 20_000);
  };
  const kill = async () => {
    const c = child;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once("exit", r));
    c.kill("SIGKILL");
    await exited;
  };
  await launch();
  return { url, kill, restart: launch, stop: kill };
}
