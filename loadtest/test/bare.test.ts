import assert from "node:assert/strict";
import { bareColyseusTarget } from "../bare/target";
import { startBareColyseusServer, type LocalServer } from "../server";
import { createRoom, joinRoom, type SpacePeer } from "../space/target";
import { waitFor } from "../../server/test/support/wait";

describe("bare Colyseus target (loadtest/bare)", function () {
  this.timeout(60_000);
  let server: LocalServer;
  const peers: SpacePeer[] = [];

  before(async () => {
    server = await startBareColyseusServer(Date.now() + 45_000);
  });
  after(async () => {
    await Promise.all(peers.map((p) => p.close()));
    await server?.stop();
  });

  it("seats every player in one room, each seen by all with its name, moves them, and forgets who left", async () => {
    const target = bareColyseusTarget(server.endpoint);
    const { peer: first, roomKey } = await createRoom(target, "Ada", 3);
    peers.push(first);
    const second = await joinRoom(target, roomKey, "Bo");
    const third = await joinRoom(target, roomKey, "Cy");
    peers.push(second, third);
    await waitFor("all three see all three", () => [first, second, third].every((p) => p.playerCount() === 3), 5000);
    for (const peer of [first, second, third]) {
      assert.deepEqual(
        peer
          .players()
          .map((p) => p.name)
          .sort(),
        ["Ada", "Bo", "Cy"],
      );
      assert.deepEqual(new Set(peer.players().map((p) => p.id)), new Set([first.id, second.id, third.id]));
    }

    let stamped = 0;
    second.onServerTime(() => stamped++);
    first.move(1, 0);
    await waitFor("a moving patch with its send time", () => stamped > 0, 5000);

    await third.close();
    peers.pop();
    await waitFor("the leaver gone from both views", () => first.playerCount() === 2 && second.playerCount() === 2, 5000);
    // A room for three holds no fourth after the third left and came back: capacity is the room's.
    await assert.rejects(async () => {
      peers.push(await joinRoom(target, roomKey, "Di"));
      peers.push(await joinRoom(target, roomKey, "Ed"));
    });
  });
});
