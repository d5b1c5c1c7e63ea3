/**
 * Graceful shutdown with clients connected: SIGTERM must store a snapshot of every open table
 * session at its head before the process exits. SNAPSHOT_EVERY is 1000, so no periodic snapshot
 * can explain a snapshot at the head: only what the server does on the way down.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { docFromState } from "@tavern/shared/table/fromState";
import { hashTable } from "@tavern/shared/table/hash";
import type { UpdateReply } from "@tavern/shared/table/operations";
import {
  durabilityDatabases,
  leaveQuietly,
  openTable,
  signInGuest,
  startServerProcess,
  waitUntil,
  type DurabilityDatabase,
  type OpenedTable,
  type ServerProcess,
} from "../support/serverProcess";

/** Colyseus closes every connection with CloseCode.SERVER_SHUTDOWN on a graceful shutdown. */
const SERVER_SHUTDOWN = 4001;
/** What "promptly" means for the exit after SIGTERM. */
const EXIT_WITHIN_MS = 10_000;

interface Table {
  label: string;
  code: string;
  gm: OpenedTable;
  player: OpenedTable;
  gmToken: string;
  playerToken: string;
  gmPlayerId: string;
  head: UpdateReply;
}

for (const { name, make } of durabilityDatabases()) {
  describe(`durability on ${name}: graceful shutdown with clients connected`, function () {
    let db: DurabilityDatabase | undefined;
    let server: ServerProcess | undefined;
    const open: OpenedTable[] = [];
    let dataDir = "";

    before(() => {
      dataDir = mkdtempSync(join(tmpdir(), "tavern-shutdown-"));
    });

    afterEach(function () {
      if (this.currentTest?.state === "failed" && server) {
        console.log(`--- last lines of the server (${name}, DATA_DIR ${dataDir}) ---\n${server.tail(80)}\n---`);
      }
    });

    after(async () => {
      await Promise.all(open.map((t) => leaveQuietly(t.room)));
      await server?.kill();
      await db?.dispose();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    /** A table with its GM and one player, and `updates` GM updates on top of a character. */
    async function tableWithUpdates(label: string, updates: number): Promise<Table> {
      const url = server!.url;
      const gmSession = await signInGuest(url, `GM ${label}`);
      const playerSession = await signInGuest(url, `Player ${label}`);
      const gm = await openTable(url, gmSession.token, { title: `Shutdown ${label}` });
      const code = gm.room.state.code;
      const player = await openTable(url, playerSession.token, { code });
      open.push(gm, player);
      const created = (await gm.room.request("create", {
        collection: "characters",
        fields: { name: `Hero ${label}`, ownerId: playerSession.playerId },
      })) as UpdateReply & { id: string };
      let head: UpdateReply = created;
      for (let i = 1; i <= updates; i++) {
        head = (await gm.room.request("update", {
          baseVersion: head.version,
          ops: [
            { op: "set", path: "title", value: `Shutdown ${label} #${i}` },
            { op: "set", path: `characters.${created.id}.hp`, value: i * 3 },
          ],
        })) as UpdateReply;
      }
      // A hidden actor: the snapshot must hold what the GM holds, not the players' view.
      head = (await gm.room.request("create", { collection: "actors", fields: { name: `Lurker ${label}`, hidden: true } })) as UpdateReply;
      await waitUntil(
        `table ${label}: both clients at v${head.version}`,
        () => gm.room.state.gm?.version === head.version && player.room.state.publicVersion === head.publicVersion,
      );
      assert.equal(hashTable(docFromState(gm.room.state)), head.hash, `table ${label}: the GM's rebuilt document hashes to the head`);
      assert.equal(
        hashTable(docFromState(player.room.state)),
        player.room.state.publicHash,
        `table ${label}: the player's rebuilt document hashes to the public hash`,
      );
      return { label, code, gm, player, gmToken: gmSession.token, playerToken: playerSession.token, gmPlayerId: gmSession.playerId, head };
    }

    it("SIGTERM stores every open session at its head, exits 0 and closes the clients with 4001; reopening gives the same version and hash", async function () {
      this.timeout(90_000);
      const started = performance.now();
      db = await make();
      server = await startServerProcess({ dataDir, databaseUrl: db.databaseUrl, env: { SNAPSHOT_EVERY: "1000", LOG_LEVEL: "debug" } });
      const tables = [await tableWithUpdates("A", 7), await tableWithUpdates("B", 12)];

      const exit = await server.stop(20_000);
      assert.equal(exit.signal, null, "the server exited by itself, not by a signal");
      assert.equal(exit.code, 0, "the server exits 0 after SIGTERM");
      assert.ok(exit.ms < EXIT_WITHIN_MS, `the server exits within ${EXIT_WITHIN_MS} ms of SIGTERM (took ${exit.ms} ms)`);
      const clients = tables.flatMap((t) => [
        { who: `GM ${t.label}`, table: t.gm },
        { who: `player ${t.label}`, table: t.player },
      ]);
      await waitUntil("every client saw its connection close", () => clients.every((c) => c.table.leaveCodes.length > 0), 5000).catch(
        () => undefined,
      );
      const codes = clients.map((c) => `${c.who}: ${c.table.leaveCodes.join(",") || "none"}`);
      for (const c of clients)
        assert.deepEqual(
          c.table.leaveCodes,
          [SERVER_SHUTDOWN],
          `${c.who}'s connection closed with ${SERVER_SHUTDOWN} (codes seen: ${codes.join("; ")})`,
        );
      const snapshotReasons = [...server.tail(400).matchAll(/"reason":"([^"]+)"[^\n]*"msg":"snapshot (stored|not stored)"/g)].map(
        (m) => `${m[1]} (${m[2]})`,
      );

      const inspected = await db.open(dataDir);
      try {
        for (const t of tables) {
          const sessionId = await inspected.store.idForCode(t.code);
          assert.ok(sessionId, `table ${t.label}: a stored session has the code ${t.code}`);
          const stored = await inspected.store.load(sessionId);
          assert.ok(stored);
          const log = await inspected.store.log(sessionId);
          assert.equal(log.length, t.head.version, `table ${t.label}: one log record per acknowledged version`);
          assert.equal(stored.meta.headVersion, t.head.version, `table ${t.label}: the stored head is the last acknowledged version`);
          assert.equal(stored.meta.headHash, t.head.hash, `table ${t.label}: the stored head hash is the last acknowledged hash`);
          assert.equal(
            stored.snapshotVersion,
            stored.meta.headVersion,
            `table ${t.label}: the snapshot is at the head (snapshot v${stored.snapshotVersion}, head v${stored.meta.headVersion})`,
          );
          assert.equal(stored.snapshotHash, stored.meta.headHash, `table ${t.label}: the snapshot's stored hash is the head hash`);
          assert.equal(hashTable(stored.snapshot), stored.meta.headHash, `table ${t.label}: the snapshot document hashes to the head hash`);
          assert.equal(stored.updates.length, 0, `table ${t.label}: nothing is left to replay after the snapshot`);
        }
      } finally {
        await inspected.close();
      }

      // Reopen A by its GM and B by its player: the same version and hash as acknowledged.
      await server.restart();
      open.length = 0;
      const [a, b] = tables as [Table, Table];
      const gmA = await openTable(server.url, a.gmToken, { code: a.code });
      open.push(gmA);
      assert.equal(gmA.room.state.gm?.version, a.head.version, "table A reopens at its head version");
      assert.equal(gmA.room.state.gm?.hash, a.head.hash, "table A reopens with its head hash");
      await waitUntil(
        "table A: the GM's rebuilt document",
        () => hashTable(docFromState(gmA.room.state)) === gmA.room.state.gm?.hash,
        5000,
      ).catch(() => undefined);
      assert.equal(hashTable(docFromState(gmA.room.state)), a.head.hash, "table A: the GM's rebuilt document hashes to the head hash");
      assert.equal(gmA.room.state.hostId, a.gmPlayerId, "table A: the GM is the host again");
      const playerB = await openTable(server.url, b.playerToken, { code: b.code });
      open.push(playerB);
      assert.equal(
        playerB.room.state.publicVersion,
        b.head.publicVersion,
        "table B (reopened by its player) is at its head's public version",
      );
      assert.equal(playerB.room.state.publicHash, b.head.publicHash, "table B reopens with its head's public hash");
      assert.equal(playerB.room.state.gm, undefined, "table B: the player is not sent the GM-only part");
      assert.equal(
        hashTable(docFromState(playerB.room.state)),
        playerB.room.state.publicHash,
        "table B: the player's rebuilt document hashes to the public hash",
      );
      assert.equal(playerB.room.state.hostId, b.gmPlayerId, "table B: the GM keeps authority though a player reopened it");

      await Promise.all(open.splice(0).map((t) => leaveQuietly(t.room)));
      const second = await server.stop(20_000);
      assert.equal(second.code, 0);
      console.log(
        `    [${name}] SIGTERM → exit ${exit.code} in ${exit.ms} ms; close codes: ${codes.join("; ")}; ` +
          `heads ${tables.map((t) => `${t.label} v${t.head.version}`).join(", ")} snapshotted; snapshots logged: ${snapshotReasons.join(", ") || "none"}; ` +
          `reopened at the same version and hash; ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
    });
  });
}
