/**
 * A lock file next to PGlite's folder. PGlite takes no lock of its own: two processes on one
 * DATA_DIR would each run PostgreSQL over the same files and corrupt them. The file names the
 * process holding it; a lock whose process is gone (a crash, kill -9) is taken over.
 */
import { hostname } from "node:os";
import { linkSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";

export class DirLockedError extends Error {
  override readonly name = "DirLockedError";

  constructor(
    readonly lockFile: string,
    readonly holder: LockHolder,
  ) {
    super(`${lockFile} is held by process ${holder.pid} (since ${holder.since})`);
  }
}

export interface LockHolder {
  pid: number;
  host: string;
  since: string;
}

/** Locks this process holds, so a second open within one process is refused too. */
const held = new Set<string>();

/** Takes the lock or throws DirLockedError; returns its release (also done at process exit). */
export function lockDir(lockFile: string): () => void {
  const file = resolve(lockFile);
  const mine: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    if (tryCreate(file, mine)) break;
    const holder = readHolder(file);
    if (holder && (held.has(file) || (holder.pid !== process.pid && isAlive(holder.pid)))) throw new DirLockedError(file, holder);
    // The holder is gone (or it is this pid from an earlier life, as in a restarted container).
    if (attempt > 0) throw new DirLockedError(file, holder ?? { pid: 0, host: "?", since: "?" });
    removeIfSame(file, holder);
  }
  held.add(file);
  const release = () => {
    if (!held.delete(file)) return;
    process.off("exit", release);
    removeIfSame(file, mine);
  };
  process.on("exit", release);
  return release;
}

/** Creates the file with its content in one step (link fails if it exists), so nobody reads it half-written. */
function tryCreate(file: string, holder: LockHolder): boolean {
  const draft = `${file}.${process.pid}.${Date.now()}`;
  writeFileSync(draft, JSON.stringify(holder) + "\n", { mode: 0o600 });
  try {
    linkSync(draft, file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  } finally {
    unlinkSync(draft);
  }
}

function readHolder(file: string): LockHolder | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as Partial<LockHolder>;
    if (typeof parsed.pid !== "number") return undefined;
    return { pid: parsed.pid, host: String(parsed.host ?? "?"), since: String(parsed.since ?? "?") };
  } catch {
    return undefined;
  }
}

function removeIfSame(file: string, holder: LockHolder | undefined): void {
  const current = readHolder(file);
  // Someone else took it since we looked: theirs now.
  if (current && !(holder && current.pid === holder.pid && current.since === holder.since)) return;
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else, which still counts as holding the lock.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
