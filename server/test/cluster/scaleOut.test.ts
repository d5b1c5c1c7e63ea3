/**
 * Several server processes sharing matchmaking through Redis (REDIS_URL) and sessions through
 * PostgreSQL (DATABASE_URL): `.ci/run` points both at the services of the machine. Each run uses
 * its own Redis database number, flushed first, and its own scratch PostgreSQL database.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client, type Room } from "@colyseus/sdk";
import { Redis } from "ioredis";
import type { UpdateReply } from "@tavern/shared/table/operations";
import { avatarsOf, type SpaceState } from "@tavern/shared/state";
import {
  leaveQuietly,
  openTable,
  postgresDatabase,
  signInGuest,
  startServerProcess,
  waitUntil,
  withTimeout,
  type DurabilityDatabase,
  type ServerProcess,
} from "../support/serverProcess";
import { startReceiver } from "../support/webhookReceiver";

const REDIS_URL = process.env["REDIS_URL"];
const DATABASE_URL = process.env["DATABASE_URL"];

describe("scale-out: processes share matchmaking through Redis", function () {
  this.timeout(180_000);
  let redisUrl: string;
  let database: DurabilityDatabase;
  const processes: ServerProcess[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), "tavern-cluster-"));

  before(async function () {
    if (!REDIS_URL || !DATABASE_URL) {
      throw new Error("the scale-out tests need REDIS_URL and DATABASE_URL (see .ci/run for the values on this machine)");
    }
    const db = 1 + Math.floor(Math.random() * 15);
    redisUrl = `${REDIS_URL.replace(/\/\d*$/, "")}/${db}`;
    const redis = new Redis(redisUrl);
    await redis.flushdb();
    redis.disconnect();
    database = await postgresDatabase(DATABASE_URL);
    for (let i = 0; i < 3; i++) {
      processes.push(
        await startServerProcess({
          dataDir: join(dataDir, `p${i}`),
          databaseUrl: database.databaseUrl,
          redisUrl,
          publicAddress: true,
          env: { WEBHOOK_ALLOW_LOOPBACK: "true" }, // the webhook test's receiver listens on 127.0.0.1
        }),
      );
    }
  });

  // A failure here is often a process that failed first: show what each one logged as an error.
  afterEach(function () {
    if (this.currentTest?.state !== "failed") return;
    for (const [i, p] of processes.entries()) {
      const errors = p
        .tail(400)
        .split("\n")
        .filter((line) => /"level":(50|60)|Error|exited/.test(line))
        .slice(-20);
      console.error(
        `process ${i} (${p.url}, ${p.running ? "running" : "not running"}): ${errors.length ? `\n${errors.join("\n")}` : "no error logged"}`,
      );
    }
  });

  after(async () => {
    await Promise.all(processes.map((p) => p.stop().catch(() => undefined)));
    await database?.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const [A, B, C] = [0, 1, 2];

  /** An API key made through the admin API of the process at `url`. */
  async function issueKey(url: string, name: string, scopes: string[]): Promise<string> {
    const made = await fetch(`${url}/admin/api-keys`, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from("admin:durability-test-admin").toString("base64")}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({ name, scopes }),
    });
    assert.equal(made.status, 201, await made.clone().text());
    return ((await made.json()) as { key: string }).key;
  }

  /** A new guest's space room, created through the process at `url`, once its code is known. */
  async function hostSpace(url: string, name: string) {
    const host = await signInGuest(url, name);
    const client = new Client(url);
    client.auth.token = host.token;
    const room = (await client.create("space", {})) as Room<unknown, SpaceState>;
    await waitUntil("code", () => Boolean(room.state?.code));
    return { host, room };
  }

  it("a room created through process A is found by code and joined through process B; both see each other", async () => {
    const host = await signInGuest(processes[A]!.url, "on-a");
    const guest = await signInGuest(processes[B]!.url, "on-b");
    const a = new Client(processes[A]!.url);
    a.auth.token = host.token;
    const b = new Client(processes[B]!.url);
    b.auth.token = guest.token;
    const roomA = (await a.create("space", {})) as Room<unknown, SpaceState>;
    await waitUntil("code", () => Boolean(roomA.state?.code));
    const code = roomA.state.code;

    const lookup = await fetch(`${processes[B]!.url}/api/rooms/${code}`);
    assert.equal(lookup.status, 200, "B finds A's room by code");
    const roomB = (await withTimeout(b.join("space", { code }), 15_000, "joining through B")) as Room<unknown, SpaceState>;
    await waitUntil("both see two players", () => roomA.state.players.size === 2 && roomB.state?.players?.size === 2, 15_000);
    assert.equal(roomB.roomId, roomA.roomId);
    await waitUntil(
      "both see both avatars",
      () => [...avatarsOf(roomA.state)].length === 2 && [...avatarsOf(roomB.state)].length === 2,
      15_000,
    );

    const listed = (await (await fetch(`${processes[C]!.url}/api/rooms`)).json()) as { rooms: { code: string }[] };
    assert.ok(
      listed.rooms.some((r) => r.code === code),
      "the public list of C shows A's room",
    );
    const adminAuth = { authorization: `Basic ${Buffer.from("admin:durability-test-admin").toString("base64")}` };
    const state = await fetch(`${processes[C]!.url}/admin/rooms/${code}/state`, { headers: adminAuth });
    assert.equal(state.status, 200, "admin state through C reaches the room on A (remoteRoomCall)");
    assert.equal(((await state.json()) as { code: string }).code, code);
    await Promise.all([roomA.leave(true), roomB.leave(true)]);
  });

  it("200 rooms created at once across three processes get 200 different codes, and one process lists them all", async () => {
    const creator = await signInGuest(processes[A]!.url, "many-rooms");
    const created = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const p = processes[i % 3]!;
        const res = await fetch(`${p.url}/api/rooms`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${creator.token}` },
          body: JSON.stringify({ type: "space", config: { private: false } }),
        });
        assert.equal(res.status, 201, await res.clone().text());
        return ((await res.json()) as { code: string; roomId: string }).code;
      }),
    );
    assert.equal(new Set(created).size, 200, "no duplicate code");
    const adminAuth = { authorization: `Basic ${Buffer.from("admin:durability-test-admin").toString("base64")}` };
    // Listings reach Redis as each room is created; give the last ones a moment.
    let ours: { code: string; processId: string }[] = [];
    for (let i = 0; i < 30 && ours.length < 200; i++) {
      const listed = (await (await fetch(`${processes[B]!.url}/admin/rooms`, { headers: adminAuth })).json()) as {
        rooms: { code: string; processId: string }[];
      };
      ours = listed.rooms.filter((r) => created.includes(r.code));
      if (ours.length < 200) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(
      ours.length,
      200,
      `the admin list of one process covers the rooms of all three (missing: ${created
        .filter((c) => !ours.some((r) => r.code === c))
        .slice(0, 5)
        .join(", ")})`,
    );
    // Each room is created on the process that took its request (server.ts), so the three share them.
    assert.equal(new Set(ours.map((r) => r.processId)).size, 3, "the list holds rooms of all three processes");
  });

  it("the load script's join storm against two processes: 60 clients, every one sees every other", async () => {
    const out = mkdtempSync(join(tmpdir(), "tavern-cluster-storm-"));
    const endpoints = `${processes[A]!.url},${processes[B]!.url}`;
    const storm = spawn(
      process.execPath,
      ["--import", "tsx", "loadtest/cli.ts", "storm", "--clients", "60", "--targets", "tavern", "--endpoint", endpoints, "--out", out],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let output = "";
    storm.stdout.on("data", (d: Buffer) => (output += d.toString()));
    const code = await new Promise<number | null>((resolve) => storm.on("exit", resolve));
    process.stdout.write(
      output
        .split("\n")
        .filter((l) => /Tavern|PASS|FAIL/.test(l))
        .map((l) => `      ${l.trim()}`)
        .join("\n") + "\n",
    );
    rmSync(out, { recursive: true, force: true });
    assert.equal(code, 0, output);
    // target, result, joined, join errors, visibility
    assert.match(output, /Tavern \(schema patches\)\s+PASS\s+60\/60\s+0\s+100\.0%/);
  });

  it("the platform API across processes: a key made on A works on B and C, writes reach the room on A, limits and idempotency hold across all three", async () => {
    const key = await issueKey(processes[A]!.url, "cluster game", ["rooms:read", "players:write", "games:write"]);
    const { host, room } = await hostSpace(processes[A]!.url, "platform-host");
    const code = room.state.code;
    const write = (i: number, path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${processes[i % 3]!.url}/api/v1/games/rooms/${code}${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...headers },
        body: JSON.stringify(body),
      });

    const started = await write(B, "/game/started?waitForBroadcast=true", { gameId: "far-away" });
    assert.equal(started.status, 200, await started.clone().text());
    assert.equal(((await started.json()) as { broadcast: boolean }).broadcast, true);
    await waitUntil("the client on A sees the game started through B", () => room.state.currentGame?.gameId === "far-away", 10_000);

    // Idempotency through another process: C answers B's stored reply.
    const once = { "idempotency-key": "cluster-write-1" };
    const body = { players: [{ playerId: host.playerId, location: "game" }] };
    const first = (await (await write(B, "/players", body, once)).json()) as { updateId: string; version: number };
    const repeat = await write(C, "/players", body, once);
    assert.equal(repeat.headers.get("idempotent-replayed"), "true");
    assert.deepEqual(await repeat.json(), first);

    // The bulk tier is 10 a minute per key, counted in Redis: two of them were spent above.
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++)
      statuses.push((await write(i, "/players", { players: [{ playerId: host.playerId, status: `s${i}` }] })).status);
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 200, 200, 200, 429], "the limit holds across the three processes");
    await room.leave(true);
  });

  it("a webhook endpoint registered through B hears a join on C at once: C had read that nobody listens, and is told", async () => {
    const receiver = await startReceiver();
    try {
      const key = await issueKey(processes[A]!.url, "cluster hooks", ["webhooks:manage"]);
      const { room } = await hostSpace(processes[C]!.url, "hooked-host");
      const registered = await fetch(`${processes[B]!.url}/api/v1/games/webhooks`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ url: receiver.url, events: ["player.joined"], roomCode: room.state.code }),
      });
      assert.equal(registered.status, 201, await registered.clone().text());
      await new Promise((r) => setTimeout(r, 200)); // the word reaches C through Redis
      const guest = await signInGuest(processes[C]!.url, "hooked-guest");
      const g = new Client(processes[C]!.url);
      g.auth.token = guest.token;
      const joined = (await g.join("space", { code: room.state.code })) as Room<unknown, SpaceState>;
      // C's own cache of "nobody listens" would last 10 s: the join is heard well before.
      await waitUntil("the receiver hears the guest's join", () => receiver.received.some((r) => r.body.includes(guest.playerId)), 5_000);
      await Promise.all([joined.leave(true), room.leave(true)]);
    } finally {
      await receiver.close();
    }
  });

  it("password attempts are counted across processes: ten wrong logins spread over three, the eleventh is refused wherever it lands", async () => {
    const login = (i: number) =>
      fetch(`${processes[i % 3]!.url}/api/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: "cluster-nobody", password: `wrong-guess-${i}` }),
      });
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await login(i)).status);
    // Counted per process, the eleventh (B's fourth) would still be a guess.
    assert.deepEqual(statuses.slice(10), [429], `statuses ${statuses.join(",")}`);
    assert.ok(
      statuses.slice(0, 10).every((s) => s !== 429),
      `the first ten were answered, not limited: ${statuses.join(",")}`,
    );
  });

  it("the room-creation budget is one across processes: a player allowed 3 a minute gets 3 over two processes, not 6", async () => {
    const env = { ROOM_CREATES_PER_MINUTE_PER_PLAYER: "3" };
    const pair = await Promise.all(
      ["budget-a", "budget-b"].map((name) =>
        startServerProcess({ dataDir: join(dataDir, name), databaseUrl: database.databaseUrl, redisUrl, publicAddress: true, env }),
      ),
    );
    try {
      const creator = await signInGuest(pair[0]!.url, "budgeted");
      // The shared count's windows are clock minutes: keep the four creations inside one.
      const intoMinute = Date.now() % 60_000;
      if (intoMinute > 55_000) await new Promise((r) => setTimeout(r, 60_500 - intoMinute));
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const res = await fetch(`${pair[i % 2]!.url}/api/rooms`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${creator.token}` },
          body: JSON.stringify({ type: "space" }),
        });
        statuses.push(res.status);
      }
      // Counted per process, the fourth (the second on B) would be granted.
      assert.deepEqual(statuses, [201, 201, 201, 429]);
    } finally {
      await Promise.all(pair.map((p) => p.stop().catch(() => undefined)));
    }
  });

  it("a process stopped with SIGTERM saves its table; the session reopens on another process with nothing acknowledged lost", async () => {
    const gm = await signInGuest(processes[C]!.url, "moving-gm");
    const { room } = await openTable(processes[C]!.url, gm.token, { title: "Moves house" });
    const code = room.state.code;
    const hero = (await room.request("create", { collection: "characters", fields: { name: "Aria" } })) as UpdateReply & { id: string };
    let last: UpdateReply = hero;
    for (let i = 0; i < 10; i++) {
      last = (await room.request("update", {
        baseVersion: last.version,
        ops: [{ op: "inc", path: `characters.${hero.id}.hp`, value: -1 }],
      })) as UpdateReply;
    }
    const exit = await processes[C]!.stop();
    assert.equal(exit.code, 0);
    await leaveQuietly(room);

    const reopened = await openTable(processes[A]!.url, gm.token, { code });
    assert.equal(reopened.room.state.gm?.version, last.version);
    assert.equal(reopened.room.state.gm?.hash, last.hash);
    assert.equal(reopened.room.state.hostId, gm.playerId);
    await leaveQuietly(reopened.room);
  });

  it("a process killed with SIGKILL: its table reopens by code through another process, nothing acknowledged lost", async () => {
    const alive = processes.filter((p) => p !== processes[C]);
    const gm = await signInGuest(alive[0]!.url, "crashing-gm");
    const { room } = await openTable(alive[0]!.url, gm.token, { title: "Crashes" });
    const code = room.state.code;
    let last = (await room.request("create", { collection: "characters", fields: { name: "Bo" } })) as UpdateReply;
    for (let i = 0; i < 5; i++) {
      last = (await room.request("update", {
        baseVersion: last.version,
        ops: [{ op: "set", path: "title", value: `Crash ${i}` }],
      })) as UpdateReply;
    }
    // The room lives on whichever process the matchmaker chose: the one the client's socket reached.
    const holder = alive.find((p) => (room.connection as { url?: string }).url?.includes(`:${p.port}/`));
    assert.ok(holder, `found the process holding the room (${(room.connection as { url?: string }).url})`);
    const other = alive.find((p) => p !== holder)!;
    await holder.kill();
    await leaveQuietly(room);

    // Its code is still claimed in Redis by a room that no longer exists: the join gate sees through it.
    const reopened = await openTable(other.url, gm.token, { code });
    assert.equal(reopened.room.state.gm?.version, last.version);
    assert.equal(reopened.room.state.gm?.hash, last.hash);
    await leaveQuietly(reopened.room);
  });
});
