/**
 * The GM update queue (through TableApi) against a real server process and the real SDK: a
 * player's token move is forced in between the GM building an update and sending it, so the
 * server answers VERSION_CONFLICT every time, and the queue must wait, rebuild and retry, or drop
 * the intent when the move made it moot.
 */
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client, type Room } from "@colyseus/sdk";
import type { GuestSession } from "@tavern/shared/protocol";
import { TableState } from "@tavern/shared/table/state";
import { TableApi } from "../src/net/tableApi";
import { signInGuest } from "@tavern/shared/guestSignIn";
import { startServerProcess, type ServerProcess } from "../../server/test/support/serverProcess";

async function guest(url: string, name: string): Promise<{ client: Client; session: GuestSession }> {
  const session = await signInGuest(url, name);
  const client = new Client(url);
  client.auth.token = session.token;
  return { client, session };
}

async function until(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("GM update queue against a real table room", function () {
  this.timeout(30_000);
  let server: ServerProcess;
  let gm: Room<unknown, TableState>;
  let player: Room<unknown, TableState>;
  let heroId: string;
  const notes: string[] = [];

  before(async () => {
    server = await startServerProcess({ dataDir: mkdtempSync(join(tmpdir(), "tavern-queue-")) });
    const gmGuest = await guest(server.url, "Gemma");
    const playerGuest = await guest(server.url, "Ana");
    gm = await gmGuest.client.create("table", { title: "Queue test", plugin: "dnd5e-lite" }, TableState);
    await until("GM state", () => Boolean(gm.state.gm?.hash));
    player = await playerGuest.client.join("table", { code: gm.state.code }, TableState);
    const created = (await gm.request("create", {
      collection: "characters",
      fields: { name: "Aria", ownerId: playerGuest.session.playerId, x: 0, y: 0 },
    })) as { id: string; version: number; publicVersion: number };
    heroId = created.id;
    await until(
      "both decoded the hero",
      () => gm.state.gm?.version === created.version && player.state.publicVersion === created.publicVersion,
    );
  });

  after(async () => {
    for (const room of [gm, player]) if (room?.connection.isOpen) await room.leave(true).catch(() => undefined);
    await server?.stop();
  });

  /** A TableApi whose first `update` is preceded by a player move the GM has not decoded yet. */
  function apiWithInterleavedMove(x: number): TableApi {
    let moved = false;
    // The GM's room as TableApi sees it, with its requests passing through here first.
    const room = Object.create(gm, {
      request: {
        value: async (type: string, payload?: unknown): Promise<unknown> => {
          if (type === "update" && !moved) {
            moved = true;
            await player.request("moveToken", { kind: "character", id: heroId, x, y: 1 });
          }
          return gm.request(type, payload);
        },
      },
    }) as typeof gm;
    const notify = Object.assign((text: string) => void notes.push(text), { succeeded: () => undefined });
    return new TableApi(room, notify);
  }

  it("retries a conflicted edit on the caught-up state, keeping the player's move", async () => {
    const api = apiWithInterleavedMove(4);
    const before = gm.state.gm!.version;
    const outcome = await api.edit("Aria's notes", (state) =>
      state.characters.get(heroId) ? [{ op: "set", path: `characters.${heroId}.notes`, value: "scouting ahead" }] : null,
    );
    assert.equal(outcome.status, "applied");
    assert.equal(outcome.status === "applied" && outcome.attempts, 2, "the first attempt conflicted");
    assert.equal(api.queue.stats.conflicts, 1);
    assert.equal(gm.state.gm?.version, before + 2, "the move and the edit, one version each");
    const hero = gm.state.characters.get(heroId)!;
    assert.deepEqual([hero.x, hero.y, hero.notes], [4, 1, "scouting ahead"]);
  });

  it("drops an edit that the player's move made moot, and says so", async () => {
    const api = apiWithInterleavedMove(7);
    const x = gm.state.characters.get(heroId)!.x;
    // "Put Aria back on the start cell, if she is still where I saw her."
    const outcome = await api.edit("Aria's position", (state) =>
      state.characters.get(heroId)?.x === x ? [{ op: "set", path: `characters.${heroId}.x`, value: 0 }] : null,
    );
    assert.equal(outcome.status, "stale");
    assert.equal(gm.state.characters.get(heroId)?.x, 7, "the player's move stands");
    assert.match(notes.at(-1) ?? "", /was not applied: it changed meanwhile/);
  });
});
