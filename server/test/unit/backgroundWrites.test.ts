import assert from "node:assert/strict";
import { createLogger } from "../../src/logger";
import {
  BackgroundWrites,
  tryWithBackoff,
  type BackgroundWrite,
  type RetryTools,
  type WriteOutcome,
} from "../../src/persistence/backgroundWrites";

/** Retries without waiting; the waits asked for are kept. */
function fakeTools(attempts = 3): RetryTools & { waited: number[] } {
  const waited: number[] = [];
  return {
    policy: { attempts, firstDelayMs: 10, factor: 2, maxDelayMs: 1000 },
    sleep: async (ms) => void waited.push(ms),
    random: () => 0,
    waited,
  };
}

/** A write that fails its first `failures` tries. */
function flaky(failures: number, done: string[] = [], name = "w"): { write: () => Promise<void>; tries: () => number } {
  let tries = 0;
  return {
    write: async () => {
      tries++;
      if (tries <= failures) throw new Error("connection refused");
      done.push(name);
    },
    tries: () => tries,
  };
}

const silent = createLogger("silent");

describe("background writes", () => {
  it("run in the order queued, even when an earlier one is slower", async () => {
    const writes = new BackgroundWrites(silent, undefined, fakeTools());
    const done: string[] = [];
    writes.queue({
      operation: "journal",
      lost: "lost",
      write: async () => {
        await new Promise((resolve) => setTimeout(resolve, 30));
        done.push("slow first");
      },
    });
    writes.queue({ operation: "journal", lost: "lost", write: async () => void done.push("fast second") });
    await writes.settled();
    assert.deepEqual(done, ["slow first", "fast second"]);
  });

  it("a write that fails is tried again with the backoff's waits, and the next one waits its turn", async () => {
    const tools = fakeTools(3);
    const outcomes: Array<[string, WriteOutcome]> = [];
    const writes = new BackgroundWrites(silent, (w, outcome) => outcomes.push([w.operation, outcome]), tools);
    const done: string[] = [];
    const first = flaky(2, done, "settings");
    writes.queue({ operation: "room-settings", lost: "lost", write: first.write });
    writes.queue({ operation: "journal", lost: "lost", write: flaky(0, done, "chat").write });
    await writes.settled();
    assert.equal(first.tries(), 3);
    assert.deepEqual(tools.waited, [10, 20]);
    assert.deepEqual(done, ["settings", "chat"]);
    assert.deepEqual(outcomes, [
      ["room-settings", "retried"],
      ["journal", "ok"],
    ]);
  });

  it("a write that still fails is logged with what it means and reported failed, and does not stop the next ones", async () => {
    const logged: string[] = [];
    const logger = createLogger("silent");
    logger.warn = ((_obj: unknown, message: string) => void logged.push(message)) as typeof logger.warn;
    const reported: Array<[WriteOutcome, string]> = [];
    const writes = new BackgroundWrites(
      logger,
      (_w, outcome, err) => reported.push([outcome, (err as Error | undefined)?.message ?? ""]),
      fakeTools(),
    );
    let later = false;
    const broken = flaky(Infinity);
    writes.queue({ operation: "journal", lost: "chat not stored", write: broken.write });
    writes.queue({ operation: "journal", lost: "lost", write: async () => void (later = true) });
    await writes.settled();
    assert.equal(broken.tries(), 3, "bounded: the policy's tries and no more");
    assert.deepEqual(logged, ["chat not stored"]);
    assert.deepEqual(reported, [
      ["failed", "connection refused"],
      ["ok", ""],
    ]);
    assert.equal(later, true);
  });

  it("after a write failed for good, the next ones get one try each until one lands; then retries come back", async () => {
    const writes = new BackgroundWrites(silent, undefined, fakeTools(3));
    const queued: Array<ReturnType<typeof flaky>> = [flaky(Infinity), flaky(Infinity), flaky(1), flaky(0), flaky(2)];
    for (const w of queued) writes.queue({ operation: "journal", lost: "lost", write: w.write } satisfies BackgroundWrite);
    await writes.settled();
    assert.deepEqual(
      queued.map((w) => w.tries()),
      [3, 1, 1, 1, 3],
      "the outage's backlog drains in one try each (the third fails its only try), the write after a success retries again",
    );
  });

  it("a failing outcome listener does not stop the queue", async () => {
    const writes = new BackgroundWrites(
      silent,
      () => {
        throw new Error("listener broke");
      },
      fakeTools(),
    );
    const done: string[] = [];
    writes.queue({ operation: "journal", lost: "lost", write: flaky(0, done, "a").write });
    writes.queue({ operation: "journal", lost: "lost", write: flaky(0, done, "b").write });
    await writes.settled();
    assert.deepEqual(done, ["a", "b"]);
  });

  it("tryWithBackoff never throws and says how it ended", async () => {
    assert.deepEqual(await tryWithBackoff(flaky(0).write, fakeTools()), { outcome: "ok" });
    assert.deepEqual(await tryWithBackoff(flaky(1).write, fakeTools()), { outcome: "retried" });
    const failed = await tryWithBackoff(flaky(5).write, fakeTools());
    assert.equal(failed.outcome, "failed");
    assert.match(String(failed.error), /connection refused/);
  });
});
