/**
 * The knocks waiting at a locked room's door. Each knock is a promise the knocker's join waits on:
 * it resolves when the host lets them in (or the room is unlocked) and rejects with a typed error
 * when the host turns them away, nobody answers in time, or the knock ends otherwise. A knock that
 * ends leaves nothing behind: no seat, no list entry, no timer.
 */
import { randomBytes } from "node:crypto";
import { TavernError } from "@tavern/shared/errors";
import type { KnockSummary } from "@tavern/shared/protocol";

export interface Knocker {
  playerId: string;
  name: string;
  spectator: boolean;
}

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export interface KnockQueueOptions {
  timeoutMs: number;
  /** Knocks waiting at once; one more is refused (RATE_LIMITED) rather than held. */
  max: number;
  /** The list changed (a knock arrived or ended): the host should see the new one. */
  onChange: () => void;
  timers?: Timers;
  now?: () => number;
}

interface Pending {
  summary: KnockSummary;
  playerId: string;
  timer: unknown;
  settle(error: TavernError | undefined): void;
}

const realTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class KnockQueue {
  private readonly pending = new Map<string, Pending>();
  private readonly timers: Timers;
  private readonly now: () => number;

  constructor(private readonly options: KnockQueueOptions) {
    this.timers = options.timers ?? realTimers;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.pending.size;
  }

  /** What the host sees: names and when, oldest first; nothing about the room goes the other way. */
  list(): KnockSummary[] {
    return [...this.pending.values()].map((p) => ({ ...p.summary }));
  }

  /**
   * Starts a knock. `admitted` resolves when the knocker may go on to take a seat and rejects
   * with a TavernError otherwise. The same player knocking again (another tab, a reload before
   * the old socket closed) replaces their earlier knock, so the host sees each person once.
   */
  knock(knocker: Knocker): { id: string; admitted: Promise<void> } {
    const earlier = [...this.pending.values()].find((p) => p.playerId === knocker.playerId);
    if (this.pending.size - (earlier ? 1 : 0) >= this.options.max) {
      throw new TavernError("RATE_LIMITED", "Too many people are waiting to be let into this room: try again in a moment.");
    }
    if (earlier) {
      this.end(
        earlier.summary.id,
        new TavernError("KNOCK_UNANSWERED", "You knocked again from another tab or window; this knock was withdrawn."),
        false,
      );
    }
    const id = randomBytes(9).toString("base64url");
    let settle!: (error: TavernError | undefined) => void;
    const admitted = new Promise<void>((resolve, reject) => {
      settle = (error) => (error ? reject(error) : resolve());
    });
    const timer = this.timers.set(() => {
      const seconds = Math.round(this.options.timeoutMs / 1000);
      this.end(id, new TavernError("KNOCK_UNANSWERED", `The host did not answer within ${seconds} seconds: try again later.`));
    }, this.options.timeoutMs);
    this.pending.set(id, {
      summary: { id, name: knocker.name, spectator: knocker.spectator, at: this.now() },
      playerId: knocker.playerId,
      timer,
      settle,
    });
    this.options.onChange();
    return { id, admitted };
  }

  /** The host's answer; false when the knock is no longer waiting. */
  answer(id: string, admit: boolean): boolean {
    if (!this.pending.has(id)) return false;
    this.end(id, admit ? undefined : new TavernError("KNOCK_DENIED", "The host did not let you in."));
    return true;
  }

  /** The knocker gave up (closed the connection): the knock is dropped without a trace. */
  withdraw(id: string): void {
    this.end(id, new TavernError("KNOCK_UNANSWERED", "The knock was withdrawn."));
  }

  /** The room was unlocked: everyone waiting goes on in. */
  admitAll(): void {
    this.endAll(undefined);
  }

  /** Ends every knock with this error (nobody left to answer, the room is closing). */
  endAll(error: TavernError | undefined): void {
    if (this.pending.size === 0) return;
    for (const id of [...this.pending.keys()]) this.end(id, error, false);
    this.options.onChange();
  }

  private end(id: string, error: TavernError | undefined, notify = true): void {
    const knock = this.pending.get(id);
    if (!knock) return;
    this.pending.delete(id);
    this.timers.clear(knock.timer);
    knock.settle(error);
    if (notify) this.options.onChange();
  }
}
