/**
 * The GM's queue of `update` requests. One update is in flight at a time, so the GM's own edits
 * never race each other. Each queued intent builds its ops from the state as decoded right now;
 * when the server answers VERSION_CONFLICT (a player moved, a turn passed), the queue waits until
 * the decoded state has caught up to the server's version, builds the ops again from that fresh
 * state and retries, but only if the intent still applies: a builder returns null when it no
 * longer does (its entity is gone, someone changed the same field), and the GM is told so.
 */
import type { ErrorBody } from "@tavern/shared/errors";
import type { Operation, UpdateReply } from "@tavern/shared/table/operations";
import type { TableState } from "@tavern/shared/table/state";

/** Ops for the intent on this state; null when it no longer applies; [] when nothing is left to change. */
export type OpsBuilder = (state: TableState) => Operation[] | null;

export type UpdateOutcome =
  | { status: "applied"; version: number; attempts: number }
  | { status: "unchanged" }
  | { status: "stale"; attempts: number }
  | { status: "failed"; error: ErrorBody; attempts: number };

export interface UpdateQueueDeps {
  /** The decoded state right now. */
  state(): TableState;
  /** The whole version of the decoded state right now (the GM's; updates are the GM's alone). */
  version(): number;
  /** Calls back after every decoded patch; returns the unsubscribe. */
  onPatch(listener: () => void): () => void;
  /** Sends one `update` request; rejects with an ErrorBody. */
  send(baseVersion: number, ops: Operation[]): Promise<UpdateReply>;
}

export interface UpdateQueueStats {
  sent: number;
  conflicts: number;
  stale: number;
  failed: number;
}

/** Conflicts in a row after which the GM is asked to try again rather than the queue spinning. */
export const MAX_ATTEMPTS = 4;
/** How long to wait for the decoded state to reach the version a conflict announced. */
const CATCH_UP_TIMEOUT_MS = 5000;

export class UpdateQueue {
  readonly stats: UpdateQueueStats = { sent: 0, conflicts: 0, stale: 0, failed: 0 };
  private tail: Promise<unknown> = Promise.resolve();
  private pendingCount = 0;

  constructor(private readonly deps: UpdateQueueDeps) {}

  /** Intents waiting or in flight. */
  get pending(): number {
    return this.pendingCount;
  }

  enqueue(build: OpsBuilder): Promise<UpdateOutcome> {
    this.pendingCount++;
    const run = this.tail.then(() => this.run(build));
    this.tail = run.catch(() => undefined);
    return run.finally(() => this.pendingCount--);
  }

  private async run(build: OpsBuilder): Promise<UpdateOutcome> {
    for (let attempt = 1; ; attempt++) {
      const state = this.deps.state();
      const baseVersion = this.deps.version();
      const ops = build(state);
      if (ops === null) {
        this.stats.stale++;
        return { status: "stale", attempts: attempt };
      }
      if (ops.length === 0) return { status: "unchanged" };
      try {
        this.stats.sent++;
        const reply = await this.deps.send(baseVersion, ops);
        // The reply can arrive before the patch that carries it: wait for it, so the next intent
        // (and the caller) builds on a state that includes this update instead of conflicting.
        await this.caughtUp(reply.version);
        return { status: "applied", version: reply.version, attempts: attempt };
      } catch (err) {
        const error = err as ErrorBody;
        if (error.code !== "VERSION_CONFLICT" || attempt >= MAX_ATTEMPTS) {
          this.stats.failed++;
          return { status: "failed", error, attempts: attempt };
        }
        this.stats.conflicts++;
        const current = Number(error.details?.["currentVersion"]);
        await this.caughtUp(Number.isFinite(current) ? current : baseVersion + 1);
      }
    }
  }

  /** Resolves once the decoded state is at `version` or later (or after a timeout: the retry then conflicts again). */
  private caughtUp(version: number): Promise<void> {
    if (this.deps.version() >= version) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        off();
        resolve();
      };
      const timer = setTimeout(done, CATCH_UP_TIMEOUT_MS);
      const off = this.deps.onPatch(() => {
        if (this.deps.version() >= version) done();
      });
    });
  }
}
