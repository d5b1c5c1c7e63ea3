import assert from "node:assert/strict";
import { createLogger } from "../../src/logger";
import { BackgroundWrites } from "../../src/persistence/backgroundWrites";

describe("background writes", () => {
  it("run in the order queued, even when an earlier one is slower", async () => {
    const writes = new BackgroundWrites(createLogger("silent"));
    const done: string[] = [];
    writes.queue(async () => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      done.push("slow first");
    }, "lost");
    writes.queue(async () => {
      done.push("fast second");
    }, "lost");
    await writes.settled();
    assert.deepEqual(done, ["slow first", "fast second"]);
  });

  it("a failed write is logged with what it means and does not stop the next ones", async () => {
    const logged: string[] = [];
    const logger = createLogger("silent");
    logger.warn = ((_obj: unknown, message: string) => void logged.push(message)) as typeof logger.warn;
    const writes = new BackgroundWrites(logger);
    let later = false;
    writes.queue(() => Promise.reject(new Error("disk full")), "chat not stored");
    writes.queue(async () => {
      later = true;
    }, "lost");
    await writes.settled();
    assert.deepEqual(logged, ["chat not stored"]);
    assert.equal(later, true);
  });
});
