/**
 * The GM update queue against a scripted server: one request in flight, conflicts waited out and
 * retried from fresh state, intents that stopped applying dropped, bounded retries.
 */
import assert from "node:assert/strict";
import type { ErrorBody } from "@tavern/shared/errors";
import type { Operation, UpdateReply } from "@tavern/shared/table/operations";
import type { TableState } from "@tavern/shared/table/state";
import { MAX_ATTEMPTS, UpdateQueue, type OpsBuilder } from "../src/net/updateQueue";

/** An accepted update's reply to the GM. */
function accepted(version: number): UpdateReply {
  return { version, hash: "h", publicVersion: version, publicHash: "p" };
}

/** A GM's decoded state with just a (whole) version and a title, and a server that may be ahead of it. */
function harness() {
  const state = { gm: { version: 0 }, title: "t" };
  const listeners = new Set<() => void>();
  const sent: { baseVersion: number; ops: Operation[] }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  /** Per request: answer normally, or refuse. */
  let answer: (baseVersion: number) => Promise<UpdateReply> = async (baseVersion) => accepted(baseVersion + 1);
  const queue = new UpdateQueue({
    state: () => state as unknown as TableState,
    version: () => state.gm.version,
    onPatch: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    send: async (baseVersion, ops) => {
      sent.push({ baseVersion, ops });
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        await new Promise((r) => setTimeout(r, 5));
        const reply = await answer(baseVersion);
        // As in a room, the patch with the accepted update may land after the reply.
        setTimeout(() => {
          if (state.gm.version < reply.version) patch(reply.version);
        }, 10);
        return reply;
      } finally {
        inFlight--;
      }
    },
  });
  /** A patch arrives: the decoded state moves to `version`. */
  function patch(version: number, title = state.title): void {
    state.gm.version = version;
    state.title = title;
    for (const l of [...listeners]) l();
  }
  const conflict = (currentVersion: number): ErrorBody => ({
    code: "VERSION_CONFLICT",
    message: `at ${currentVersion}`,
    details: { currentVersion, currentHash: "x" },
  });
  return {
    state,
    queue,
    sent,
    patch,
    conflict,
    maxInFlight: () => maxInFlight,
    setAnswer: (fn: typeof answer) => (answer = fn),
  };
}

const setTitle =
  (value: string): OpsBuilder =>
  () => [{ op: "set", path: "title", value }];

describe("GM update queue", () => {
  it("sends one update at a time, each built on the state that includes the one before", async () => {
    const h = harness();
    const results = await Promise.all([h.queue.enqueue(setTitle("a")), h.queue.enqueue(setTitle("b")), h.queue.enqueue(setTitle("c"))]);
    assert.deepEqual(
      results.map((r) => r.status),
      ["applied", "applied", "applied"],
    );
    assert.equal(h.maxInFlight(), 1);
    assert.deepEqual(
      h.sent.map((s) => s.baseVersion),
      [0, 1, 2],
    );
  });

  it("on VERSION_CONFLICT waits for the decoded state to catch up, rebuilds from it and retries", async () => {
    const h = harness();
    let calls = 0;
    h.setAnswer(async (base) => {
      calls++;
      if (calls === 1) {
        setTimeout(() => h.patch(3, "moved"), 30); // the patch that caused the conflict arrives later
        throw h.conflict(3);
      }
      return accepted(base + 1);
    });
    const seen: string[] = [];
    const outcome = await h.queue.enqueue((state) => {
      seen.push(`${state.gm?.version}:${state.title}`);
      return [{ op: "set", path: "title", value: "mine" }];
    });
    assert.deepEqual(outcome, { status: "applied", version: 4, attempts: 2 });
    assert.deepEqual(seen, ["0:t", "3:moved"], "the retry was built from the caught-up state");
    assert.deepEqual(
      h.sent.map((s) => s.baseVersion),
      [0, 3],
    );
    assert.equal(h.queue.stats.conflicts, 1);
  });

  it("drops an intent that no longer applies after a conflict, without sending it again", async () => {
    const h = harness();
    h.setAnswer(async () => {
      h.patch(1, "someone else's");
      throw h.conflict(1);
    });
    const outcome = await h.queue.enqueue((state) => (state.title === "t" ? [{ op: "set", path: "title", value: "mine" }] : null));
    assert.equal(outcome.status, "stale");
    assert.equal(h.sent.length, 1);
  });

  it("does not send an intent with nothing left to change", async () => {
    const h = harness();
    const outcome = await h.queue.enqueue(() => []);
    assert.equal(outcome.status, "unchanged");
    assert.equal(h.sent.length, 0);
  });

  it(`gives up after ${MAX_ATTEMPTS} conflicts in a row, and never retries other errors`, async () => {
    const h = harness();
    h.setAnswer(async (base) => {
      h.patch(base + 1);
      throw h.conflict(base + 1);
    });
    const conflicted = await h.queue.enqueue(setTitle("a"));
    assert.equal(conflicted.status, "failed");
    assert.equal(h.sent.length, MAX_ATTEMPTS);

    h.setAnswer(async () => {
      throw { code: "PERMISSION_DENIED", message: "Only the GM can change the session." } satisfies ErrorBody;
    });
    const refused = await h.queue.enqueue(setTitle("b"));
    assert.equal(refused.status, "failed");
    assert.equal(refused.status === "failed" && refused.error.code, "PERMISSION_DENIED");
    assert.equal(h.sent.length, MAX_ATTEMPTS + 1);
    // A failure does not block the queue.
    h.setAnswer(async (base) => accepted(base + 1));
    assert.equal((await h.queue.enqueue(setTitle("c"))).status, "applied");
  });
});
