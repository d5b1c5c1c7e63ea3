import assert from "node:assert/strict";
import type { AnnouncementMessage } from "@tavern/shared/protocol";
import { LobbyState, PlayerState } from "@tavern/shared/state";
import { HostNews } from "../../src/lifecycle/hostNews";

function roomWith(names: string[]) {
  const state = new LobbyState();
  for (const name of names) state.players.set(name.toLowerCase(), new PlayerState().assign({ name }));
  const told: AnnouncementMessage[] = [];
  const queued: (() => void)[] = [];
  const news = new HostNews({ state, announce: (m) => told.push(m), later: (fn) => queued.push(fn) });
  const tick = () => queued.splice(0).forEach((fn) => fn());
  return { state, told, news, tick, queued };
}

describe("host news", () => {
  it("tells several host changes within one tick once, from the first host to the last", () => {
    const { state, told, news, tick, queued } = roomWith(["Ann", "Bob", "Cy"]);
    state.hostId = "bob";
    news.changed("ann", "Ann left the room");
    state.hostId = "cy";
    news.changed("bob", "Bob left the room");
    assert.equal(told.length, 0, "nothing before the tick");
    assert.equal(queued.length, 1, "one announcement scheduled, not one per change");
    tick();
    assert.deepEqual(told, [
      { kind: "host-changed", text: "Cy is now the host (Bob left the room).", playerId: "cy", previousHostId: "ann" },
    ]);
  });

  it("tells changes in different ticks apart, says when nobody hosts, and says nothing when the role came back", () => {
    const { state, told, news, tick } = roomWith(["Ann", "Bob"]);
    state.hostId = "bob";
    news.changed("ann", "Ann left the room");
    tick();
    state.hostId = "";
    news.changed("bob", "Bob left the room");
    tick();
    assert.deepEqual(
      told.map((m) => [m.previousHostId, m.playerId, m.text]),
      [
        ["ann", "bob", "Bob is now the host (Ann left the room)."],
        ["bob", "", "The room has no host (Bob left the room)."],
      ],
    );
    state.hostId = "ann";
    news.changed("", "first player in the room");
    state.hostId = "";
    news.changed("ann", "Ann left the room");
    tick();
    assert.equal(told.length, 2, "the host before and after the tick is the same: no news");
  });
});
