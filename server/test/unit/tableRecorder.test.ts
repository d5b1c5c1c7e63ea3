import assert from "node:assert/strict";
import { TavernError } from "@tavern/shared/errors";
import { emptyTable } from "@tavern/shared/table/document";
import type { StoredRoomSettings } from "@tavern/shared/table/journal";
import { TableSession } from "../../src/domain/table/session";
import { genericPlugin } from "../../src/domain/table/plugins/generic";
import { createLogger } from "../../src/logger";
import type { SessionStore } from "../../src/persistence/sessionStore";
import { TableRecorder } from "../../src/persistence/tableRecorder";

/** The store calls the recorder makes, in order; `fail` makes the next call of a method throw. */
function fakeStore() {
  const calls: Array<{ method: string; args: unknown[] }> = [];
  const fail = new Map<string, unknown>();
  const record =
    (method: string) =>
    async (...args: unknown[]): Promise<void> => {
      calls.push({ method, args });
      const err = fail.get(method);
      if (err !== undefined) {
        fail.delete(method);
        throw err;
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
  return { store: store as unknown as SessionStore, calls, fail, methods: () => calls.map((c) => c.method) };
}

function setup(snapshotEvery = 3) {
  const fake = fakeStore();
  let code = "ABCDEF";
  const settings: StoredRoomSettings = { config: {}, kicked: [], kickedDevices: [] };
  const recorder = new TableRecorder(fake.store, snapshotEvery, {
    log: () => createLogger("silent"),
    code: () => code,
    gmPlayerId: () => "gm",
    settings: () => settings,
    replaceCode: async () => {
      code = "GHJKLM";
    },
  });
  const session = new TableSession(emptyTable("T", "generic"), { version: 0, publicVersion: 0 }, genericPlugin);
  recorder.startNew(session);
  return { ...fake, recorder, session };
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
});
