/**
 * Gives memory back once nobody is connected. V8 grows its young generation during start-up and
 * under load and keeps the pages a collection freed pooled for reuse; an idle server never needs
 * them again and never returns them (measured: a server restarted on its data folder held about
 * 15 MB more, idle, than one on a new folder, all of it in V8's pages). The collection V8 runs
 * before giving up on memory ("last resort") shrinks the young generation and returns the pooled
 * pages. It stops the process for tens of milliseconds, so it runs only when nothing has been going
 * on for a while (no client connected, no room open: a join in flight has its seat reserved in a
 * room, a dropped player's seat is held in one), once per such quiet spell. It needs `globalThis.gc` (`--expose-gc`,
 * which `npm start` passes); without it nothing runs.
 */
import { memoryUsage } from "node:process";

/** When a release is due: a pure clock over how busy the server is (clients and rooms). */
export class QuietSpell {
  private quietSince: number | undefined;
  private released = false;

  constructor(private readonly quietMs: number) {}

  /** True exactly once per spell with nothing going on, `quietMs` after it began. */
  due(busy: number, nowMs: number): boolean {
    if (busy > 0) {
      this.quietSince = undefined;
      this.released = false;
      return false;
    }
    this.quietSince ??= nowMs;
    if (this.released || nowMs - this.quietSince < this.quietMs) return false;
    this.released = true;
    return true;
  }
}

export interface MemoryRelease {
  ms: number;
  rssBeforeBytes: number;
  rssAfterBytes: number;
}

export interface IdleMemoryReleaseOptions {
  /** Seconds with nothing going on before memory is given back; 0 turns the release off. */
  quietSeconds: number;
  /** Clients connected plus rooms open: the release waits for a spell of 0. */
  busy: () => number;
  collect: NodeJS.GCFunction | undefined;
  onRelease: (release: MemoryRelease) => void;
  /** How often `busy` is read. */
  checkEveryMs?: number;
}

/** Starts watching; the timer never keeps the process alive. Returns a stop function. */
export function startIdleMemoryRelease(options: IdleMemoryReleaseOptions): () => void {
  const { collect } = options;
  if (options.quietSeconds === 0 || !collect) return () => undefined;
  const spell = new QuietSpell(options.quietSeconds * 1000);
  const timer = setInterval(() => {
    if (!spell.due(options.busy(), Date.now())) return;
    const rssBeforeBytes = memoryUsage.rss();
    const started = performance.now();
    collect({ type: "major", execution: "sync", flavor: "last-resort" });
    options.onRelease({ ms: performance.now() - started, rssBeforeBytes, rssAfterBytes: memoryUsage.rss() });
  }, options.checkEveryMs ?? 1000);
  timer.unref();
  return () => clearInterval(timer);
}
