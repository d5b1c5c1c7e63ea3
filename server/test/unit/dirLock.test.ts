import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DirLockedError, lockDir } from "../../src/persistence/dirLock";

/** The pid of a process that has exited (and so holds nothing). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
  return Number(child.stdout.toString());
}

describe("the lock of a PGlite folder", () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "tavern-lock-"));
    file = join(dir, "pglite.lock");
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("names its process, refuses a second holder, and is gone once released", () => {
    const release = lockDir(file);
    assert.equal(JSON.parse(readFileSync(file, "utf8")).pid, process.pid);
    assert.throws(
      () => lockDir(file),
      (err: unknown) => err instanceof DirLockedError && err.holder.pid === process.pid,
    );
    release();
    assert.equal(existsSync(file), false);
    lockDir(file)();
  });

  it("refuses while another live process holds it", () => {
    writeFileSync(file, JSON.stringify({ pid: process.ppid, host: "h", since: "earlier" }));
    assert.throws(
      () => lockDir(file),
      (err: unknown) => err instanceof DirLockedError && err.holder.pid === process.ppid,
    );
    assert.equal(JSON.parse(readFileSync(file, "utf8")).pid, process.ppid, "the holder's lock is left alone");
  });

  it("takes over a lock whose process is gone (a crash)", () => {
    writeFileSync(file, JSON.stringify({ pid: deadPid(), host: "h", since: "earlier" }));
    const release = lockDir(file);
    assert.equal(JSON.parse(readFileSync(file, "utf8")).pid, process.pid);
    release();
  });

  it("takes over a lock of this pid from an earlier life (a restarted container reuses pids)", () => {
    writeFileSync(file, JSON.stringify({ pid: process.pid, host: "h", since: "earlier" }));
    const release = lockDir(file);
    assert.notEqual(JSON.parse(readFileSync(file, "utf8")).since, "earlier");
    release();
  });

  it("takes over a lock file that is not one (garbage)", () => {
    writeFileSync(file, "not json");
    lockDir(file)();
  });
});
