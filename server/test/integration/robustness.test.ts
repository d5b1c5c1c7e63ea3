import assert from "node:assert/strict";
import { CLOSE_CODES } from "@tavern/shared/protocol";
import {
  metricSum,
  roomsLeftAfterEach,
  createSpace,
  errorOf,
  httpJson,
  inbox,
  joinSpace,
  newPlayer,
  sleep,
  waitFor,
} from "../support/harness";
import { SLOW_CREATE_MS } from "../support/ProbeRoom";

describe("robustness: exceptions, rate limits, floods, idle rooms", function () {
  this.timeout(30_000);
  const rooms = roomsLeftAfterEach();

  it("handlers that throw (sync, async, in a timer, in a plain message) do not kill the room or the process", async () => {
    const host = await newPlayer("probe-owner");
    const room = await createSpace(host, {}, "probe");
    const other = await joinSpace(await newPlayer("probe-other"), room.state.code, {}, "probe");
    rooms.push(room, other);
    const before = await metricSum("tavern_room_exceptions_total", 'room_type="probe"');

    assert.equal((await errorOf(room.request("throwSync"))).code, "INTERNAL_ERROR");
    assert.equal((await errorOf(room.request("throwAsync"))).code, "INTERNAL_ERROR");
    await room.request("throwInTimer");
    room.send("throwOnSend", {});
    await sleep(100);

    assert.equal(room.connection.isOpen, true);
    assert.equal(other.connection.isOpen, true);
    await other.request("chat", { text: "alive" });
    await waitFor("room still patches", () => room.state.chat.some((l) => l.text === "alive"));
    const after = await metricSum("tavern_room_exceptions_total", 'room_type="probe"');
    assert.equal(after - before, 4, "each of the four failures was counted");
    const health = await httpJson("GET", "/healthz");
    assert.equal(health.body.status, "ok", "the process is alive and serving HTTP");
  });

  it("a room whose creation waits longer than a patch interval throws nothing meanwhile, then works", async () => {
    const uncaught: unknown[] = [];
    const record = (err: unknown) => uncaught.push(err);
    // Mocha's own handler stays: without the fix it reports the TypeErrors too.
    process.on("uncaughtException", record);
    try {
      const before = await metricSum("tavern_room_exceptions_total", 'room_type="probe"');
      const started = Date.now();
      const host = await newPlayer("slow-create");
      const room = await createSpace(host, {}, "probe-slow-create");
      rooms.push(room);
      assert.ok(Date.now() - started >= SLOW_CREATE_MS, "the creation did wait");
      await room.request("chat", { text: "made it" });
      await waitFor("the room patches once it exists", () => room.state.chat.some((l) => l.text === "made it"));
      assert.deepEqual(uncaught, [], "nothing was thrown while it was being created");
      assert.equal(await metricSum("tavern_room_exceptions_total", 'room_type="probe"'), before);
    } finally {
      process.off("uncaughtException", record);
    }
  });

  it("requests past the per-client rate get RATE_LIMITED and the client stays connected", async () => {
    const room = await createSpace(await newPlayer("chatty"));
    rooms.push(room);
    const results = await Promise.allSettled(Array.from({ length: 80 }, () => room.request("ping")));
    const limited = await Promise.all(results.filter((r) => r.status === "rejected").map((r) => errorOf(Promise.reject(r.reason))));
    assert.ok(limited.length > 0, "some of 80 instant requests are limited");
    assert.ok(limited.every((e) => e.code === "RATE_LIMITED"));
    assert.ok(
      results.some((r) => r.status === "fulfilled"),
      "the burst allowance was served",
    );
    assert.equal(room.connection.isOpen, true);
    await sleep(1100);
    assert.equal(typeof ((await room.request("ping")) as { now: number }).now, "number", "served again after a pause");
  });

  it("a flood of messages cuts off only the flooding client", async () => {
    const host = await createSpace(await newPlayer("flood-host"));
    const flooder = await joinSpace(await newPlayer("flooder"), host.state.code);
    rooms.push(host, flooder);
    flooder.reconnection.enabled = false;
    for (let i = 0; i < 1000; i++) flooder.send("ping", {});
    await waitFor("flooder cut off", () => inbox(flooder).leaveCodes.length > 0);
    await waitFor("flooder's seat released", () => host.state.players.size === 1);
    assert.equal(host.connection.isOpen, true);
    assert.equal(typeof ((await host.request("ping")) as { now: number }).now, "number");
  });

  it("an idle room tells its clients why and closes", async () => {
    const room = await createSpace(await newPlayer("sleepy"), { idleTimeoutSeconds: 5 });
    rooms.push(room);
    await waitFor("closing message", () => inbox(room).closing.length > 0, 9000);
    assert.equal(inbox(room).closing[0]?.reason, "idle");
    assert.match(inbox(room).closing[0]?.message ?? "", /5 seconds/);
    await waitFor("closed with the idle code", () => inbox(room).leaveCodes.length > 0);
    assert.deepEqual(inbox(room).leaveCodes, [CLOSE_CODES.IDLE]);
    const lookup = await httpJson("GET", `/api/rooms/${room.state.code}`);
    assert.equal(lookup.status, 404, "the closed room's code no longer resolves");
  });

  it("an empty room disposes and its code stops resolving", async () => {
    const room = await createSpace(await newPlayer("leaver"));
    const code = room.state.code;
    assert.equal((await httpJson("GET", `/api/rooms/${code}`)).status, 200);
    await room.leave(true);
    const deadline = Date.now() + 5000;
    let status = 200;
    while (status === 200 && Date.now() < deadline) {
      await sleep(50);
      status = (await httpJson("GET", `/api/rooms/${code}`)).status;
    }
    assert.equal(status, 404);
  });
});
