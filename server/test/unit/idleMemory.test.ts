/** The idle memory release: when it is due, and that it runs the collection V8 gives memory back with. */
import assert from "node:assert/strict";
import { QuietSpell, startIdleMemoryRelease, type MemoryRelease } from "../../src/observability/idleMemory";

describe("idle memory release", () => {
  it("is due once per quiet spell, the set time after the last client left", () => {
    const spell = new QuietSpell(5000);
    assert.equal(spell.due(3, 0), false, "clients connected");
    assert.equal(spell.due(0, 1000), false, "the spell begins");
    assert.equal(spell.due(0, 5999), false, "not yet five seconds");
    assert.equal(spell.due(0, 6000), true);
    assert.equal(spell.due(0, 60_000), false, "once per spell, however long it lasts");
    assert.equal(spell.due(1, 61_000), false, "a client came");
    assert.equal(spell.due(0, 62_000), false, "a new spell begins");
    assert.equal(spell.due(0, 67_000), true, "and gives memory back again");
  });

  it("runs V8's last-resort collection once the server is quiet, and nothing while clients are connected", async () => {
    const calls: unknown[] = [];
    let clients = 2;
    const releases: MemoryRelease[] = [];
    const collect = ((options?: unknown) => void calls.push(options)) as NodeJS.GCFunction;
    const stop = startIdleMemoryRelease({
      quietSeconds: 0.05,
      busy: () => clients,
      collect,
      onRelease: (r) => releases.push(r),
      checkEveryMs: 10,
    });
    try {
      await new Promise((r) => setTimeout(r, 120));
      assert.equal(calls.length, 0, "clients are connected");
      clients = 0;
      await new Promise((r) => setTimeout(r, 200));
      assert.deepEqual(calls, [{ type: "major", execution: "sync", flavor: "last-resort" }]);
      assert.equal(releases.length, 1);
      assert.ok(releases[0]!.rssBeforeBytes > 0 && releases[0]!.rssAfterBytes > 0);
    } finally {
      stop();
    }
  });

  it("does nothing without a gc function (Node started without --expose-gc) or when turned off", async () => {
    let read = 0;
    const busy = () => ++read * 0;
    const stops = [
      startIdleMemoryRelease({ quietSeconds: 0.01, busy, collect: undefined, onRelease: () => assert.fail(), checkEveryMs: 5 }),
      startIdleMemoryRelease({
        quietSeconds: 0,
        busy,
        collect: (() => assert.fail()) as NodeJS.GCFunction,
        onRelease: () => assert.fail(),
        checkEveryMs: 5,
      }),
    ];
    await new Promise((r) => setTimeout(r, 60));
    stops.forEach((stop) => stop());
    assert.equal(read, 0, "no timer was started");
  });
});
