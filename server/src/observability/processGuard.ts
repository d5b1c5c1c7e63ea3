/**
 * What the process does with an error that escaped every room, request and HTTP handler.
 *
 * Colyseus's own policy is to shut the server down on the first uncaught exception. That turns any
 * stray throw (a library callback, a timer, one client's input reaching a code path nobody
 * guarded) into an outage for every room, and hands an attacker a one-message kill switch. Room
 * code is guarded where it runs (frame guard, request router, onUncaughtException), so what
 * reaches this point is a defect outside any room; the durable state of every table is already in
 * the database, so serving on is safe for the data. One such error is logged and counted, and the
 * process goes on. A burst of them means the process itself is broken (a poisoned dependency, a
 * leak of half-done work): then it shuts down gracefully, saving every session, and exits 1 so
 * its supervisor starts a fresh one.
 */
import type { Logger } from "../logger";
import type { Metrics } from "./metrics";

/** Uncaught exceptions tolerated within BURST_WINDOW_MS before the process gives up. */
export const BURST_LIMIT = 10;
export const BURST_WINDOW_MS = 60_000;

export interface ProcessGuardDeps {
  logger: Logger;
  metrics: Metrics;
  /** Graceful shutdown (saves sessions), then exit with this code. */
  shutdown: (exitCode: number) => void;
  now?: () => number;
}

/** Decides, for each uncaught exception, whether the process may go on. Pure apart from the clock. */
export class ExceptionBurst {
  private readonly times: number[] = [];

  constructor(
    private readonly limit = BURST_LIMIT,
    private readonly windowMs = BURST_WINDOW_MS,
  ) {}

  /** Records one exception at `now`; true when the burst limit is passed. */
  record(now: number): boolean {
    this.times.push(now);
    while (this.times.length > 0 && now - this.times[0]! > this.windowMs) this.times.shift();
    return this.times.length > this.limit;
  }
}

export function installProcessGuard(deps: ProcessGuardDeps): void {
  const now = deps.now ?? Date.now;
  const burst = new ExceptionBurst();
  let shuttingDown = false;
  const stop = (exitCode: number) => {
    if (shuttingDown) return;
    shuttingDown = true;
    deps.shutdown(exitCode);
  };

  process.on("uncaughtException", (err) => {
    deps.metrics.uncaughtErrors.inc({ kind: "exception" });
    if (burst.record(now())) {
      deps.logger.fatal({ err }, `more than ${BURST_LIMIT} uncaught exceptions within ${BURST_WINDOW_MS / 1000} s: shutting down`);
      stop(1);
      return;
    }
    deps.logger.error({ err }, "uncaught exception outside any room; the server keeps running");
  });
  process.on("unhandledRejection", (err) => {
    deps.metrics.uncaughtErrors.inc({ kind: "rejection" });
    deps.logger.error({ err }, "unhandled promise rejection; the server keeps running");
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => stop(0));
}
