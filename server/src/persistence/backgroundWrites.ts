/**
 * Writes a room makes without waiting for them (moderation, journal): run one after another so
 * they land in the order the room made them, and a failure is logged, never thrown into the room.
 */
import type { Logger } from "../logger";

export class BackgroundWrites {
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly log: Logger) {}

  /** Queues `write`; `lost` says in the log what a failure means for the user. */
  queue(write: () => Promise<void>, lost: string): void {
    this.tail = this.tail.then(async () => {
      try {
        await write();
      } catch (err) {
        this.log.warn({ err }, lost);
      }
    });
  }

  /** Resolves once everything queued so far has been written or has failed. */
  settled(): Promise<void> {
    return this.tail;
  }
}
