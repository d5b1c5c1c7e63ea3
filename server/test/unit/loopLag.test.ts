import assert from "node:assert/strict";
import { Registry } from "prom-client";
import { startLoopLagProbe } from "../../src/observability/loopLag";

describe("event-loop lag probe", () => {
  it("records how late its timer fired: a 60 ms block lands above 40 ms, no other tick does", async () => {
    const registry = new Registry();
    const probe = startLoopLagProbe(registry, "test_event_loop_lag_seconds");
    try {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const blockedUntil = Date.now() + 60;
      while (Date.now() < blockedUntil); // hold the loop, as a long synchronous handler would
      await new Promise((resolve) => setTimeout(resolve, 50));
      const values = (await probe.histogram.get()).values;
      const bucket = (le: number) => values.find((v) => v.metricName?.endsWith("_bucket") && v.labels["le"] === le)?.value ?? 0;
      const count = values.find((v) => v.metricName?.endsWith("_count"))?.value ?? 0;
      assert.ok(count >= 5, `ticks observed: ${count}`);
      assert.equal(count - bucket(0.04), 1, "exactly one tick was late by more than 40 ms");
    } finally {
      probe.stop();
    }
  });
});
