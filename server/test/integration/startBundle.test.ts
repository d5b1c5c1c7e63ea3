/**
 * `npm start` runs a bundle of the server (scripts/buildServer.ts) with Node flags from
 * package.json; the other tests run the TypeScript sources. This runs what ships: the bundle starts
 * on a new data folder and again on it (its migrations found beside it), and serves a room; it
 * gives memory back once nobody is connected and no room is open (it needs npm start's --expose-gc).
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { startServer, type LocalServer } from "../../../loadtest/server";
import { createRoom } from "../../../loadtest/space/target";
import { tavernTarget } from "../../../loadtest/space/tavernTarget";
import { startCommand } from "../../../scripts/startCommand";
import { signInGuest } from "@tavern/shared/guestSignIn";

describe("the server as npm start runs it", function () {
  this.timeout(120_000);
  const servers: LocalServer[] = [];
  after(async () => {
    for (const server of servers) await server.stop();
    for (const server of servers) rmSync(server.dataDir, { recursive: true, force: true });
  });

  it("starts from the bundle on a new folder and on the same folder again, and serves a room", async () => {
    const first = await startServer(Date.now() + 60_000, { DATABASE_URL: "", REDIS_URL: "" }, [], { keepDataDir: true });
    servers.push(first);
    const cmdline = readFileSync(`/proc/${first.pid}/cmdline`, "utf8").split("\0");
    const { nodeArgs, entry } = startCommand();
    assert.ok(cmdline.includes(entry), `not the bundle: ${cmdline.join(" ")}`);
    for (const flag of nodeArgs) assert.ok(cmdline.includes(flag), `${flag} missing: ${cmdline.join(" ")}`);
    assert.ok(existsSync(join(first.dataDir, "pglite", "PG_VERSION")), "the embedded database folder was not created");
    await first.stop();

    const again = await startServer(Date.now() + 60_000, { DATABASE_URL: "", REDIS_URL: "", DATA_DIR: first.dataDir });
    servers.push(again);
    const { peer, roomKey } = await createRoom(tavernTarget(again.endpoint), "bundled", 4);
    assert.match(roomKey, /\S/);
    assert.deepEqual(
      peer.players().map((p) => p.name),
      ["bundled"],
    );
    assert.equal(await peer.close(), true);
  });

  it("gives memory back after a quiet spell, not while a client is connected or a seat is reserved", async () => {
    const server = await startServer(Date.now() + 60_000, { DATABASE_URL: "", REDIS_URL: "", IDLE_MEMORY_RELEASE_SECONDS: "1" }, [], {
      idleMemoryRelease: true,
    });
    servers.push(server);
    const releases = async () => {
      const res = await fetch(`${server.endpoint}/metrics`, {
        headers: { authorization: `Basic ${Buffer.from(`admin:${server.adminPassword}`).toString("base64")}` },
      });
      return Number(/^tavern_idle_memory_releases_total (\d+)/m.exec(await res.text())?.[1]);
    };
    const until = async (what: string, check: () => Promise<boolean>, tries = 100) => {
      for (let i = 0; i < tries; i++) {
        if (await check()) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.fail(`timed out waiting: ${what}`);
    };
    await until("the quiet spell after start", async () => (await releases()) === 1);
    const { peer } = await createRoom(tavernTarget(server.endpoint), "stays", 4);
    await new Promise((r) => setTimeout(r, 2500));
    assert.equal(await releases(), 1, "nothing runs while a client is connected");
    // A join in flight: its seat is reserved in a new room, and Colyseus counts no client yet.
    const guest = await signInGuest(server.endpoint, "in-flight");
    const reserved = await fetch(`${server.endpoint}/matchmake/create/space`, {
      method: "POST",
      headers: { authorization: `Bearer ${guest.token}`, "content-type": "application/json" },
      body: "{}",
    });
    assert.equal(reserved.status, 200, await reserved.text());
    assert.equal(await peer.close(), true);
    await new Promise((r) => setTimeout(r, 2500));
    assert.equal(await releases(), 1, "nothing runs while a room is open, though no client is connected");
    // The reserved seat runs out 15 s after it was made; then its room closes too.
    await until("the quiet spell once the unused room closed", async () => (await releases()) === 2, 250);
  });
});
