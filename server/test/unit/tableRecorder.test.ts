import assert from "node:assert/strict";
import { TavernError } from "@tavern/shared/errors";
import { emptyTable } from "@tavern/shared/table/document";
import type { StoredRoomSettings } from "@tavern/shared/table/journal";
import { TableSession } from "../../src/domain/table/session";
import { genericPlugin } from "../../src/domain/table/plugins/generic";
import { createLogger } from "../../src/logger";
import type { SessionStore } from "../../src/persistence/sessionStore";
import { TableRecorder, type UnsavedWhat } from "../../src/persistence/tableRecorder";
import type { RetryTools } from "../../src/persistence/backgroundWrites";
import { Metrics } from "../../src/observability/metrics";

/** The store calls the recorder makes, in order; `fail` makes the next call of a method throw. */
function fakeStore() {
  const calls: Array<{ method: string; args: unknown[] }> = [];
  const fail = new Map<string, unknown>();
  /** A method's next N calls throw (retries included). */
  const failTimes = new Map<string, number>();
  const record =
    (method: string) =>
    async (...args: unknown[]): Promise<void> => {
      calls.push({ method, args });
      const err = fail.get(method);
      if (err !== undefined) {
        fail.delete(method);
        throw err;
      }
      const times = failTimes.get(method) ?? 0;
      if (times > 0) {
        failTimes.set(method, times - 1);
        throw Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
      }
    };
  const store = {
    create: record("create"),
    append: record("append"),
    snapshot: record("snapshot"),
    saveRoomSettings: record("saveRoomSettings"),
    appendJournal: record("appendJournal"),
    setGm: record("setGm"),
  };
  // The recorder uses only these methods of the store.
  return { store: store as unknown as SessionStore, calls, fail, failTimes, methods: () => calls.map((c) => c.method) };
}

function setup(snapshotEvery = 3) {
  const fake = fakeStore();
  let code = "ABCDEF";
  const settings: StoredRoomSettings = { config: {}, kicked: [], kickedDevices: [] };
  const told: Array<{ what: UnsavedWhat; error: unknown }> = [];
  const savedAgain: UnsavedWhat[] = [];
  const room = {
    gm: "gm",
    log: () => createLogger("silent"),
    code: () => code,
    gmPlayerId: () => room.gm,
    settings: () => settings,
    replaceCode: async () => {
      code = "GHJKLM";
    },
    notSaved: (what: UnsavedWhat, error: unknown) => void told.push({ what, error }),
    savedAgain: (what: UnsavedWhat) => void savedAgain.push(what),
  };
  const metrics = new Metrics();
  const retry: RetryTools = { policy: { attempts: 3, firstDelayMs: 1, factor: 2, maxDelayMs: 10 }, sleep: async () => {}, random: () => 0 };
  const recorder = new TableRecorder(fake.store, snapshotEvery, room, { metrics, retry });
  const session = new TableSession(emptyTable("T", "generic"), { version: 0, publicVersion: 0 }, genericPlugin);
  recorder.startNew(session);
  return { ...fake, recorder, session, room, told, savedAgain, metrics };
}

/** Lets a snapshot started without waiting (gmLeft, a periodic one) finish. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

async function update(session: TableSession, recorder: TableRecorder, title: string): Promise<void> {
  await recorder.beforeUpdate();
  await recorder.updateAccepted(session.prepare([{ op: "set", path: "title", value: title }], { authorId: "gm", kind: "update" }));
}

describe("table recorder", () => {
  it("stores a new session only once its GM joined, once, and writes journal and settings only after", async () => {
    const { recorder, calls, methods } = setup();
    recorder.rolled({ playerId: "p", name: "P", label: "", expression: "1d6", detail: "1d6: [3] = 3", total: 3, at: 1 });
    recorder.settingsChanged();
    recorder.gmLeft();
    await recorder.closing();
    assert.deepEqual(methods(), [], "nothing is stored for a table its GM never took up");

    recorder.gmJoined();
    recorder.gmJoined();
    await recorder.beforeUpdate();
    recorder.chatted({ playerId: "p", name: "P", text: "hi", at: 2 });
    await recorder.closing();
    assert.deepEqual(methods(), ["create", "saveRoomSettings", "appendJournal"]);
    const created = calls[0]!.args[0] as { code: string; gmPlayerId: string; id: string };
    assert.equal(created.code, "ABCDEF");
    assert.equal(created.gmPlayerId, "gm");
    assert.equal(created.id, recorder.sessionId);
  });

  it("takes another code when a stored session owns the room's, and says PERSISTENCE_ERROR after other failures", async () => {
    const { recorder, calls, fail } = setup();
    fail.set("create", Object.assign(new Error("duplicate key"), { code: "23505" }));
    await recorder.beforeUpdate();
    const codes = calls.filter((c) => c.method === "create").map((c) => (c.args[0] as { code: string }).code);
    assert.deepEqual(codes, ["ABCDEF", "GHJKLM"]);

    const other = setup();
    other.fail.set("create", new Error("connection lost"));
    await assert.rejects(other.recorder.beforeUpdate(), (err) => err instanceof TavernError && err.code === "PERSISTENCE_ERROR");
    // A later write tries again.
    await other.recorder.beforeUpdate();
    assert.equal(other.calls.filter((c) => c.method === "create").length, 2);
  });

  it("appends an update before applying it; one the store refuses is not applied", async () => {
    const { recorder, session, fail, methods } = setup();
    await update(session, recorder, "One");
    assert.equal(session.version, 1);
    assert.equal(session.doc.title, "One");
    fail.set("append", new Error("disk full"));
    await assert.rejects(update(session, recorder, "Two"), (err) => err instanceof TavernError && err.code === "PERSISTENCE_ERROR");
    assert.equal(session.version, 1);
    assert.equal(session.doc.title, "One");
    assert.deepEqual(methods(), ["create", "saveRoomSettings", "append", "append"]);
  });

  it("snapshots every snapshotEvery updates and at the named moments, never the same version twice", async () => {
    const { recorder, session, calls } = setup(3);
    const snapshots = () => calls.filter((c) => c.method === "snapshot").map((c) => (c.args[1] as { version: number }).version);
    for (const title of ["a", "b", "c"]) await update(session, recorder, title);
    await settle();
    assert.deepEqual(snapshots(), [3], "periodic, at the third update");
    recorder.gmLeft();
    await settle();
    await recorder.shuttingDown();
    assert.deepEqual(snapshots(), [3], "nothing new to snapshot");
    await update(session, recorder, "d");
    recorder.gmDropped();
    await settle();
    await recorder.closing();
    assert.deepEqual(snapshots(), [3, 4]);
    await update(session, recorder, "e");
    recorder.sessionFinished();
    await settle();
    await recorder.shuttingDown();
    await recorder.closing();
    assert.deepEqual(snapshots(), [3, 4, 5]);
  });

  async function counted(metrics: Metrics, operation: string, outcome: string): Promise<number> {
    const { values } = await metrics.backgroundWrites.get();
    return values.find((v) => v.labels.operation === operation && v.labels.outcome === outcome)?.value ?? 0;
  }

  it("a journal line the store fails is tried again; one that still fails is counted and told once, and again after one landed", async () => {
    const { recorder, failTimes, calls, told, savedAgain, metrics } = setup();
    await recorder.beforeUpdate();
    const journalCalls = () => calls.filter((c) => c.method === "appendJournal").length;

    failTimes.set("appendJournal", 2);
    recorder.chatted({ playerId: "p", name: "P", text: "saved on the third try", at: 1 });
    await recorder.closing();
    assert.equal(journalCalls(), 3);
    assert.equal(told.length, 0);
    assert.equal(await counted(metrics, "journal", "retried"), 1);

    failTimes.set("appendJournal", 3 + 1 + 1);
    recorder.chatted({ playerId: "p", name: "P", text: "lost", at: 2 });
    recorder.chatted({ playerId: "p", name: "P", text: "lost too (one try: the database is down)", at: 3 });
    recorder.rolled({ playerId: "p", name: "P", label: "", expression: "1d6", detail: "", total: 3, at: 4 });
    await recorder.closing();
    assert.equal(journalCalls(), 3 + 3 + 1 + 1);
    assert.deepEqual(
      told.map((t) => t.what),
      ["chat", "chat", "roll"],
      "every write that failed for good is reported (the room's notices keep one per kind)",
    );
    assert.equal((told[0]?.error as { code?: string }).code, "ECONNREFUSED");
    assert.equal(await counted(metrics, "journal", "failed"), 3);

    recorder.chatted({ playerId: "p", name: "P", text: "back", at: 5 });
    await recorder.closing();
    assert.equal(await counted(metrics, "journal", "ok"), 1);
    assert.deepEqual(savedAgain.slice(-1), ["chat"]);
  });

  it("a GM change whose write fails for good is stored with the next update, in its append", async () => {
    const { recorder, session, room, failTimes, calls, told, methods } = setup();
    await recorder.beforeUpdate();
    failTimes.set("setGm", 3);
    room.gm = "new-gm";
    recorder.gmChanged("new-gm");
    await recorder.closing();
    assert.deepEqual(
      told.map((t) => t.what),
      ["gm-change"],
    );
    await update(session, recorder, "after the change");
    const append = calls.filter((c) => c.method === "append").at(-1);
    assert.equal(append?.args[2], "new-gm", "the GM rides in the update's transaction");
    const before = methods().filter((m) => m === "setGm").length;
    await recorder.closing();
    assert.equal(methods().filter((m) => m === "setGm").length, before, "stored with the update: no write of its own at close");
  });

  it("a GM change whose write failed and no update carried is tried again when the room closes", async () => {
    const { recorder, room, failTimes, calls } = setup();
    await recorder.beforeUpdate();
    failTimes.set("setGm", 3);
    room.gm = "new-gm";
    recorder.gmChanged("new-gm");
    await recorder.closing();
    const gmWrites = calls.filter((c) => c.method === "setGm");
    assert.equal(gmWrites.length, 4, "three tries, then one more at close (the queue was struggling: one try)");
    assert.equal(gmWrites.at(-1)?.args[1], "new-gm");
  });

  it("settings whose write failed for good are tried again when the room closes", async () => {
    const { recorder, failTimes, methods, told } = setup();
    await recorder.beforeUpdate();
    await recorder.closing();
    const before = methods().filter((m) => m === "saveRoomSettings").length;
    failTimes.set("saveRoomSettings", 3);
    recorder.settingsChanged();
    await recorder.closing();
    assert.deepEqual(
      told.map((t) => t.what),
      ["room-settings"],
    );
    assert.equal(methods().filter((m) => m === "saveRoomSettings").length, before + 3 + 1, "three tries, then one at close");
    await recorder.closing();
    assert.equal(methods().filter((m) => m === "saveRoomSettings").length, before + 4, "stored: not again");
  });
});
