/**
 * A fixed-timestep loop shaped like Colyseus's setFixedTimestep (which Tavern's SpaceRoom uses):
 * setInterval at the step length, the measured elapsed time fills an accumulator, whole steps of
 * exactly 1/rate seconds run, and after a hitch at most MAX_CATCHUP steps run before the backlog
 * is dropped. `afterSteps` runs once per interval, like a patch going out once per tick.
 */
import { performance } from "node:perf_hooks";

const MAX_CATCHUP = 5;

export function startFixedStep(rateHz: number, onStep: (dtSeconds: number) => void, afterSteps: () => void): () => void {
  const stepMs = 1000 / rateHz;
  let last = performance.now();
  let accumulated = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    accumulated += now - last;
    last = now;
    let ran = 0;
    while (accumulated >= stepMs && ran < MAX_CATCHUP) {
      accumulated -= stepMs;
      onStep(stepMs / 1000);
      ran++;
    }
    if (ran === MAX_CATCHUP) accumulated = 0;
    afterSteps();
  }, stepMs);
  return () => clearInterval(timer);
}
