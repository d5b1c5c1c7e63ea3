/**
 * A start that cannot succeed ends quickly, with exit code 1 and one line a person can act on: no
 * stack trace, no screen of retries, no password from a URL. Each case runs the real server
 * (`server/src/main.ts`) as a child process, as `npm start` does.
 */
import { strict as assert } from "node:assert";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runServerUntilExit, startServerProcess, type FailedStart, type ServerProcess } from "../support/serverProcess";

/** Generous for a slow machine; a start that hangs is killed after KILL_AFTER_MS and fails the bound. */
const EXIT_WITHIN_MS = 15_000;
const KILL_AFTER_MS = 20_000;

/** Asserts a failed start: exit code 1 in time, `line` as the only line on stderr, no stack anywhere. */
function assertOneLineFailure(result: FailedStart, line: RegExp): void {
  const output = `stdout:\n${result.stdout}\nstderr:\n${result.stderr}`;
  assert.equal(result.signal, null, `the server did not exit on its own within ${KILL_AFTER_MS} ms:\n${output}`);
  assert.equal(result.code, 1, output);
  assert.ok(result.ms < EXIT_WITHIN_MS, `exited after ${result.ms} ms:\n${output}`);
  const lines = result.stderr.split("\n").filter((l) => l.trim() !== "");
  assert.equal(lines.length, 1, `expected one line on stderr:\n${output}`);
  assert.match(lines[0]!, /^Tavern cannot start: /);
  assert.match(lines[0]!, line);
  assert.doesNotMatch(output, /\n\s+at .+:\d+/, "a stack trace was printed");
}

describe("start-up failures", function () {
  this.timeout(60_000);
  const dirs: string[] = [];
  const scratch = (): string => {
    const dir = mkdtempSync(join(tmpdir(), "tavern-start-"));
    dirs.push(dir);
    return dir;
  };
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  describe("while another server runs", () => {
    let running: ServerProcess;
    before(async () => {
      running = await startServerProcess({ dataDir: scratch() });
    });
    after(async () => {
      await running?.stop();
    });

    it("a second start on its port says the port is in use, before it opens any database", async () => {
      const dataDir = scratch();
      const result = await runServerUntilExit({ dataDir, port: running.port, timeoutMs: KILL_AFTER_MS });
      assertOneLineFailure(result, new RegExp(`port ${running.port} on 127\\.0\\.0\\.1 is already in use.*set PORT`));
      assert.equal(existsSync(join(dataDir, "pglite")), false, "the failed start opened its embedded database");
      assert.ok((await fetch(`${running.url}/healthz`)).ok, "the running server was disturbed");
    });

    it("a second start on its DATA_DIR (another port) says the embedded database is in use", async () => {
      const result = await runServerUntilExit({ dataDir: running.dataDir, timeoutMs: KILL_AFTER_MS });
      assertOneLineFailure(result, new RegExp(`embedded database .* is in use by another Tavern \\(process ${running.pid},.*DATA_DIR`));
      assert.ok((await fetch(`${running.url}/healthz`)).ok, "the running server was disturbed");
    });
  });

  it("a HOST that is not a name of this machine is named", async () => {
    const result = await runServerUntilExit({ dataDir: scratch(), env: { HOST: "no-such-host.invalid" }, timeoutMs: KILL_AFTER_MS });
    assertOneLineFailure(result, /HOST "no-such-host\.invalid" is not a name this machine can resolve: set HOST to 0\.0\.0\.0/);
  });

  it("a HOST that is not an address of this machine is named", async () => {
    // 192.0.2.0/24 is reserved for documentation: never an address of a real machine.
    const result = await runServerUntilExit({ dataDir: scratch(), env: { HOST: "192.0.2.1" }, timeoutMs: KILL_AFTER_MS });
    assertOneLineFailure(result, /HOST "192\.0\.2\.1" is not an address of this machine/);
  });

  it("an unreachable PostgreSQL is named with the driver's reason, and its password is not printed", async () => {
    const result = await runServerUntilExit({
      dataDir: scratch(),
      databaseUrl: "postgres://tavern:do-not-print-me@127.0.0.1:1/tavern",
      timeoutMs: KILL_AFTER_MS,
    });
    assertOneLineFailure(
      result,
      /cannot reach PostgreSQL at 127\.0\.0\.1:1\/tavern \(connect ECONNREFUSED 127\.0\.0\.1:1\): .*DATABASE_URL/,
    );
    assert.doesNotMatch(result.stdout + result.stderr, /do-not-print-me/);
  });

  it("an unreachable Redis is one line, not a screen of retries, and its password is not printed", async () => {
    const result = await runServerUntilExit({
      dataDir: scratch(),
      redisUrl: "redis://:do-not-print-me@127.0.0.1:1",
      timeoutMs: KILL_AFTER_MS,
    });
    assertOneLineFailure(result, /cannot reach Redis at 127\.0\.0\.1:1 \(connect ECONNREFUSED 127\.0\.0\.1:1\): .*REDIS_URL/);
    assert.doesNotMatch(result.stdout + result.stderr, /do-not-print-me|ioredis/);
  });
});
