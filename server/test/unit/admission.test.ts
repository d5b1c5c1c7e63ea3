import assert from "node:assert/strict";
import { KickList } from "../../src/lifecycle/admission";

describe("admission: kicks", () => {
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
});
