import assert from "node:assert/strict";
import { TavernError } from "@tavern/shared/errors";
import { emptyTable, newActor, newCharacter } from "@tavern/shared/table/document";
import { hashPublicTable, hashTable } from "@tavern/shared/table/hash";
import type { Operation, UpdateRecord } from "@tavern/shared/table/operations";
import { TableSession, restoreSession, restoreSteps } from "../../src/domain/table/session";
import { genericPlugin } from "../../src/domain/table/plugins/generic";

const meta = { authorId: "gm", kind: "update" };

describe("table session versions", () => {
  it("accepting a prepared update bumps the version and the hash; preparing alone changes nothing", () => {
    const session = new TableSession(emptyTable("Crypt", "generic"), { version: 0, publicVersion: 0 }, genericPlugin);
    const before = session.hash;
    const prepared = session.prepare([{ op: "set", path: "title", value: "Tomb" }], { ...meta, baseVersion: 0 });
    assert.equal(session.version, 0);
    assert.equal(session.doc.title, "Crypt");
    session.accept(prepared);
    assert.equal(session.version, 1);
    assert.equal(session.doc.title, "Tomb");
    assert.notEqual(session.hash, before);
    assert.equal(session.hash, hashTable(session.doc));
  });

  it("a stale baseVersion is a VERSION_CONFLICT carrying the current version and hash", () => {
    const session = new TableSession(emptyTable("Crypt", "generic"), { version: 4, publicVersion: 4 }, genericPlugin);
    assert.throws(
      () => session.prepare([{ op: "set", path: "title", value: "Tomb" }], { ...meta, baseVersion: 3 }),
      (err: unknown) =>
        err instanceof TavernError &&
        err.code === "VERSION_CONFLICT" &&
        err.details?.["currentVersion"] === 4 &&
        err.details?.["currentHash"] === session.hash,
    );
  });

  it("two updates prepared on the same version: the second cannot be accepted", () => {
    const session = new TableSession(emptyTable("Crypt", "generic"), { version: 0, publicVersion: 0 }, genericPlugin);
    const a = session.prepare([{ op: "set", path: "title", value: "A" }], { ...meta, baseVersion: 0 });
    const b = session.prepare([{ op: "set", path: "title", value: "B" }], { ...meta, baseVersion: 0 });
    session.accept(a);
    assert.throws(
      () => session.accept(b),
      (err: unknown) => err instanceof TavernError && err.code === "VERSION_CONFLICT",
    );
    assert.equal(session.doc.title, "A");
  });

  it("replaying the records of one session rebuilds it hash for hash, and a tampered record is refused", () => {
    const origin = new TableSession(emptyTable("Crypt", "generic"), { version: 0, publicVersion: 0 }, genericPlugin);
    const records: UpdateRecord[] = [];
    for (const ops of [
      [{ op: "set" as const, path: "characters.c1", value: newCharacter({ name: "Aria" }) as never }],
      [{ op: "inc" as const, path: "characters.c1.hp", value: -3 }],
      [{ op: "set" as const, path: "title", value: "Tomb" }],
    ]) {
      const prepared = origin.prepare(ops, meta);
      origin.accept(prepared);
      records.push(prepared.record);
    }
    const copy = new TableSession(emptyTable("Crypt", "generic"), { version: 0, publicVersion: 0 }, genericPlugin);
    for (const record of records) copy.replay(record);
    assert.equal(copy.version, 3);
    assert.equal(copy.hash, origin.hash);

    const tampered = new TableSession(emptyTable("Crypt", "generic"), { version: 0, publicVersion: 0 }, genericPlugin);
    tampered.replay(records[0]!);
    assert.throws(
      () => tampered.replay({ ...records[1]!, ops: [{ op: "inc", path: "characters.c1.hp", value: -4 }] }),
      (err: unknown) => err instanceof TavernError && err.code === "PERSISTENCE_ERROR",
    );
  });

  it("a restore in steps yields after every update and ends where the whole restore does, hashes and players' hash alike", () => {
    const origin = new TableSession(emptyTable("Crypt", "generic"), { version: 0, publicVersion: 0 }, genericPlugin);
    const records: UpdateRecord[] = [];
    for (const ops of [
      [{ op: "set" as const, path: "actors.a1", value: newActor({ name: "Lurker", hidden: true }) as never }],
      [{ op: "inc" as const, path: "actors.a1.hp", value: -3 }],
      [{ op: "set" as const, path: "characters.c1", value: newCharacter({ name: "Aria" }) as never }],
    ]) {
      const prepared = origin.prepare(ops, meta);
      origin.accept(prepared);
      records.push(prepared.record);
    }
    const stored = {
      snapshot: emptyTable("Crypt", "generic"),
      snapshotVersion: 0,
      snapshotPublicVersion: 0,
      updates: records,
      headVersion: 3,
      headHash: origin.hash,
    };
    const steps = restoreSteps(stored, genericPlugin);
    let yields = 0;
    let step = steps.next();
    for (; !step.done; step = steps.next()) yields++;
    assert.equal(yields, 1 + records.length, "one step for the snapshot, one per update");
    const restored = step.value;
    assert.equal(restored.hash, origin.hash);
    assert.equal(restored.publicHash, origin.publicHash);
    assert.equal(restored.publicHash, hashPublicTable(restored.doc), "the players' hash, computed when asked for");
    assert.notEqual(restored.publicHash, restored.hash, "the hidden lurker is left out");
    assert.equal(restoreSession(stored, genericPlugin).hash, restored.hash);

    const tampered = {
      ...stored,
      updates: [records[0]!, { ...records[1]!, ops: [{ op: "inc" as const, path: "actors.a1.hp", value: -4 }] }],
    };
    const failing = restoreSteps(tampered, genericPlugin);
    assert.throws(
      () => {
        while (!failing.next().done);
      },
      (err: unknown) => err instanceof TavernError && err.code === "PERSISTENCE_ERROR" && /Replaying update 2 gives hash/.test(err.message),
    );
    const short = restoreSteps({ ...stored, updates: records.slice(0, 2) }, genericPlugin);
    assert.throws(
      () => {
        while (!short.next().done);
      },
      (err: unknown) => err instanceof TavernError && /rebuilds to version 2/.test(err.message),
    );
  });

  it("the public version moves by one when what players see changes, and not at all on a hidden change", () => {
    const session = new TableSession(emptyTable("Crypt", "generic"), { version: 0, publicVersion: 0 }, genericPlugin);
    const steps: [Operation[], number][] = [
      [[{ op: "set", path: "actors.g1", value: newActor({ name: "Goblin", hidden: true }) as never }], 0],
      [[{ op: "set", path: "actors.g1.x", value: 5 }], 0],
      [[{ op: "set", path: "characters.c1", value: newCharacter({ name: "Aria" }) as never }], 1],
      [[{ op: "set", path: "characters.c1.x", value: 0 }], 1],
      [[{ op: "set", path: "actors.g1.hidden", value: false }], 2],
      [[{ op: "set", path: "actors.g1.hidden", value: true }], 3],
      [[{ op: "inc", path: "actors.g1.hp", value: -2 }], 3],
    ];
    for (const [n, [ops, publicVersion]] of steps.entries()) {
      session.accept(session.prepare(ops, meta));
      assert.equal(session.version, n + 1);
      assert.equal(session.publicVersion, publicVersion, `after step ${n + 1}`);
      assert.equal(session.publicHash, hashPublicTable(session.doc));
    }
    assert.notEqual(session.hash, session.publicHash, "something is hidden, so the hashes differ");
  });

  it("a player's stale baseVersion is checked against the public version and answered with public numbers only", () => {
    const session = new TableSession(emptyTable("Crypt", "generic"), { version: 9, publicVersion: 4 }, genericPlugin);
    session.checkVersion(4, "public");
    assert.throws(
      () => session.checkVersion(7, "public"),
      (err: unknown) =>
        err instanceof TavernError &&
        err.code === "VERSION_CONFLICT" &&
        JSON.stringify(err.details) === JSON.stringify({ currentPublicVersion: 4, currentPublicHash: session.publicHash }) &&
        !err.message.includes("9"),
    );
    assert.throws(
      () => session.checkVersion(4),
      (err: unknown) => err instanceof TavernError && err.details?.["currentVersion"] === 9,
    );
  });

  it("a restored session counts its public version on from the snapshot's, as the live one did", () => {
    const live = new TableSession(emptyTable("Crypt", "generic"), { version: 0, publicVersion: 0 }, genericPlugin);
    const commit = (ops: Operation[]) => {
      const prepared = live.prepare(ops, meta);
      live.accept(prepared);
      return prepared.record;
    };
    commit([{ op: "set", path: "actors.g1", value: newActor({ name: "Goblin", hidden: true }) as never }]);
    commit([{ op: "set", path: "title", value: "Tomb" }]);
    const snapshot = { snapshot: live.doc, snapshotVersion: live.version, snapshotPublicVersion: live.publicVersion };
    const log = [
      commit([{ op: "set", path: "actors.g1.x", value: 3 }]),
      commit([{ op: "set", path: "characters.c1", value: newCharacter({ name: "Aria" }) as never }]),
      commit([{ op: "set", path: "actors.g1.y", value: 3 }]),
    ];
    assert.deepEqual([live.version, live.publicVersion], [5, 2]);
    const restored = restoreSession({ ...snapshot, updates: log, headVersion: live.version, headHash: live.hash }, genericPlugin);
    assert.deepEqual(restored.stamp, live.stamp);
  });
});
