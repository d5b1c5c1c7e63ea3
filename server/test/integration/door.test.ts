/**
 * The door of a room through the real SDK: kicks that cover the device a player signs in from.
 */
import assert from "node:assert/strict";
import { deviceIdSchema } from "../../../shared/src/protocol";
import { createSpace, errorOf, httpJson, joinSpace, newPlayer, roomsLeftAfterEach, waitFor } from "../support/harness";

const DEVICE = "kitchen-laptop-0001";

describe("the door: kicks by device", function () {
  this.timeout(30_000);
  const rooms = roomsLeftAfterEach();

  describe("sign-in and the device id", () => {
    it("issues a device id when none is sent, keeps the one sent, and refuses a malformed one", async () => {
      const fresh = await httpJson("POST", "/api/auth/guest", { name: "Nomad" });
      assert.equal(fresh.status, 201);
      assert.ok(deviceIdSchema.safeParse(fresh.body.deviceId).success, `issued ${fresh.body.deviceId}`);
      const kept = await httpJson("POST", "/api/auth/guest", { name: "Homebody", deviceId: DEVICE });
      assert.equal(kept.body.deviceId, DEVICE);
      const again = await httpJson("POST", "/api/auth/guest", { name: "Homebody", deviceId: DEVICE });
      assert.notEqual(again.body.playerId, kept.body.playerId, "a new guest, on the same device");
      assert.equal(again.body.deviceId, DEVICE);
      for (const deviceId of ["short", "x".repeat(65), "has spaces in it!!", 42]) {
        const bad = await httpJson("POST", "/api/auth/guest", { name: "Forger", deviceId });
        assert.equal(bad.status, 400, JSON.stringify(deviceId));
        assert.equal(bad.body.code, "VALIDATION_ERROR");
      }
    });
  });

  describe("kicks", () => {
    it("a kicked player who signs in again with the same name and device is refused (KICKED); from a new device they get in", async () => {
      const host = await newPlayer("Bouncer");
      const room = await createSpace(host);
      rooms.push(room);
      const pest = await newPlayer("Pest", DEVICE);
      const pestRoom = await joinSpace(pest, room.state.code);
      await room.request("kick", { playerId: pest.session.playerId });
      await waitFor("pest removed", () => !room.state.players.has(pest.session.playerId));
      await waitFor("pest closed", () => !pestRoom.connection.isOpen);

      const reborn = await newPlayer("Pest", DEVICE);
      assert.notEqual(reborn.session.playerId, pest.session.playerId);
      const refused = await errorOf(reborn.client.join("space", { code: room.state.code }));
      assert.equal(refused.code, "KICKED");
      assert.equal(room.state.players.has(reborn.session.playerId), false);

      // Clearing the browser's storage makes a new device: a kick cannot follow that.
      const elsewhere = await newPlayer("Pest");
      const back = await joinSpace(elsewhere, room.state.code);
      rooms.push(back);
      assert.ok(back.state.players.has(elsewhere.session.playerId));
    });
  });
});
