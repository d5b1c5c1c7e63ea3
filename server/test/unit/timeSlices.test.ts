import assert from "node:assert/strict";
import { TimeSlices } from "../../src/lifecycle/timeSlices";

function* steps(n: number, log: string[]): Generator<void, number, void> {
  for (let i = 0; i < n; i++) {
    log.push(`step ${i}`);
    yield;
  }
  return n;
}

describe("time slices", () => {
  it("lets timers and I/O run between steps once a slice has used its budget", async () => {
    let clock = 0;
    const slices = new TimeSlices(10, () => clock);
    const log: string[] = [];
    // Each step costs 4 "ms": a slice ends after the step that reaches 10.
    function* costly(): Generator<void, string, void> {
      for (let i = 0; i < 6; i++) {
        clock += 4;
        log.push(`step ${i}`);
        setImmediate(() => log.push(`other work after step ${i}`));
        yield;
      }
      return "done";
    }
    assert.equal(await slices.run(costly()), "done");
    const firstOther = log.findIndex((l) => l.startsWith("other"));
    assert.equal(log[firstOther - 1], "step 2", "the first pause comes after the step that spent the budget");
    assert.ok(log.indexOf("step 3") > firstOther, "other work ran before the next step");
  });

  it("does not pause while the budget lasts, returns what the steps return and rejects with what they throw", async () => {
    const slices = new TimeSlices(1_000_000, () => 0);
    const log: string[] = [];
    setImmediate(() => log.push("other"));
    assert.equal(await slices.run(steps(50, log)), 50);
    assert.equal(log.includes("other"), false, "no pause within the budget");
    function* failing(): Generator<void, void, void> {
      yield;
      throw new Error("step 2 failed");
    }
    await assert.rejects(slices.run(failing()), /step 2 failed/);
  });
});
