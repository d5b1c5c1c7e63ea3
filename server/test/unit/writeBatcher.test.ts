import assert from "node:assert/strict";
import { WriteBatcher } from "../../src/persistence/writeBatcher";

describe("WriteBatcher", () => {
  it("writes what was added within the delay as one batch, split by maxRows, in order", async () => {
    const writes: number[][] = [];
    const batcher = new WriteBatcher<number>(20, 2, async (rows) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      writes.push(rows);
    });
    for (const n of [1, 2, 3, 4, 5]) batcher.add(n);
    assert.deepEqual(writes, [], "nothing before the delay");
    await new Promise((resolve) => setTimeout(resolve, 80));
    assert.deepEqual(writes, [[1, 2], [3, 4], [5]]);
  });

  it("flush writes at once and resolves after every earlier batch, the later one after the first", async () => {
    const writes: string[] = [];
    const batcher = new WriteBatcher<string>(10_000, 10, async (rows) => {
      await new Promise((resolve) => setTimeout(resolve, rows[0] === "slow" ? 30 : 1));
      writes.push(...rows);
    });
    batcher.add("slow");
    const first = batcher.flush();
    batcher.add("fast");
    await batcher.flush();
    await first;
    assert.deepEqual(writes, ["slow", "fast"], "batches land in the order they were added");
    await batcher.flush();
    assert.deepEqual(writes, ["slow", "fast"], "an empty flush writes nothing");
  });
});
