/**
 * With ADMIN_PASSWORD unset, the password printed at the first start is kept in DATA_DIR and still
 * opens the monitor and /metrics after a restart (it used to be a new one on every start).
 */
import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServerProcess, type ServerProcess } from "../support/serverProcess";

async function metricsStatus(url: string, password: string): Promise<number> {
  const auth = Buffer.from(`admin:${password}`).toString("base64");
  return (await fetch(`${url}/metrics`, { headers: { authorization: `Basic ${auth}` } })).status;
}

describe("a generated admin password", function () {
  this.timeout(90_000);
  let dataDir: string;
  let server: ServerProcess | undefined;
  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), "tavern-admin-"));
  });
  after(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("is printed once, kept in DATA_DIR/admin-password, and survives a restart", async () => {
    // An empty value counts as unset, over the fixed password the test servers get by default.
    server = await startServerProcess({ dataDir, env: { ADMIN_PASSWORD: "" } });
    const password = readFileSync(join(dataDir, "admin-password"), "utf8").trim();
    assert.ok(password.length >= 16, "a generated password is long");
    assert.match(server.tail(), new RegExp(`\\[1\\] out .*password \\\\"${password}\\\\"`), "the first start prints it");
    assert.equal(await metricsStatus(server.url, password), 200);

    await server.restart();
    assert.equal(readFileSync(join(dataDir, "admin-password"), "utf8").trim(), password);
    assert.equal(await metricsStatus(server.url, password), 200, "the kept password opens /metrics after the restart");
    assert.equal(await metricsStatus(server.url, "not-the-password"), 401);
    const second = server
      .tail(400)
      .split("\n")
      .filter((l) => l.startsWith("[2]"))
      .join("\n");
    assert.doesNotMatch(second, new RegExp(password), "a restart does not print it again");
    assert.match(second, /password in .*admin-password/);
  });
});
