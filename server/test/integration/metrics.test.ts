import assert from "node:assert/strict";
import { Client } from "@colyseus/sdk";
import { ADMIN, ENDPOINT, createSpace, errorOf, httpJson, joinSpace, newPlayer, roomsLeftAfterEach, waitFor } from "../support/harness";

async function scrape(): Promise<string> {
  const auth = Buffer.from(`${ADMIN.user}:${ADMIN.password}`).toString("base64");
  const res = await httpJson("GET", "/metrics", undefined, { authorization: `Basic ${auth}` });
  assert.equal(res.status, 200);
  return String(res.body);
}

/** Sum of the series of `name` whose label set contains every `labels` fragment. */
function sum(text: string, name: string, ...labels: string[]): number {
  return text
    .split("\n")
    .filter((l) => l.startsWith(`${name}{`) && labels.every((f) => l.includes(f)))
    .reduce((acc, l) => acc + Number(l.split(" ").pop()), 0);
}

describe("metrics endpoint", function () {
  this.timeout(20_000);
  const rooms = roomsLeftAfterEach();

  it("is behind the admin credentials", async () => {
    assert.equal((await httpJson("GET", "/metrics")).status, 401);
    const wrong = Buffer.from("admin:nope").toString("base64");
    assert.equal((await httpJson("GET", "/metrics", undefined, { authorization: `Basic ${wrong}` })).status, 401);
  });

  it("counts joins refused before any room saw them: no token, a code no room has", async () => {
    const before = await scrape();
    const player = await newPlayer("code-guesser");
    assert.equal((await errorOf(joinSpace(player, "ZZZZZ9"))).code, "NOT_FOUND");
    assert.equal((await errorOf(new Client(ENDPOINT).join("space", { code: "ZZZZZ9" }))).code, "UNAUTHORIZED");
    const after = await scrape();
    const moved = (outcome: string) =>
      sum(after, "tavern_joins_total", `outcome="${outcome}"`, 'room_type="space"') -
      sum(before, "tavern_joins_total", `outcome="${outcome}"`, 'room_type="space"');
    assert.equal(moved("NOT_FOUND"), 1);
    assert.equal(moved("UNAUTHORIZED"), 1);
  });

  it("exposes the documented names, and rooms, joins, latency and requests move", async () => {
    const before = await scrape();
    for (const name of [
      "tavern_rooms",
      "tavern_joins_total",
      "tavern_join_latency_seconds",
      "tavern_requests_total",
      "tavern_connected_clients",
      "tavern_nodejs_eventloop_lag_seconds",
      "tavern_event_loop_lag_seconds",
      "tavern_process_resident_memory_bytes",
      "tavern_process_cpu_seconds_total",
      "tavern_patch_bytes_total",
      "tavern_state_update_apply_seconds",
      "tavern_persistence_write_seconds",
    ]) {
      assert.ok(before.includes(`# TYPE ${name} `), `missing ${name}`);
    }
    const host = await createSpace(await newPlayer("metered-host"));
    const guest = await joinSpace(await newPlayer("metered-guest"), host.state.code);
    rooms.push(host, guest);
    await host.request("ping");
    await waitFor("both seated", () => host.state.players.size === 2);
    // A move makes patches for both clients: the patch byte counter moves with them.
    await host.request("move", { dx: 1, dy: 0 });
    await waitFor("guest sees the move", () => guest.state.players.get(host.state.hostId)?.avatar?.moving === true);
    await host.request("move", { dx: 0, dy: 0 });
    const after = await scrape();
    const patchBytes =
      sum(after, "tavern_patch_bytes_total", 'room_type="space"') - sum(before, "tavern_patch_bytes_total", 'room_type="space"');
    assert.ok(patchBytes > 0, `patch bytes counted (${patchBytes})`);

    assert.equal(
      sum(after, "tavern_rooms", 'room_type="space"', 'phase="lobby"') - sum(before, "tavern_rooms", 'room_type="space"', 'phase="lobby"'),
      1,
    );
    assert.equal(
      sum(after, "tavern_joins_total", 'outcome="joined"', 'room_type="space"') -
        sum(before, "tavern_joins_total", 'outcome="joined"', 'room_type="space"'),
      2,
    );
    assert.equal(
      sum(after, "tavern_join_latency_seconds_count", 'room_type="space"') -
        sum(before, "tavern_join_latency_seconds_count", 'room_type="space"'),
      2,
    );
    assert.equal(
      sum(after, "tavern_requests_total", 'request="ping"', 'outcome="ok"') -
        sum(before, "tavern_requests_total", 'request="ping"', 'outcome="ok"'),
      1,
    );
    assert.equal(
      sum(after, "tavern_connected_clients", 'room_type="space"') - sum(before, "tavern_connected_clients", 'room_type="space"'),
      2,
    );
    for (const leak of [host.roomId, host.state.code, host.sessionId, guest.sessionId]) {
      assert.ok(!after.includes(leak), `metrics must not carry ${leak} (room ids, codes and sessions are unbounded)`);
    }
  });
});
