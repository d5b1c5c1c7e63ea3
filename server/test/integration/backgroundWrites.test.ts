import assert from "node:assert/strict";
import type { UpdateReply } from "@tavern/shared/table/operations";
import type { Db } from "../../src/persistence/database";
import { sessionJournal } from "../../src/persistence/schema";
import { harness, inbox, metricSum, newPlayer, roomsLeftAfterEach, waitFor, sleep } from "../support/harness";
import { closeTableRoom, openTableRoom } from "../support/tableRooms";

/**
 * Makes the database's inserts into the journal fail, as a database that went away does: the next
 * `times` of them (Infinity: until restored). Returns how many were refused, and the restore.
 */
function failJournalInserts(db: Db, times: number): { refused: () => number; restore: () => void } {
  const insert = db.insert.bind(db);
  let left = times;
  let refused = 0;
  db.insert = ((table: Parameters<Db["insert"]>[0]) => {
    if (table === sessionJournal && left > 0) {
      left--;
      refused++;
      return { values: () => Promise.reject(Object.assign(new Error("connect ECONNREFUSED 10.0.0.1:5432"), { code: "ECONNREFUSED" })) };
    }
    return insert(table);
  }) as Db["insert"];
  return { refused: () => refused, restore: () => (db.insert = insert) };
}

describe("background writes of a table that fail", function () {
  this.timeout(30_000);
  const rooms = roomsLeftAfterEach();

  it("a journal write the database fails is retried and lands; one that still fails is counted and reaches the GM alone as a notice", async () => {
    const { database } = await harness();
    const gm = await newPlayer("told-gm");
    const room = await openTableRoom(gm, { create: { title: "Flaky cellar" } });
    rooms.push(room as never);
    const code = room.state.code;
    const bard = await openTableRoom(await newPlayer("bard"), { code });
    rooms.push(bard as never);
    await room.request("update", { baseVersion: 0, ops: [{ op: "set", path: "title", value: "Flaky cellar" }] }); // stored
    const retriedBefore = await metricSum("tavern_background_writes_total", 'operation="journal",outcome="retried"');
    const failedBefore = await metricSum("tavern_background_writes_total", 'operation="journal",outcome="failed"');
    const statementFailuresBefore = await metricSum("tavern_persistence_failures_total", 'operation="journal"');

    const flaky = failJournalInserts(database.db, 2);
    try {
      await room.request("chat", { text: "saved on the third try" });
      await waitFor(
        "retried write counted",
        async () => (await metricSum("tavern_background_writes_total", 'operation="journal",outcome="retried"')) === retriedBefore + 1,
      );
    } finally {
      flaky.restore();
    }
    assert.equal(flaky.refused(), 2);
    assert.equal(await metricSum("tavern_persistence_failures_total", 'operation="journal"'), statementFailuresBefore + 2);
    assert.deepEqual(
      inbox(room).announcement.filter((m) => m.kind === "not-saved"),
      [],
      "a write that landed is no news",
    );

    const down = failJournalInserts(database.db, Infinity);
    try {
      await room.request("chat", { text: "lost to the outage" });
      await waitFor("the GM is told", () => inbox(room).announcement.some((m) => m.kind === "not-saved"));
    } finally {
      down.restore();
    }
    assert.equal(down.refused(), 4, "BACKGROUND_WRITE_ATTEMPTS tries, no more");
    const [notice, ...others] = inbox(room).announcement.filter((m) => m.kind === "not-saved");
    assert.equal(others.length, 0);
    assert.equal(notice?.unsaved, "chat");
    assert.equal(
      notice?.text,
      "A chat line was not saved: the database did not answer. It is shown now, but will not be there when the session reopens.",
    );
    assert.doesNotMatch(notice?.text ?? "", /ECONNREFUSED|10\.0\.0\.1/, "the database's own words stay in the log");
    assert.equal(await metricSum("tavern_background_writes_total", 'operation="journal",outcome="failed"'), failedBefore + 1);
    await sleep(100);
    assert.deepEqual(
      inbox(bard).announcement.filter((m) => m.kind === "not-saved"),
      [],
      "a player is not told",
    );

    // The next line is saved again; a reopen has the retried line and not the lost one.
    await room.request("chat", { text: "after the outage" });
    await sleep(50);
    await bard.leave(true);
    await closeTableRoom(room);
    const back = await openTableRoom(gm, { code });
    rooms.push(back as never);
    const lines = back.state.chat.filter((l) => l.playerId !== "").map((l) => l.text);
    assert.deepEqual(lines, ["saved on the third try", "after the outage"]);
  });

  it("a GM change whose own write fails is stored with the next update: a reopen gives the table to the new GM", async () => {
    const { tavern } = await harness();
    const store = tavern.services.sessions;
    const oldGm = await newPlayer("old-gm");
    const room = await openTableRoom(oldGm, { create: { title: "Handover" } });
    rooms.push(room as never);
    const code = room.state.code;
    const heir = await newPlayer("heir");
    const heirRoom = await openTableRoom(heir, { code });
    rooms.push(heirRoom as never);
    const first = (await room.request("update", { baseVersion: 0, ops: [{ op: "set", path: "title", value: "Handover" }] })) as UpdateReply;

    const setGm = store.setGm.bind(store);
    store.setGm = async () => {
      throw Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    };
    try {
      await room.request("transferHost", { playerId: heir.session.playerId });
      await waitFor("the new GM is told", () =>
        inbox(heirRoom).announcement.some((m) => m.kind === "not-saved" && m.unsaved === "gm-change"),
      );
      const notice = inbox(heirRoom).announcement.find((m) => m.unsaved === "gm-change");
      assert.match(notice?.text ?? "", /^The change of GM was not saved: the database did not answer\. It is saved with the next change/);
      // The next update carries the GM in its transaction.
      await waitFor("heir has the GM's view", () => heirRoom.state.gm?.version === first.version);
      await heirRoom.request("update", { baseVersion: first.version, ops: [{ op: "set", path: "title", value: "Mine now" }] });
      const sessionId = await store.idForCode(code);
      assert.ok(sessionId);
      assert.equal((await store.load(sessionId))?.meta.gmPlayerId, heir.session.playerId);
    } finally {
      store.setGm = setGm;
    }
    await room.leave(true);
    await closeTableRoom(heirRoom);
    const reopened = await openTableRoom(await newPlayer("visitor"), { code });
    rooms.push(reopened as never);
    assert.equal(reopened.state.hostId, heir.session.playerId, "not the previous GM");
  });
});
