import assert from "node:assert/strict";
import type { AnnouncementMessage } from "@tavern/shared/protocol";
import { UnsavedNotices, notSavedText, whyNotSaved } from "../../src/rooms/table/unsavedNotices";

const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });

describe("not-saved notices to the GM", () => {
  it("say what was not saved and why in words, never the database's message", () => {
    assert.equal(
      notSavedText("room-settings", refused),
      "The room's settings were not saved: the database did not answer. They hold while this room is open; a reopened session would not have them.",
    );
    assert.equal(whyNotSaved(new Error("Connection terminated unexpectedly")), "the database did not answer");
    assert.equal(whyNotSaved(Object.assign(new Error("x"), { code: "08006" })), "the database did not answer");
    assert.equal(whyNotSaved(new Error("wrapped", { cause: { code: "53100" } })), "the database is out of space or resources");
    assert.equal(whyNotSaved(new Error('value too long for column "entry" of secret_table')), "the database refused it");
    assert.doesNotMatch(notSavedText("chat", new Error("relation secret_table")), /secret_table/);
  });

  it("tell one notice per kind while it keeps failing, and again once a write of it landed", () => {
    const sent: AnnouncementMessage[] = [];
    const notices = new UnsavedNotices((m) => (sent.push(m), true));
    notices.notSaved("chat", refused);
    notices.notSaved("chat", refused);
    notices.notSaved("roll", refused);
    assert.deepEqual(
      sent.map((m) => [m.kind, m.unsaved]),
      [
        ["not-saved", "chat"],
        ["not-saved", "roll"],
      ],
    );
    notices.savedAgain("chat");
    notices.notSaved("chat", refused);
    assert.equal(sent.length, 3);
  });

  it("keep what an absent GM missed until they are seated again", () => {
    let connected = false;
    const sent: AnnouncementMessage[] = [];
    const notices = new UnsavedNotices((m) => connected && (sent.push(m), true));
    notices.notSaved("gm-change", refused);
    assert.equal(sent.length, 0);
    connected = true;
    notices.gmSeated();
    assert.deepEqual(
      sent.map((m) => m.unsaved),
      ["gm-change"],
    );
    notices.gmSeated();
    assert.equal(sent.length, 1, "told once");
  });
});
