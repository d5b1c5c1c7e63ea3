/**
 * Long CPU work in one process that also runs live rooms: the work is a generator that yields
 * between steps, and this runs it in slices of a few milliseconds, letting timers and I/O (room
 * patches, other requests) run in between. One step should be short; a slice ends after the first
 * step that reaches the budget, so no slice is much longer than one step.
 */
export const DEFAULT_SLICE_MS = 10;

export class TimeSlices {
  private sliceStarted: number;

  constructor(
    private readonly budgetMs = DEFAULT_SLICE_MS,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.sliceStarted = now();
  }

  /** Lets the event loop run once this slice has used its budget. */
  async pause(): Promise<void> {
    if (this.now() - this.sliceStarted < this.budgetMs) return;
    // setImmediate, not a resolved promise: microtasks would run before any I/O or timer.
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.sliceStarted = this.now();
  }

  /** Runs `steps` to its end, pausing between steps; resolves to what it returns, or rejects with what it throws. */
  async run<T>(steps: Generator<void, T, void>): Promise<T> {
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
      await this.pause();
    }
  }
}
