/**
 * The attacks that used to end the process, against a real `npm start` process (production mode:
 * the process guard and graceful-shutdown path of main.ts are in play, not the test harness's).
 * Its whole output is read afterwards: every line is JSON, and no token appears in any of them.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@colyseus/sdk";
import { GARBAGE, dataFrame, requestFrame, sendRaw } from "../support/rawFrames";
import { signInGuest, startServerProcess, waitUntil, type ServerProcess } from "../support/serverProcess";

describe("security: a production process survives hostile clients", function () {
  this.timeout(60_000);
  let server: ServerProcess;
  let dataDir: string;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "tavern-attack-"));
    server = await startServerProcess({ dataDir, env: { LOG_LEVEL: "debug" } });
  });

  after(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("a long message type to the lobby and to a room, and a stream of garbage frames, leave the process serving", async () => {
    const guest = await signInGuest(server.url, "attacker");
    const client = new Client(server.url);
    client.auth.token = guest.token;
    const lobby = await client.joinOrCreate("lobby");
    lobby.onMessage("*", () => undefined);
    const space = await client.create("space", {});
    space.onMessage("*", () => undefined);
    let spaceClosed: number | undefined;
    space.onLeave((code) => (spaceClosed = code));

    for (const type of ["a".repeat(87), "b".repeat(124), "c".repeat(1000)]) {
      sendRaw(lobby, dataFrame(type, { value: {} }));
      sendRaw(space, dataFrame(type, { value: {} }));
      sendRaw(space, requestFrame(60_000, type));
    }
    for (let i = 0; i < 50; i++) sendRaw(space, requestFrame(60_100 + i, "ping", GARBAGE));
    await waitUntil("the garbage sender is closed", () => spaceClosed !== undefined);
    assert.equal(spaceClosed, 4002);

    assert.equal(server.running, true, "the process lives");
    const health = await fetch(`${server.url}/healthz`);
    assert.equal(health.status, 200);
    assert.equal(lobby.connection.isOpen, true, "the lobby connection is still open");
    const again = await client.create("space", {});
    await again.request("ping");
    await again.leave(true);
    await lobby.leave(true);

    const lines = server
      .tail(400)
      .split("\n")
      .filter((l) => l.trim() !== "");
    const text = lines.map((l) => l.replace(/^\[\d+\] (out|err) /, ""));
    const notJson = text.filter((l) => {
      try {
        JSON.parse(l);
        return false;
      } catch {
        return true;
      }
    });
    assert.deepEqual(notJson, [], "every line the server wrote is JSON (no plain-text stack traces)");
    const malformedLogs = text.filter((l) => l.includes("malformed frame"));
    assert.ok(malformedLogs.length >= 1 && malformedLogs.length <= 2, `50 garbage frames logged ${malformedLogs.length} time(s)`);
    assert.equal(
      lines.some((l) => l.includes(guest.token)),
      false,
      "the guest token is in no log line",
    );
    assert.equal(
      lines.some((l) => l.includes(guest.token.split(".")[2]!)),
      false,
      "not even its signature",
    );
  });
});
