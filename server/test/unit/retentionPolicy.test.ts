import assert from "node:assert/strict";
import { cutoffs, oldestRun, parseJournalKeep, prunesAnything, type RetentionPolicy } from "../../src/persistence/retention/policy";
import { loadConfig } from "../../src/config";

const DAY = 86_400_000;
const none: RetentionPolicy = { auditDays: 0, journalDays: 0, journalKeep: {}, compactLog: false };

describe("retention policy", () => {
  it("cuts off by days from now; 0 days cuts nothing", () => {
    const now = Date.UTC(2030, 0, 31);
    assert.deepEqual(cutoffs(none, now), {});
    const c = cutoffs({ ...none, auditDays: 30, journalDays: 1 }, now);
    assert.equal(c.auditBefore?.getTime(), now - 30 * DAY);
    assert.equal(c.journalBefore?.getTime(), now - DAY);
    assert.equal(prunesAnything(none), false);
    assert.equal(prunesAnything({ ...none, compactLog: true }), true);
    assert.equal(prunesAnything({ ...none, journalKeep: { chat: 100 } }), true);
  });

  it("journal lines kept: one number for every kind, kind=number for one, 0 for all of them", () => {
    assert.deepEqual(parseJournalKeep(undefined), { keep: {} });
    assert.deepEqual(parseJournalKeep("500"), { keep: { roll: 500, chat: 500, secretRoll: 500, gmNote: 500 } });
    assert.deepEqual(parseJournalKeep("500, gmNote=0"), { keep: { roll: 500, chat: 500, secretRoll: 500 } });
    assert.deepEqual(parseJournalKeep("chat=1000,roll=200"), { keep: { chat: 1000, roll: 200 } });
  });

  it("refuses a limit below what a reopened room shows, an unknown kind and a non-number, in words", () => {
    const low = parseJournalKeep("chat=10");
    assert.ok("problems" in low);
    assert.match(low.problems[0] ?? "", /shows the last 30 lines of chat; keep at least that many/);
    const bad = parseJournalKeep("whispers=100,roll=many,-3");
    assert.ok("problems" in bad);
    assert.equal(bad.problems.length, 3);
    assert.match(bad.problems.join("\n"), /the kinds are roll, chat, secretRoll, gmNote/);
    assert.throws(() => loadConfig({ JOURNAL_KEEP_PER_KIND: "chat=10" }), /JOURNAL_KEEP_PER_KIND="chat=10": chat=10: a reopened session/);
  });

  it("the config carries the policy and the retry of background writes", () => {
    const c = loadConfig({});
    assert.deepEqual(c.retention, { auditDays: 90, journalDays: 0, journalKeep: {}, compactLog: true });
    assert.equal(c.retentionIntervalMinutes, 60);
    assert.equal(c.backgroundWriteRetry.attempts, 4);
    const set = loadConfig({
      AUDIT_RETENTION_DAYS: "0",
      JOURNAL_RETENTION_DAYS: "14",
      JOURNAL_KEEP_PER_KIND: "2000",
      COMPACT_UPDATE_LOG: "false",
      RETENTION_INTERVAL_MINUTES: "0",
      BACKGROUND_WRITE_ATTEMPTS: "1",
      BACKGROUND_WRITE_RETRY_MS: "10",
    });
    assert.deepEqual(set.retention, {
      auditDays: 0,
      journalDays: 14,
      journalKeep: { roll: 2000, chat: 2000, secretRoll: 2000, gmNote: 2000 },
      compactLog: false,
    });
    assert.equal(set.retentionIntervalMinutes, 0);
    assert.equal(set.backgroundWriteRetry.attempts, 1);
    assert.equal(set.backgroundWriteRetry.firstDelayMs, 10);
    assert.throws(() => loadConfig({ BACKGROUND_WRITE_ATTEMPTS: "0" }), /BACKGROUND_WRITE_ATTEMPTS="0"/);
  });

  describe("oldest-first walk", () => {
    const before = new Date(1000);
    const row = (id: number, at: number) => ({ id, at: new Date(at) });

    it("deletes through the last old row of an all-old batch and reads on", () => {
      assert.deepEqual(oldestRun([row(1, 10), row(2, 20)], before), { throughId: 2, allOld: true });
    });

    it("stops at the first row not older than the cutoff, even if older ones follow", () => {
      assert.deepEqual(oldestRun([row(1, 10), row(2, 1000), row(3, 5)], before), { throughId: 1, allOld: false });
      assert.deepEqual(oldestRun([row(4, 2000), row(5, 5)], before), { allOld: false });
    });

    it("an empty batch deletes nothing", () => {
      assert.deepEqual(oldestRun([], before), { allOld: true });
    });
  });
});
