import assert from "node:assert/strict";
import { describePolicy, formatBytes, formatStats, progressLines } from "../../src/persistence/retention/report";

describe("npm run db output", () => {
  it("sizes in bytes, kB and MB", () => {
    assert.equal(formatBytes(0), "0 B");
    assert.equal(formatBytes(8192), "8.0 kB");
    assert.equal(formatBytes(40 * 1024), "40 kB");
    assert.equal(formatBytes(3.5 * 1024 * 1024), "3.5 MB");
  });

  it("one aligned row per table", () => {
    assert.equal(
      formatStats([
        { table: "sessions", rows: 3, bytes: 40 * 1024 },
        { table: "room_events", rows: 1_250_000, bytes: 300 * 1024 * 1024 },
      ]),
      ["table             rows    size", "sessions             3   40 kB", "room_events  1,250,000  300 MB"].join("\n"),
    );
  });

  it("the policy in words", () => {
    assert.equal(
      describePolicy({ auditDays: 90, journalDays: 0, journalKeep: { chat: 1000 }, compactLog: false }),
      ["audit events: older than 90 days", "journal: no age limit; newest per session: chat 1000", "update log: kept whole"].join("\n"),
    );
  });

  it("a progress line at most every interval", () => {
    let now = 0;
    const lines: string[] = [];
    const progress = progressLines(
      (l) => lines.push(l),
      1000,
      () => now,
    );
    progress({ table: "room_events", deleted: 1000, total: 1000 });
    now = 1500;
    progress({ table: "room_events", deleted: 1000, total: 2000 });
    now = 1600;
    progress({ table: "room_events", deleted: 1000, total: 3000 });
    assert.deepEqual(lines, ["… room_events: 2,000 rows deleted so far"]);
  });
});
