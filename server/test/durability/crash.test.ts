/**
 * Crash durability of table sessions: a GM streams updates (one in flight at a time) into the real
 * server process, which is killed with SIGKILL at a random moment, restarted on the same DATA_DIR
 * (or PostgreSQL database) and reopened by the session's code. Every acknowledged update must
 * survive; the one in flight may or may not have been stored, but never twice.
 *
 * Each update sets the title and a character's hp to a sequence number and pushes that number to
 * `plugin.applied`, so every update changes the hash, the state shows a double application, and
 * each log record names the update it came from. The test keeps its own copy of the document
 * (applying the same ops with the engine), so it knows the hash the in-flight update would give.
 *
 * CRASH_ROUNDS (default 5) and CRASH_SEED (default random, printed) reproduce a run.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { docFromState } from "@tavern/shared/table/fromState";
import { hashTable } from "@tavern/shared/table/hash";
import type { TableDoc } from "@tavern/shared/table/document";
import type { Operation, UpdateRecord, UpdateReply } from "@tavern/shared/table/operations";
import { applyOperations } from "../../src/domain/table/engine";
import { genericPlugin } from "../../src/domain/table/plugins/generic";
import {
  durabilityDatabases,
  leaveQuietly,
  openTable,
  signInGuest,
  startServerProcess,
  waitUntil,
  withTimeout,
  type DurabilityDatabase,
  type OpenedTable,
  type ServerProcess,
  type TableClient,
} from "../support/serverProcess";

const ROUNDS = Number(process.env["CRASH_ROUNDS"] ?? 5);
const SEED = Number(process.env["CRASH_SEED"] ?? Math.floor(Math.random() * 2 ** 31));
const KILL_AFTER_MS = { min: 50, max: 600 };
/** Small, so periodic snapshots are written (in the background) while updates stream and crash. */
const SNAPSHOT_EVERY = 7;

/** mulberry32: a seeded generator, so a failing schedule of kills can be replayed. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Acked {
  version: number;
  hash: string;
  /** The sequence number of a streamed update; undefined for the set-up updates. */
  seq: number | undefined;
}

interface InFlight {
  seq: number;
  baseVersion: number;
  ops: Operation[];
  /** The document and hash the server has if it applied this update. */
  doc: TableDoc;
  hash: string;
}

type Outcome = "applied" | "not applied" | "none in flight";

interface RoundResult {
  round: number;
  inFlight: InFlight | undefined;
  outcome: Outcome;
}

/** What the test knows the session holds: every acknowledged version, and the document at the last. */
interface Model {
  doc: TableDoc;
  version: number;
  hash: string;
  acked: Acked[];
  /** Sequence numbers applied, in order: what `plugin.applied` must hold. */
  applied: number[];
  seq: number;
  characterId: string;
}

function opsFor(seq: number, characterId: string): Operation[] {
  return [
    { op: "set", path: "title", value: `Crash test #${seq}` },
    { op: "set", path: `characters.${characterId}.hp`, value: seq },
    { op: "push", path: "plugin.applied", value: seq },
  ];
}

/** The sequence number a stored update carries (its push onto plugin.applied), if any. */
function seqOf(record: UpdateRecord): number | undefined {
  const push = record.ops.find((op) => op.op === "push" && op.path === "plugin.applied");
  return push && "value" in push && typeof push.value === "number" ? push.value : undefined;
}

function accept(model: Model, version: number, hash: string, doc: TableDoc, seq: number | undefined): void {
  model.acked.push({ version, hash, seq });
  model.doc = doc;
  model.version = version;
  model.hash = hash;
  if (seq !== undefined) model.applied.push(seq);
}

function isConnectionLoss(err: unknown): boolean {
  return err instanceof Error && err.name !== "rejected" && /connection (closed|is not open)/.test(err.message);
}

function describeError(err: unknown): string {
  const e = err as { name?: string; message?: string; reason?: unknown };
  return e?.name === "rejected" ? `refused: ${JSON.stringify(e.reason)}` : String(e?.message ?? err);
}

/**
 * Streams updates, one in flight at a time, until the connection goes; the server is killed
 * `killAfterMs` after the start. Like a real client, the loop does not know about the kill: a reply
 * that still arrives is accepted and the next update is sent. Returns the update that was sent and
 * never answered (if any).
 */
async function streamUntilKilled(
  room: TableClient,
  model: Model,
  server: ServerProcess,
  killAfterMs: number,
): Promise<{ inFlight: InFlight | undefined; count: number }> {
  let killRequested = false;
  const killer = (async () => {
    await sleep(killAfterMs);
    killRequested = true;
    const exit = await server.kill();
    assert.equal(exit.signal, "SIGKILL", "the server died of the SIGKILL");
  })();
  let count = 0;
  try {
    for (;;) {
      const seq = ++model.seq;
      const ops = opsFor(seq, model.characterId);
      const doc = applyOperations(model.doc, ops, genericPlugin);
      const update: InFlight = { seq, baseVersion: model.version, ops, doc, hash: hashTable(doc) };
      let reply: UpdateReply;
      try {
        reply = (await room.request("update", { baseVersion: update.baseVersion, ops }, { timeout: 10_000 })) as UpdateReply;
      } catch (err) {
        if (killRequested && isConnectionLoss(err)) {
          // "not open": the socket was already closed, so this one never left the client.
          const sent = !(err instanceof Error && /is not open/.test(err.message));
          return { inFlight: sent ? update : undefined, count };
        }
        throw new Error(
          `update #${seq} on v${update.baseVersion} failed ${killRequested ? "after" : "before"} the kill: ${describeError(err)}`,
          { cause: err },
        );
      }
      assert.equal(reply.version, update.baseVersion + 1, `update #${seq} acknowledged as the next version`);
      assert.equal(reply.hash, update.hash, `update #${seq}: the acknowledged hash is the one its ops give`);
      accept(model, reply.version, reply.hash, doc, seq);
      count++;
    }
  } finally {
    await killer;
  }
}

interface LogFindings {
  head: number;
  /** The outcome of the current round's in-flight update as the log shows it. */
  current: Outcome;
}

/**
 * Checks the stored log against everything the test knows: versions 1..head each once, the head
 * row agrees with the last record, every acknowledged version is there with its hash and update,
 * no update is stored twice, and each earlier round's in-flight update is there exactly when the
 * reopened session had it. `current` is the in-flight update of a round not yet reopened.
 */
async function checkLog(
  db: DurabilityDatabase,
  dataDir: string,
  code: string,
  model: Model,
  rounds: RoundResult[],
  current: InFlight | undefined,
): Promise<LogFindings> {
  const opened = await withTimeout(db.open(dataDir), 30_000, `opening ${db.name}`);
  try {
    const sessionId = await opened.store.idForCode(code);
    assert.ok(sessionId, `a stored session has the code ${code}`);
    const stored = await opened.store.load(sessionId);
    assert.ok(stored);
    const log = await opened.store.log(sessionId);
    const head = log.length;
    assert.deepEqual(
      log.map((r) => r.version),
      Array.from({ length: head }, (_, i) => i + 1),
      "the log holds versions 1..head, each once",
    );
    assert.equal(stored.meta.headVersion, head, "the session row's head is the last logged version");
    assert.equal(stored.meta.headHash, log.at(-1)?.hash, "the session row's head hash is the last logged hash");

    for (const a of model.acked) {
      const record = log[a.version - 1];
      assert.ok(record, `acknowledged v${a.version}${a.seq === undefined ? "" : ` (#${a.seq})`} is in the log (the log ends at v${head})`);
      assert.equal(record.hash, a.hash, `logged hash of acknowledged v${a.version}`);
      assert.equal(seqOf(record), a.seq, `v${a.version} in the log is the update acknowledged as v${a.version}`);
    }
    const seqs = log.map(seqOf).filter((s): s is number => s !== undefined);
    const repeated = seqs.filter((s, i) => seqs.indexOf(s) !== i);
    assert.deepEqual(repeated, [], "no update is stored twice");
    for (const r of rounds) {
      if (!r.inFlight) continue;
      const times = seqs.filter((s) => s === r.inFlight!.seq).length;
      assert.equal(
        times,
        r.outcome === "applied" ? 1 : 0,
        `round ${r.round}'s in-flight #${r.inFlight.seq} (${r.outcome} on reopen) is stored ${r.outcome === "applied" ? "once" : "nowhere"}`,
      );
    }

    let outcome: Outcome = "none in flight";
    if (current) {
      assert.ok(
        head === model.version || head === model.version + 1,
        `the log ends at v${head}: v${model.version} was acknowledged, one update in flight`,
      );
      if (head === model.version + 1) {
        const record = log[head - 1]!;
        assert.equal(seqOf(record), current.seq, `v${head} is the in-flight update #${current.seq}`);
        assert.equal(record.hash, current.hash, `the stored in-flight update has the hash its ops give`);
        outcome = "applied";
      } else {
        outcome = "not applied";
      }
    } else {
      assert.equal(head, model.version, `the log ends at the last acknowledged version v${model.version}`);
    }
    return { head, current: outcome };
  } finally {
    await opened.close();
  }
}

/** The reopened session is the acknowledged one, or that plus the in-flight update, and the GM's copy hashes right. */
async function checkReopened(table: OpenedTable, model: Model, inFlight: InFlight | undefined, gmPlayerId: string): Promise<Outcome> {
  const state = table.room.state;
  const gmPart = state.gm;
  assert.ok(gmPart, "the GM receives the GM-only part");
  const version = gmPart.version;
  assert.ok(
    version >= model.version,
    `acknowledged update lost: the session reopened at v${version}, but v${model.version} was acknowledged`,
  );
  let outcome: Outcome;
  if (!inFlight) {
    assert.equal(version, model.version, "nothing was in flight: the session reopens at the last acknowledged version");
    outcome = "none in flight";
  } else {
    assert.ok(
      version <= model.version + 1,
      `the session reopened at v${version}: beyond the acknowledged v${model.version} plus the one in flight (applied twice?)`,
    );
    outcome = version === model.version + 1 ? "applied" : "not applied";
  }
  if (outcome === "applied") {
    assert.equal(gmPart.hash, inFlight!.hash, `reopened at v${version}: the hash is the in-flight update's`);
    accept(model, version, gmPart.hash, inFlight!.doc, inFlight!.seq);
  } else {
    assert.equal(gmPart.hash, model.hash, `reopened at the acknowledged v${version}: same hash as acknowledged`);
  }
  // Nothing is hidden in this session, so every change was a public one: a reopen that replayed
  // the log counted the public version on to the same number.
  assert.equal(state.publicVersion, version, "the public version survives the crash and the replay");
  await waitUntil("the GM's rebuilt document to hash to gm.hash", () => hashTable(docFromState(state)) === gmPart.hash, 5000).catch(
    () => undefined,
  );
  assert.equal(hashTable(docFromState(state)), gmPart.hash, "the GM's rebuilt document hashes to the server's hash");
  assert.deepEqual(
    JSON.parse(state.plugin.get("applied") ?? "null"),
    model.applied,
    "plugin.applied holds each applied update once, in order",
  );
  assert.equal(state.hostId, gmPlayerId, "the GM keeps the session");
  assert.equal(state.players.get(gmPlayerId)?.role, "host", "the GM is seated as the host");
  return outcome;
}

for (const { name, make } of durabilityDatabases()) {
  describe(`durability on ${name}: SIGKILL while a GM streams updates`, function () {
    let db: DurabilityDatabase | undefined;
    let server: ServerProcess | undefined;
    let gm: OpenedTable | undefined;
    let dataDir = "";

    before(() => {
      dataDir = mkdtempSync(join(tmpdir(), "tavern-crash-"));
    });

    afterEach(function () {
      if (this.currentTest?.state === "failed" && server) {
        console.log(`--- last lines of the server (${name}, DATA_DIR ${dataDir}, CRASH_SEED=${SEED}) ---\n${server.tail(80)}\n---`);
      }
    });

    after(async () => {
      if (gm) await leaveQuietly(gm.room);
      await server?.kill();
      await db?.dispose();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    it(`every acknowledged update survives ${ROUNDS} kills; the one in flight is stored at most once`, async function () {
      this.timeout(100_000);
      const started = performance.now();
      const random = seededRandom(SEED);
      db = await make();
      server = await startServerProcess({ dataDir, databaseUrl: db.databaseUrl, env: { SNAPSHOT_EVERY: String(SNAPSHOT_EVERY) } });
      const session = await signInGuest(server.url, "Crash GM");
      gm = await openTable(server.url, session.token, { title: "Crash test" });
      const code = gm.room.state.code;

      // Set-up: a character (v1) and the list each update pushes to (v2).
      const created = (await gm.room.request("create", { collection: "characters", fields: { name: "Aria" } })) as UpdateReply & {
        id: string;
      };
      assert.equal(created.version, 1);
      await waitUntil("the GM's state at v1", () => gm!.room.state.gm?.version === 1);
      const doc1 = docFromState(gm.room.state);
      assert.equal(hashTable(doc1), created.hash, "the GM's rebuilt document hashes to the acknowledged hash");
      const model: Model = {
        doc: doc1,
        version: 1,
        hash: created.hash,
        acked: [{ version: 1, hash: created.hash, seq: undefined }],
        applied: [],
        seq: 0,
        characterId: created.id,
      };
      const listOps: Operation[] = [{ op: "set", path: "plugin.applied", value: [] }];
      const doc2 = applyOperations(model.doc, listOps, genericPlugin);
      const listed = (await gm.room.request("update", { baseVersion: 1, ops: listOps })) as UpdateReply;
      // Nothing is hidden in this session: the public version and hash are the whole ones.
      assert.deepEqual(listed, { version: 2, hash: hashTable(doc2), publicVersion: 2, publicHash: hashTable(doc2) });
      accept(model, 2, listed.hash, doc2, undefined);

      console.log(`    [${name}] ${ROUNDS} rounds, CRASH_SEED=${SEED}, session ${code}, SNAPSHOT_EVERY=${SNAPSHOT_EVERY}`);
      const rounds: RoundResult[] = [];
      for (let round = 1; round <= ROUNDS; round++) {
        const firstVersion = model.version;
        const killAfterMs = Math.round(KILL_AFTER_MS.min + random() * (KILL_AFTER_MS.max - KILL_AFTER_MS.min));
        const { inFlight, count } = await streamUntilKilled(gm.room, model, server, killAfterMs);
        gm = undefined;
        const context = `round ${round} (acknowledged up to v${model.version}, in flight ${inFlight ? `#${inFlight.seq} on v${inFlight.baseVersion}` : "none"}, SIGKILL at ${killAfterMs} ms)`;
        try {
          // PostgreSQL is read as the crash left it. PGlite (one process owns its folder) is read
          // before the restart in odd rounds; in even rounds the server is the first to open the
          // folder after the crash, and the log is checked at the next look.
          let fromLog: LogFindings | undefined;
          const lookAt = performance.now();
          if (!db.exclusive || round % 2 === 1) fromLog = await checkLog(db, dataDir, code, model, rounds, inFlight);
          const lookMs = performance.now() - lookAt;

          const restartAt = performance.now();
          await server.restart();
          const reopenAt = performance.now();
          gm = await openTable(server.url, session.token, { code });
          const reopenedMs = performance.now() - reopenAt;
          const ackedBeforeReopen = model.version;
          const outcome = await checkReopened(gm, model, inFlight, session.playerId);
          if (fromLog) assert.equal(outcome, fromLog.current, "the reopened session and the log agree on the in-flight update");
          rounds.push({ round, inFlight, outcome });

          const inFlightText = inFlight
            ? `#${inFlight.seq} on v${inFlight.baseVersion} ${outcome}${outcome === "applied" ? " (once)" : ""}`
            : "none";
          console.log(
            `    [${name}] round ${round}: acked v${firstVersion}→v${ackedBeforeReopen} (${count} updates), SIGKILL at ${killAfterMs} ms; ` +
              `in flight: ${inFlightText}; reopened at v${gm.room.state.gm?.version} ` +
              `(restart ${((reopenAt - restartAt) / 1000).toFixed(1)} s, reopen ${Math.round(reopenedMs)} ms); ` +
              `log ${fromLog ? `checked as the crash left it (${(lookMs / 1000).toFixed(1)} s)` : "checked at the next look"}`,
          );
        } catch (err) {
          if (err instanceof Error) err.message = `${context}: ${err.message}`;
          throw err;
        }
      }

      // The last look: a graceful stop, then the whole log (this covers the rounds not looked at).
      await leaveQuietly(gm.room);
      gm = undefined;
      const exit = await server.stop();
      assert.equal(exit.code, 0, "graceful stop exits 0");
      const final = await checkLog(db, dataDir, code, model, rounds, undefined);
      const applied = rounds.filter((r) => r.outcome === "applied").length;
      console.log(
        `    [${name}] done in ${((performance.now() - started) / 1000).toFixed(1)} s: ${model.acked.length} versions acknowledged or confirmed, ` +
          `log ends at v${final.head}, in-flight updates applied in ${applied}/${rounds.length} rounds`,
      );
    });
  });
}
