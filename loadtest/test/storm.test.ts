import assert from "node:assert/strict";
import { startBaseline, type RunningBaseline } from "../baseline/app";
import { socketIoTarget } from "../baseline/target";
import type { PreparedPlayer, SpaceTarget } from "../space/target";
import { JoinStorm } from "../storm";

/** The target, except that `name` joins a room that does not exist: one refused join. */
function withBadJoin(target: SpaceTarget, name: string): SpaceTarget {
  return {
    name: target.name,
    endpoint: target.endpoint,
    async prepare(playerName, deadline): Promise<PreparedPlayer> {
      const prepared = await target.prepare(playerName, deadline);
      return playerName === name ? { ...prepared, join: () => prepared.join("QQQQQQ") } : prepared;
    },
  };
}

describe("join storm against a Socket.IO baseline (in this process)", function () {
  this.timeout(20_000);
  let server: RunningBaseline | undefined;

  beforeEach(async () => {
    server = await startBaseline({ mode: "events", port: 0 });
  });
  afterEach(async () => {
    await server?.close();
  });

  it("has every client see every player, and measures latency, bytes and the server's CPU", async () => {
    const endpoint = server?.endpoint ?? "";
    const storm = new JoinStorm({
      target: socketIoTarget("events", endpoint),
      clients: 8,
      deadline: Date.now() + 10_000,
      metrics: [{ metricsUrl: `${endpoint}/metrics` }],
    });
    const result = await storm.run();
    assert.equal(result.timedOut, null);
    assert.equal(result.aborted, null);
    assert.equal(result.outcomes.length, 8);
    for (const o of result.outcomes) {
      assert.deepEqual(o.visibilityProblems, [], `${o.name}: ${o.visibilityProblems.join("; ")}`);
      assert.equal(o.maxPlayersSeen, 8);
      assert.ok(o.visibleMs !== null && o.visibleMs >= 0);
      assert.ok((o.bytesReceived ?? 0) > 0, `${o.name} received bytes during the storm`);
    }
    assert.equal(result.outcomes.filter((o) => o.joinMs !== null).length, 7, "the creator's create is not a join");
    assert.equal(new Set(result.outcomes.map((o) => o.playerId)).size, 8);
    assert.ok(result.serverCpu && result.serverCpu.cpuMs >= 0 && result.serverCpu.wallMs > 0, JSON.stringify(result.serverCpu));
    assert.equal(result.leaveTimeouts, 0);
    assert.deepEqual(storm.progress, { phase: "done", prepared: 8, joined: 8, fullyVisible: 8, errors: 0, drops: 0 });
  });

  it("records a refused join by code, and then nobody sees all N players", async () => {
    const endpoint = server?.endpoint ?? "";
    const storm = new JoinStorm({
      target: withBadJoin(socketIoTarget("events", endpoint), "storm-003"),
      clients: 5,
      deadline: Date.now() + 10_000,
    });
    const result = await storm.run();
    const refused = result.outcomes[3];
    assert.deepEqual(refused?.error?.code, "NOT_FOUND");
    assert.deepEqual(refused?.visibilityProblems, ["did not join: NOT_FOUND"]);
    for (const o of result.outcomes.filter((o) => o.index !== 3)) assert.deepEqual(o.visibilityProblems, ["missing 1 of 5 players"]);
    assert.equal(result.serverCpu, null);
    assert.match(result.serverCpuMissing ?? "", /no metrics endpoint/);
  });

  it("stops with the reason when the room cannot be created", async () => {
    await server?.close();
    const result = await new JoinStorm({
      target: socketIoTarget("events", server?.endpoint ?? ""),
      clients: 3,
      deadline: Date.now() + 10_000,
    }).run();
    assert.match(result.aborted ?? "", /^the room could not be created: /);
    assert.equal(result.outcomes[0]?.joined, false);
  });
});
