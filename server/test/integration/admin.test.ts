import assert from "node:assert/strict";
import type { Room } from "@colyseus/sdk";
import { hashTable } from "@tavern/shared/table/hash";
import type { TableDoc } from "@tavern/shared/table/document";
import type { UpdateReply } from "@tavern/shared/table/operations";
import type { TableState } from "@tavern/shared/table/state";
import { ADMIN, createSpace, harness, httpJson, joinSpace, newPlayer, roomsLeftAfterEach, sleep, waitFor } from "../support/harness";

const admin = { authorization: `Basic ${Buffer.from(`${ADMIN.user}:${ADMIN.password}`).toString("base64")}` };

describe("admin inspection endpoints", function () {
  this.timeout(30_000);
  const rooms = roomsLeftAfterEach();

  it("lists rooms with code, players and phase; refuses without admin credentials", async () => {
    const host = await createSpace(await newPlayer("admin-seen-host"));
    const guest = await joinSpace(await newPlayer("admin-seen-guest"), host.state.code);
    rooms.push(host, guest);
    await waitFor("listing updated", () => host.state.players.size === 2);
    // The listing is refreshed at most every 100 ms: poll it.
    let mine: { code: string; players: number; phase: string; type: string } | undefined;
    for (let i = 0; i < 30 && mine?.players !== 2; i++) {
      const res = await httpJson("GET", "/admin/rooms", undefined, admin);
      mine = res.body.rooms.find((r: { code: string }) => r.code === host.state.code);
      if (mine?.players !== 2) await sleep(100);
    }
    assert.equal(mine?.players, 2);
    assert.equal(mine?.type, "space");
    assert.equal(mine?.phase, "lobby");
    assert.equal((await httpJson("GET", "/admin/rooms")).status, 401);
    assert.equal((await httpJson("GET", `/admin/rooms/${host.state.code}/state`)).status, 401);
  });

  it("shows a table's whole document with its version and hash (hidden parts included), and the room's audit events", async () => {
    const gm = await newPlayer("inspected-gm");
    const room = (await gm.client.create("table", { title: "Inspected" })) as unknown as Room<unknown, TableState>;
    rooms.push(room as never);
    await waitFor("code", () => Boolean(room.state?.code));
    const lurker = (await room.request("create", { collection: "actors", fields: { name: "Lurker", hidden: true } })) as UpdateReply & {
      id: string;
    };

    const res = await httpJson("GET", `/admin/rooms/${room.state.code}/state`, undefined, admin);
    assert.equal(res.status, 200);
    assert.equal(res.body.roomType, "table");
    assert.equal(res.body.version, lurker.version);
    assert.equal(res.body.hash, lurker.hash);
    const doc = res.body.document as TableDoc;
    assert.equal(doc.actors[lurker.id]?.name, "Lurker");
    assert.equal(hashTable(doc), lurker.hash, "the document shown is the one the hash covers");
    assert.equal((await httpJson("GET", "/admin/rooms/NOSUCH/state", undefined, admin)).status, 404);

    await (await harness()).tavern.services.audit.flush();
    const events = await httpJson("GET", `/admin/rooms/${room.roomId}/events`, undefined, admin);
    assert.deepEqual(
      events.body.events.map((e: { kind: string }) => e.kind),
      ["created", "joined", "host-changed"],
    );
  });
});
