/**
 * Writes a room makes without waiting for them (journal, room settings, GM change): run one after
 * another so they land in the order the room made them, each tried again with backoff when the
 * database fails it, and never thrown into the room. Whoever queued a write learns how it ended
 * (`settled`): the table counts it and tells its GM what a write that failed for good lost.
 *
 * While the database keeps failing, a queue of chat lines must not hold a closing room for
 * minutes: once a write has failed for good, the next ones get a single try each, until one
 * lands and the retries come back.
 */
import type { Logger } from "../logger";
import { backoffDelays, DEFAULT_RETRY, worthRetrying, type RetryPolicy } from "./backoff";

/** The `operation` label of tavern_background_writes_total (and of the persistence metrics). */
export type BackgroundOperation = "journal" | "room-settings" | "gm-change" | "snapshot" | "audit";
/** ok: at the first try; retried: after one or more retries; failed: not written. */
export type WriteOutcome = "ok" | "retried" | "failed";

export interface BackgroundWrite {
  operation: BackgroundOperation;
  write: () => Promise<void>;
  /** Said in the log when the write fails for good: what that means for the people at the table. */
  lost: string;
}

export interface RetryTools {
  policy: RetryPolicy;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

export const realRetryTools = (policy: RetryPolicy = DEFAULT_RETRY): RetryTools => ({
  policy,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
});

/** Runs `write` until it succeeds, the policy's tries are spent or a retry cannot help; never throws. */
export async function tryWithBackoff(
  write: () => Promise<void>,
  tools: RetryTools,
  attempts: number = tools.policy.attempts,
): Promise<{ outcome: WriteOutcome; error?: unknown }> {
  const delays = backoffDelays({ ...tools.policy, attempts }, tools.random);
  for (let attempt = 0; ; attempt++) {
    try {
      await write();
      return { outcome: attempt === 0 ? "ok" : "retried" };
    } catch (error) {
      const delay = delays[attempt];
      if (delay === undefined || !worthRetrying(error)) return { outcome: "failed", error };
      await tools.sleep(delay);
    }
  }
}

export type Settled<W extends BackgroundWrite> = (write: W, outcome: WriteOutcome, error?: unknown) => void;

/** `W` lets the one who queues carry more with each write (what to tell the GM about it). */
export class BackgroundWrites<W extends BackgroundWrite = BackgroundWrite> {
  private tail: Promise<void> = Promise.resolve();
  /** A write failed for good and none has landed since: try each once. */
  private struggling = false;

  constructor(
    private readonly log: Logger,
    private readonly settledAs: Settled<W> = () => {},
    private readonly tools: RetryTools = realRetryTools(),
  ) {}

  queue(item: W): void {
    this.tail = this.tail.then(async () => {
      const { outcome, error } = await tryWithBackoff(item.write, this.tools, this.struggling ? 1 : this.tools.policy.attempts);
      this.struggling = outcome === "failed";
      if (outcome === "failed") this.log.warn({ err: error, operation: item.operation }, item.lost);
      try {
        this.settledAs(item, outcome, error);
      } catch (err) {
        // Telling about a write must not stop the writes behind it.
        this.log.warn({ err }, "could not report a background write's outcome");
      }
    });
  }

  /** Resolves once everything queued so far has been written or has failed. */
  settled(): Promise<void> {
    return this.tail;
  }
}
