/**
 * The retention job inside the server: every interval, prunes what the policy says (./prune.ts)
 * and measures the tables, into the metrics. Its timer never holds the process open, a run still
 * going when the next is due is not doubled, and several processes on one database may each run
 * it (prune.ts says why that is safe). The first run comes one interval after start, not at start:
 * a restart loop must not turn into a prune loop.
 */
import type { Logger } from "../../logger";
import type { Metrics } from "../../observability/metrics";
import type { Db } from "../database";
import { prune, type PruneReport } from "./prune";
import type { RetentionPolicy } from "./policy";
import { tableSizes } from "./tableSizes";

export interface RetentionJob {
  /** One run now (tests, and the interval's own); resolves when it is done, never rejects. */
  runNow(): Promise<PruneReport | undefined>;
  /** Stops the timer; resolves once a run in progress has ended (before the database closes). */
  stop(): Promise<void>;
}

export interface RetentionJobOptions {
  db: Db;
  policy: RetentionPolicy;
  /** 0: no timer (runNow still works). */
  intervalMs: number;
  metrics: Metrics;
  logger: Logger;
}

export function startRetentionJob({ db, policy, intervalMs, metrics, logger }: RetentionJobOptions): RetentionJob {
  let running: Promise<PruneReport | undefined> | undefined;
  let stopped = false;
  const log = logger.child({ component: "retention" });

  const run = async (): Promise<PruneReport | undefined> => {
    const started = performance.now();
    try {
      const report = await prune(db, policy, { onBatch: ({ table, deleted }) => metrics.rowsPruned.inc({ table }, deleted) });
      for (const { table, rows, bytes } of await tableSizes(db)) {
        metrics.tableRows.set({ table }, rows);
        metrics.tableBytes.set({ table }, bytes);
      }
      metrics.retentionRuns.inc({ outcome: "ok" });
      const seconds = Math.round(performance.now() - started) / 1000;
      const pruned = Object.values(report).some((n) => n > 0);
      log[pruned ? "info" : "debug"]({ pruned: report, seconds }, "retention run done");
      return report;
    } catch (err) {
      metrics.retentionRuns.inc({ outcome: "failed" });
      // The next interval tries again; nothing is lost by a run that did not happen.
      if (!stopped) log.warn({ err }, "retention run failed");
      return undefined;
    }
  };

  const runNow = () => (running ??= run().finally(() => (running = undefined)));
  const timer = intervalMs > 0 ? setInterval(() => void runNow(), intervalMs).unref() : undefined;

  return {
    runNow,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
