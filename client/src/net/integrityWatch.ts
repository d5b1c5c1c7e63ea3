/**
 * The periodic integrity check of the joined room (./integrity.ts does one check): counts checks
 * and mismatches, and asks the link to resync on a mismatch.
 */
import { typedRequests, type LifecycleContract } from "@tavern/shared/contract";
import { lifecycleView, type JoinedRoom } from "./joined";
import { checkSpaceIntegrity, checkTableIntegrity, type IntegrityResult } from "./integrity";

const INTEGRITY_INTERVAL_MS = 10_000;

export interface IntegrityDeps {
  selfId(): string;
  joined(): JoinedRoom | undefined;
  /** Joins the room again to get a fresh state. */
  resync(joined: JoinedRoom): Promise<void>;
}

export class IntegrityWatch {
  /** Times a check found a mismatch and resynced. */
  resyncs = 0;
  checks = 0;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly deps: IntegrityDeps) {}

  /** Checks this room at intervals (until stop) and when a GM hands the role over. */
  start(joined: JoinedRoom): void {
    this.stop();
    if (joined.type === "table") {
      // A GM who hands the role over keeps the GM-only part it was sent, no longer updated: check
      // at once (rather than at the next interval) so that the resync drops it. The listener goes
      // with the room's own when the link lets go of it.
      let wasGm = joined.room.state.hostId === this.deps.selfId();
      joined.room.onStateChange(() => {
        const gm = joined.room.state.hostId === this.deps.selfId();
        if (wasGm && !gm && joined.room.state.gm) void this.check();
        wasGm = gm;
      });
    }
    this.timer = setInterval(() => void this.check(), INTEGRITY_INTERVAL_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Checks the decoded state against the server's hash; resyncs (joins again) on a mismatch. */
  async check(): Promise<boolean> {
    const joined = this.deps.joined();
    if (!joined || !joined.room.connection.isOpen) return true;
    const result: IntegrityResult =
      joined.type === "table" ? checkTableIntegrity(joined.room, this.deps.selfId()) : await checkSpaceIntegrity(lifecycleView(joined));
    if (result === "unknown") return true;
    this.checks++;
    if (result === "ok" || this.deps.joined() !== joined) return true;
    this.resyncs++;
    // Told before the resync, on the connection that saw it: the operators count these (docs/alerts.yml).
    typedRequests<LifecycleContract>(lifecycleView(joined))("integrityMismatch").catch(() => {});
    console.warn(`[tavern] decoded state of ${joined.room.state.code} does not match the server's hash: joining again`);
    await this.deps.resync(joined);
    return false;
  }
}
