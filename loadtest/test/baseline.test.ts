import assert from "node:assert/strict";
import { startBaseline, type RunningBaseline } from "../baseline/app";
import type { SocketIoPeer } from "../baseline/peer";
import { BaselineRoom } from "../baseline/room";
import { socketIoTarget } from "../baseline/target";
import { BASELINE_MODES } from "../baseline/wire";
import { createRoom, joinRoom } from "../space/target";
import { waitFor } from "../../server/test/support/wait";
import { toErrorBody } from "@tavern/shared/errors";
import { SPACE_MAP, spawnPoint } from "@tavern/shared/spaceMap";

describe("BaselineRoom (the baselines' room model)", () => {
  it("makes the first player host and hands the role to the longest-present player on leave", async () => {
    const room = new BaselineRoom("ACDEFG", 4);
    room.add("a", "Ada");
    await new Promise((resolve) => setTimeout(resolve, 2)); // distinct joinedAt
    room.add("b", "Bo");
    room.add("c", "Cy");
    assert.equal(room.hostId, "a");
    assert.equal(room.player("a")?.role, "host");
    assert.deepEqual(room.remove("a"), { removed: true, hostChanged: true });
    assert.equal(room.hostId, "b");
    assert.equal(room.player("b")?.role, "host");
    assert.deepEqual(room.remove("c"), { removed: true, hostChanged: false });
    assert.deepEqual(room.remove("c"), { removed: false, hostChanged: false });
  });

  it("spawns like Tavern, reports only avatars whose fields changed, and stops on {0,0}", () => {
    const room = new BaselineRoom("ACDEFG", 4);
    room.add("a", "Ada");
    room.add("b", "Bo");
    assert.deepEqual({ x: room.avatar("b")?.x, y: room.avatar("b")?.y }, spawnPoint(SPACE_MAP, 1));
    const changed = new Set<string>();
    room.hold("a", 1, 0);
    room.step(0.05, changed);
    assert.deepEqual([...changed], ["a"]);
    assert.equal(room.avatar("a")?.x, spawnPoint(SPACE_MAP, 0).x + 8); // 160 px/s for 50 ms
    assert.equal(room.avatar("a")?.facing, "right");
    assert.equal(room.avatar("a")?.moving, true);
    changed.clear();
    room.hold("a", 0, 0);
    room.step(0.05, changed);
    assert.deepEqual([...changed], ["a"]);
    assert.equal(room.avatar("a")?.moving, false);
    changed.clear();
    room.step(0.05, changed);
    assert.equal(changed.size, 0);
  });

  it("reports no change for an avatar held against a wall", () => {
    const room = new BaselineRoom("ACDEFG", 4);
    room.add("a", "Ada");
    const changed = new Set<string>();
    room.hold("a", 0, -1);
    for (let i = 0; i < 200; i++) room.step(0.05, changed); // long enough to reach any wall above
    changed.clear();
    room.step(0.05, changed);
    room.step(0.05, changed);
    assert.equal(changed.size, 0);
    assert.equal(room.avatar("a")?.moving, false);
  });
});

for (const mode of BASELINE_MODES) {
  describe(`Socket.IO baseline, ${mode} mode`, function () {
    this.timeout(20_000);
    let server: RunningBaseline | undefined;
    let peers: SocketIoPeer[] = [];
    let roomKey = "";

    before(async () => {
      server = await startBaseline({ mode, port: 0 });
      const target = socketIoTarget(mode, server.endpoint);
      const created = await createRoom(target, "Ada", 8);
      roomKey = created.roomKey;
      peers = [created.peer, await joinRoom(target, roomKey, "Bo"), await joinRoom(target, roomKey, "Cy")];
    });

    after(async () => {
      await Promise.all(peers.map((peer) => peer.close()));
      await server?.close();
    });

    it("gives every peer a distinct id and lets every peer see all three players with their names", async () => {
      const ids = peers.map((peer) => peer.id);
      assert.equal(new Set(ids).size, 3);
      for (const id of ids) assert.match(id, /^[0-9a-f-]{36}$/);
      const everyone = [
        { id: ids[0], name: "Ada" },
        { id: ids[1], name: "Bo" },
        { id: ids[2], name: "Cy" },
      ];
      const byId = (a: { id?: string }, b: { id?: string }) => (a.id ?? "").localeCompare(b.id ?? "");
      await waitFor("all peers to see 3 players", () => peers.every((peer) => peer.playerCount() === 3));
      for (const peer of peers) assert.deepEqual([...peer.players()].sort(byId), [...everyone].sort(byId));
    });

    it("calls onUpdate after each applied update, and counts the join's bytes from the socket's first frame", async () => {
      const target = socketIoTarget(mode, server?.endpoint ?? "");
      const [watcher] = peers as [SocketIoPeer];
      const counts: number[] = [];
      watcher.onUpdate(() => counts.push(watcher.playerCount()));
      const late = await joinRoom(target, roomKey, "Di");
      try {
        // The first view already held the newcomer when join resolved; its bytes include it.
        assert.ok(late.players().some((p) => p.id === late.id && p.name === "Di"));
        assert.ok(late.bytesReceived() > 100, `only ${late.bytesReceived()} bytes counted`);
        await waitFor("the watcher to be told about the newcomer", () => counts.includes(4));
      } finally {
        assert.equal(await late.close(), true, "close() confirms the socket closed");
      }
    });

    it("moves an avatar on the server and shows it on another peer, with server times", async () => {
      const [mover, watcher] = peers as [SocketIoPeer, SocketIoPeer, SocketIoPeer];
      const start = watcher.avatarOf(mover.id);
      assert.ok(start, "the watcher has the mover's avatar");
      const times: { serverTime: number; receivedAt: number }[] = [];
      watcher.onServerTime((serverTime, receivedAt) => times.push({ serverTime, receivedAt }));
      const bytesBefore = watcher.bytesReceived();
      const sentAt = Date.now();
      mover.move(1, 0);
      await waitFor("the mover's x to change on the watcher", () => (watcher.avatarOf(mover.id)?.x ?? start.x) > start.x);
      assert.equal(watcher.avatarOf(mover.id)?.facing, "right");
      mover.move(0, 0);
      await waitFor("the mover to stop on the watcher", () => watcher.avatarOf(mover.id)?.moving === false);
      assert.ok(times.length > 0, "onServerTime fired");
      for (const { serverTime, receivedAt } of times) {
        assert.ok(serverTime >= sentAt - 1, "server time is after the move was sent");
        assert.ok(receivedAt >= serverTime - 1 && receivedAt - serverTime < 2000, `latency ${receivedAt - serverTime} ms`);
      }
      assert.ok(watcher.bytesReceived() > bytesBefore, "bytesReceived grew");
    });

    it("ignores invalid move input and keeps serving", async () => {
      const [mover, watcher] = peers as [SocketIoPeer, SocketIoPeer, SocketIoPeer];
      const before = watcher.avatarOf(mover.id);
      mover.move(Number.NaN, 5); // NaN travels as null: both axes fail validation
      mover.move(2, 0);
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.deepEqual(watcher.avatarOf(mover.id), before);
      const health = await fetch(`${server?.endpoint}/healthz`);
      assert.equal(health.status, 200);
    });

    it("a peer that stopped decoding still counts bytes but its copy no longer moves", async () => {
      const target = socketIoTarget(mode, server?.endpoint ?? "");
      const light = await joinRoom(target, roomKey, "Lu");
      try {
        const [mover] = peers as [SocketIoPeer];
        await waitFor("the light peer to see the mover", () => light.avatarOf(mover.id) !== undefined);
        light.stopDecoding();
        const frozen = light.avatarOf(mover.id);
        const bytes = light.bytesReceived();
        let stamps = 0;
        light.onServerTime(() => stamps++);
        mover.move(0, 1);
        await waitFor("bytes to keep arriving", () => light.bytesReceived() > bytes + 200);
        mover.move(0, 0);
        assert.deepEqual(light.avatarOf(mover.id), frozen);
        assert.equal(stamps, 0);
      } finally {
        await light.close();
      }
    });

    it("refuses to seat a peer in a room that does not exist", async () => {
      const target = socketIoTarget(mode, server?.endpoint ?? "");
      await assert.rejects(joinRoom(target, "QQQQQQ", "Dee"), (err: unknown) => {
        assert.deepEqual(toErrorBody(err), { code: "NOT_FOUND", message: `${mode} baseline refused the seat: no such room` });
        return true;
      });
    });

    it("serves Node's default metrics at /metrics", async () => {
      const response = await fetch(`${server?.endpoint}/metrics`);
      assert.equal(response.status, 200);
      assert.match(await response.text(), /^process_cpu_user_seconds_total \d/m);
    });

    it("removes a peer that closes from the others' copies, without a drop", async () => {
      const [a, b, c] = peers as [SocketIoPeer, SocketIoPeer, SocketIoPeer];
      let dropped = false;
      c.onDrop(() => (dropped = true));
      await c.close();
      const ids = (peer: SocketIoPeer) => peer.players().map((p) => p.id);
      await waitFor("the others to lose the closed peer", () => !ids(a).includes(c.id) && !ids(b).includes(c.id));
      assert.deepEqual(new Set(ids(a)), new Set([a.id, b.id]));
      assert.equal(dropped, false);
    });

    it("reports a drop when the server goes away", async () => {
      const [a] = peers as [SocketIoPeer, SocketIoPeer, SocketIoPeer];
      const reasons: string[] = [];
      a.onDrop((reason) => reasons.push(reason));
      await server?.close();
      await waitFor("a drop", () => reasons.length > 0);
      assert.equal(reasons.length, 1);
    });
  });
}

describe("Socket.IO baseline target against a server of the other mode", function () {
  this.timeout(10_000);
  for (const [serverMode, targetMode] of [
    ["events", "snapshot"],
    ["snapshot", "events"],
  ] as const) {
    it(`a ${targetMode} target fails to open on a ${serverMode} server`, async () => {
      const server = await startBaseline({ mode: serverMode, port: 0 });
      try {
        const opening = createRoom(socketIoTarget(targetMode, server.endpoint), "Ada", 2);
        await assert.rejects(opening, new RegExp(`runs the other mode, not ${targetMode}`));
      } finally {
        await server.close();
      }
    });
  }
});
