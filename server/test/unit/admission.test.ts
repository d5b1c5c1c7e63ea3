import assert from "node:assert/strict";
import { TavernError, type ErrorCode } from "@tavern/shared/errors";
import { KickList, entryAtDoor, type Door } from "../../src/domain/lobby/admission";

function throwsCode(fn: () => unknown, code: ErrorCode): void {
  assert.throws(fn, (err: unknown) => err instanceof TavernError && err.code === code);
}

function door(over: Partial<Door> & { seated?: string[] } = {}): Door {
  const seated = new Set(over.seated ?? ["host"]);
  return {
    locked: false,
    hostId: "host",
    hostSeated: true,
    seats: seated.size,
    isSeated: (id) => seated.has(id),
    ...over,
  };
}

describe("admission: kicks and the door", () => {
  describe("KickList", () => {
    it("refuses the kicked player id and, from any guest, the kicked device", () => {
      const kicks = new KickList();
      kicks.add({ playerId: "p1", deviceId: "device-aaaaaaaaaaaa" });
      assert.equal(kicks.refuses({ playerId: "p1" }), true);
      assert.equal(kicks.refuses({ playerId: "p2", deviceId: "device-aaaaaaaaaaaa" }), true, "a new guest on the kicked device");
      assert.equal(kicks.refuses({ playerId: "p2", deviceId: "device-bbbbbbbbbbbb" }), false, "a new device is a stranger");
      assert.equal(kicks.refuses({ playerId: "p3" }), false);
    });
    it("a player whose token carries no device is kicked by id alone, and matches no device", () => {
      const kicks = new KickList();
      kicks.add({ playerId: "old", deviceId: undefined });
      assert.deepEqual(kicks.toStored(), { kicked: ["old"], kickedDevices: [] });
      assert.equal(kicks.refuses({ playerId: "other", deviceId: undefined }), false);
    });
    it("round-trips through the stored form, and loads settings stored before devices were recorded", () => {
      const kicks = new KickList();
      kicks.add({ playerId: "p1", deviceId: "device-aaaaaaaaaaaa" });
      const stored = kicks.toStored();
      const back = new KickList();
      back.restore(stored.kicked, stored.kickedDevices);
      assert.deepEqual(back.toStored(), stored);
      const older = new KickList();
      older.restore(["p1"]);
      assert.equal(older.refuses({ playerId: "p1" }), true);
      assert.equal(older.refuses({ playerId: "p9", deviceId: "device-aaaaaaaaaaaa" }), false);
    });
  });

  describe("entryAtDoor", () => {
    const none = new KickList();
    const kicked = new KickList();
    kicked.add({ playerId: "pest", deviceId: "pest-device-000000" });

    it("an unlocked room seats everyone not kicked", () => {
      assert.equal(entryAtDoor(door(), { playerId: "new", knock: false }, none), "seat");
      throwsCode(() => entryAtDoor(door(), { playerId: "pest", knock: false }, kicked), "KICKED");
      throwsCode(() => entryAtDoor(door(), { playerId: "reborn", deviceId: "pest-device-000000", knock: true }, kicked), "KICKED");
    });
    it("a locked room: newcomers must ask to knock, then knock; kicked ones are refused before knocking", () => {
      const locked = door({ locked: true });
      throwsCode(() => entryAtDoor(locked, { playerId: "new", knock: false }, none), "KNOCK_REQUIRED");
      assert.equal(entryAtDoor(locked, { playerId: "new", knock: true }, none), "knock");
      throwsCode(() => entryAtDoor(locked, { playerId: "reborn", deviceId: "pest-device-000000", knock: true }, kicked), "KICKED");
    });
    it("never holds someone already seated (reload, second tab, return within the grace period)", () => {
      const locked = door({ locked: true, seated: ["host", "regular"] });
      assert.equal(entryAtDoor(locked, { playerId: "regular", knock: false }, none), "seat");
    });
    it("lets the host back in (a table's GM keeps the role while away), and a locked empty room's first comer", () => {
      assert.equal(entryAtDoor(door({ locked: true, seated: [], hostSeated: false }), { playerId: "host", knock: false }, none), "seat");
      assert.equal(
        entryAtDoor(door({ locked: true, hostId: "", seated: [], hostSeated: false }), { playerId: "founder", knock: false }, none),
        "seat",
      );
    });
    it("refuses a knock at once when nobody holds the host's seat to answer it", () => {
      throwsCode(
        () => entryAtDoor(door({ locked: true, seated: [], hostSeated: false }), { playerId: "new", knock: true }, none),
        "KNOCK_UNANSWERED",
      );
      throwsCode(
        () =>
          entryAtDoor(door({ locked: true, hostId: "", seated: ["watcher"], hostSeated: false }), { playerId: "new", knock: true }, none),
        "KNOCK_UNANSWERED",
      );
    });
  });
});
