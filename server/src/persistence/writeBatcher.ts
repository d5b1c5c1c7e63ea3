/**
 * Rows a room records without waiting, written together: what is added within `delayMs` goes in
 * one batch (split into statements of at most `maxRows`), batches are written one after another
 * so rows land in the order they were added, and `flush()` resolves once all added so far are
 * written. Each statement costs about a millisecond of CPU on the event loop with embedded PGlite:
 * one per row would make a join storm spend its time on bookkeeping.
 */
export class WriteBatcher<T> {
  private pending: T[] = [];
  private timer: NodeJS.Timeout | undefined;
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly delayMs: number,
    private readonly maxRows: number,
    /** Writes one statement's rows; it handles (logs, counts) its own failures and must not throw. */
    private readonly write: (rows: T[]) => Promise<void>,
  ) {}

  add(row: T): void {
    this.pending.push(row);
    this.timer ??= setTimeout(() => void this.flush(), this.delayMs);
  }

  /** Queues what was added so far as the next batch; resolves when it is written. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    if (batch.length > 0) {
      this.tail = this.tail.then(async () => {
        for (let i = 0; i < batch.length; i += this.maxRows) await this.write(batch.slice(i, i + this.maxRows));
      });
    }
    return this.tail;
  }
}
