/**
 * How busy the soak's load generator was, and whether it was the bottleneck: a thread whose event
 * loop is busy nearly all the time delays decoding, so the latency it reports measures the
 * generator, not the server.
 */
import type { LoadScriptUse } from "./space/soak";

/** Event-loop utilization above which a client thread counts as saturated. */
export const SATURATED_ELU = 0.9;

/** Each client thread's event-loop utilization: the workers', or the main thread's without workers. */
export function clientThreadUtilization(use: LoadScriptUse): Array<number | null> {
  return use.workers.length > 0 ? use.workers : [use.eventLoopUtilization];
}

/** A warning when some client thread was saturated, else null. */
export function saturationWarning(use: LoadScriptUse): string | null {
  const elus = clientThreadUtilization(use);
  const busy = elus.flatMap((elu, i) => (elu !== null && elu > SATURATED_ELU ? [i] : []));
  if (busy.length === 0) return null;
  const which = use.workers.length > 0 ? `worker${busy.length > 1 ? "s" : ""} ${busy.join(", ")}` : "the load script's thread";
  return (
    `WARNING load generator saturated: ${which} at event-loop utilization > ${SATURATED_ELU}; ` +
    "latency and lag then measure the generator as much as the server (try more --workers, or fewer --decoders)"
  );
}

/** "cpu 150% of a core; ELU 0.62, 0.71 (2 workers)": one line for the report. */
export function describeGeneratorUse(use: LoadScriptUse): string {
  const elus = clientThreadUtilization(use)
    .map((elu) => (elu === null ? "-" : elu.toFixed(2)))
    .join(", ");
  const cpu = use.cpuPercent === null ? "-" : `${use.cpuPercent.toFixed(0)}%`;
  const threads = use.workers.length > 0 ? `${use.workers.length} worker threads` : "in its main thread";
  return `load generator (${threads}): process CPU ${cpu} of one core, event-loop utilization ${elus}`;
}
