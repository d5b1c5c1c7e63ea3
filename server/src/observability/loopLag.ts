/**
 * Event-loop lag as a Prometheus histogram. prom-client's default lag metrics are percentiles of
 * the last scrape interval (gauges: they cannot be combined over a longer window or across
 * processes, and they include the monitor's 10 ms resolution). A histogram of how late a 10 ms
 * timer fires can: histogram_quantile(0.99, rate(..._bucket[5m])) is the p99 lag over any window.
 */
import { Histogram, type Registry } from "prom-client";

/** How often the probe timer is due: also the finest lag it can see. */
export const LOOP_PROBE_MS = 10;

export const LOOP_LAG_BUCKETS_SECONDS = [0.001, 0.002, 0.005, 0.01, 0.015, 0.02, 0.025, 0.03, 0.04, 0.05, 0.075, 0.1, 0.25, 0.5, 1];

export interface LoopLagProbe {
  readonly histogram: Histogram;
  stop(): void;
}

/** Starts observing into `<name>` on `registry`; the probe never keeps the process alive. */
export function startLoopLagProbe(registry: Registry, name: string): LoopLagProbe {
  const histogram = new Histogram({
    name,
    help: `How late a ${LOOP_PROBE_MS} ms timer fired: event-loop lag, for p99 over any window`,
    buckets: LOOP_LAG_BUCKETS_SECONDS,
    registers: [registry],
  });
  let due = performance.now() + LOOP_PROBE_MS;
  const timer = setInterval(() => {
    const now = performance.now();
    histogram.observe(Math.max(0, now - due) / 1000);
    // A late tick is not made up for: the next one is due an interval after this one ran.
    due = now + LOOP_PROBE_MS;
  }, LOOP_PROBE_MS);
  timer.unref();
  return { histogram, stop: () => clearInterval(timer) };
}
