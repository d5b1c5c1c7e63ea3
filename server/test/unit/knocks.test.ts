import assert from "node:assert/strict";
import { TavernError, type ErrorCode } from "@tavern/shared/errors";
import { KnockQueue, type Timers } from "../../src/lifecycle/knocks";

/** Timers the test fires by hand. */
class ManualTimers implements Timers {
  private readonly waiting = new Map<number, () => void>();
  private next = 0;
  set(fn: () => void): unknown {
    this.waiting.set(++this.next, fn);
    return this.next;
  }
  clear(handle: unknown): void {
    this.waiting.delete(handle as number);
  }
  get count(): number {
    return this.waiting.size;
  }
  fireAll(): void {
    for (const fn of [...this.waiting.values()]) fn();
  }
}

async function outcome(p: Promise<void>): Promise<"admitted" | ErrorCode> {
  try {
    await p;
    return "admitted";
  } catch (err) {
    assert.ok(err instanceof TavernError, String(err));
    return err.code;
  }
}

function queue(max = 5) {
  const timers = new ManualTimers();
  let changes = 0;
  const q = new KnockQueue({ timeoutMs: 3000, max, onChange: () => changes++, timers, now: () => 1000 });
  return { q, timers, changes: () => changes };
}

describe("KnockQueue", () => {
  it("shows the host a name, whether a spectator, and when; the id is the knock's own", () => {
    const { q, changes } = queue();
    const { id, admitted } = q.knock({ playerId: "p1", name: "Mira", spectator: false });
    void outcome(admitted);
    assert.deepEqual(q.list(), [{ id, name: "Mira", spectator: false, at: 1000 }]);
    assert.notEqual(id, "p1");
    assert.equal(changes(), 1);
  });

  it("admit, deny: each settles its own knock and leaves nothing behind", async () => {
    const { q, timers } = queue();
    const a = q.knock({ playerId: "a", name: "A", spectator: false });
    const b = q.knock({ playerId: "b", name: "B", spectator: true });
    assert.equal(q.answer(a.id, true), true);
    assert.equal(q.answer(b.id, false), true);
    assert.equal(await outcome(a.admitted), "admitted");
    assert.equal(await outcome(b.admitted), "KNOCK_DENIED");
    assert.equal(q.size, 0);
    assert.equal(timers.count, 0, "no timer left running");
    assert.equal(q.answer(a.id, true), false, "answered once");
  });

  it("times out with KNOCK_UNANSWERED", async () => {
    const { q, timers } = queue();
    const k = q.knock({ playerId: "a", name: "A", spectator: false });
    timers.fireAll();
    assert.equal(await outcome(k.admitted), "KNOCK_UNANSWERED");
    assert.deepEqual(q.list(), []);
  });

  it("a withdrawn knock is gone; unlocking admits everyone; endAll ends everyone with its error", async () => {
    const { q, timers } = queue();
    const gone = q.knock({ playerId: "a", name: "A", spectator: false });
    q.withdraw(gone.id);
    assert.equal(await outcome(gone.admitted), "KNOCK_UNANSWERED");
    const x = q.knock({ playerId: "x", name: "X", spectator: false });
    const y = q.knock({ playerId: "y", name: "Y", spectator: false });
    q.admitAll();
    assert.deepEqual(await Promise.all([outcome(x.admitted), outcome(y.admitted)]), ["admitted", "admitted"]);
    const z = q.knock({ playerId: "z", name: "Z", spectator: false });
    q.endAll(new TavernError("KNOCK_UNANSWERED", "The host left."));
    assert.equal(await outcome(z.admitted), "KNOCK_UNANSWERED");
    assert.equal(q.size, 0);
    assert.equal(timers.count, 0);
  });

  it("the same player knocking again replaces the earlier knock; a full queue refuses more", async () => {
    const { q } = queue(2);
    const first = q.knock({ playerId: "a", name: "A", spectator: false });
    const second = q.knock({ playerId: "a", name: "A", spectator: false });
    assert.equal(await outcome(first.admitted), "KNOCK_UNANSWERED");
    assert.deepEqual(
      q.list().map((k) => k.id),
      [second.id],
    );
    const other = q.knock({ playerId: "b", name: "B", spectator: false });
    assert.throws(
      () => q.knock({ playerId: "c", name: "C", spectator: false }),
      (err: unknown) => err instanceof TavernError && err.code === "RATE_LIMITED",
    );
    // Replacing one's own knock is allowed even when full.
    const third = q.knock({ playerId: "b", name: "B", spectator: false });
    assert.equal(await outcome(other.admitted), "KNOCK_UNANSWERED");
    assert.equal(q.size, 2);
    q.admitAll();
    assert.equal(await outcome(second.admitted), "admitted");
    assert.equal(await outcome(third.admitted), "admitted");
  });
});
