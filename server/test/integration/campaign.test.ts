import assert from "node:assert/strict";
import type { Room } from "@colyseus/sdk";
import type { UpdateReply } from "@tavern/shared/table/operations";
import type { TableState } from "@tavern/shared/table/state";
import { errorOf, httpJson, newPlayer, roomsLeftAfterEach, sleep, waitFor, type Player } from "../support/harness";

type TableClient = Room<unknown, TableState>;
const auth = (p: Player) => ({ authorization: `Bearer ${p.session.token}` });

describe("campaign over HTTP: my sessions, export, import", function () {
  this.timeout(30_000);
  const rooms = roomsLeftAfterEach();

  async function playedSession(gm: Player) {
    const room = (await gm.client.create("table", { title: "Exported", plugin: "dnd5e-lite" })) as unknown as TableClient;
    rooms.push(room as never);
    await waitFor("state", () => Boolean(room.state?.code));
    const hero = (await room.request("create", { collection: "characters", fields: { name: "Aria" } })) as UpdateReply & { id: string };
    const last = (await room.request("action", {
      name: "damage",
      target: { kind: "character", id: hero.id },
      args: { amount: 4 },
      baseVersion: hero.version,
    })) as UpdateReply;
    return { room, last };
  }

  it("a GM lists their sessions, exports one, and imports it as a new session that reopens with the same hash", async () => {
    const gm = await newPlayer("campaign-gm");
    const { room, last } = await playedSession(gm);
    const list = await httpJson("GET", "/api/sessions", undefined, auth(gm));
    assert.equal(list.status, 200);
    const mine = list.body.sessions.find((s: { code: string }) => s.code === room.state.code);
    assert.ok(mine, "the session is in the GM's list");
    assert.equal(mine.headVersion, last.version);

    const exported = await httpJson("GET", `/api/sessions/${mine.id}/export`, undefined, auth(gm));
    assert.equal(exported.status, 200);
    assert.equal(exported.body.format, "tavern.table-session.v1");
    assert.equal(exported.body.session.headHash, last.hash);

    const otherGm = await newPlayer("importing-gm");
    const imported = await httpJson("POST", "/api/sessions/import", exported.body, auth(otherGm));
    assert.equal(imported.status, 201, JSON.stringify(imported.body));
    assert.notEqual(imported.body.id, mine.id);
    assert.notEqual(imported.body.code, room.state.code);
    assert.equal(imported.body.hash, last.hash);
    assert.equal(imported.body.version, last.version);

    const lookup = await httpJson("GET", `/api/rooms/${imported.body.code}`);
    assert.equal(lookup.status, 200);
    assert.equal(lookup.body.type, "table");
    assert.equal(lookup.body.open, false);

    const reopened = (await otherGm.client.join("table", { code: imported.body.code })) as unknown as TableClient;
    rooms.push(reopened as never);
    await waitFor("reopened state", () => reopened.state?.gm?.version === last.version);
    assert.equal(reopened.state.gm?.hash, last.hash);
    assert.equal(reopened.state.publicVersion, 0, "the copy, a new session to its players, counts what they see from 0");
    assert.equal(reopened.state.hostId, otherGm.session.playerId, "the importer is the GM of the copy");
  });

  it("an export carries the room's config, kicks, rolls and chat, and the imported copy reopens with them", async () => {
    const gm = await newPlayer("chronicler");
    const { room } = await playedSession(gm);
    await room.request("config", { private: true, maxPlayers: 6 });
    const rolled = (await room.request("roll", { expression: "2d8", label: "smite" })) as { total: number };
    await room.request("chat", { text: "Remember the crypt" });
    const pest = await newPlayer("pest");
    await pest.client.join("table", { code: room.state.code });
    await waitFor("pest seated", () => room.state.players.has(pest.session.playerId));
    await room.request("kick", { playerId: pest.session.playerId });
    const sessionId = (await httpJson("GET", "/api/sessions", undefined, auth(gm))).body.sessions.find(
      (s: { code: string }) => s.code === room.state.code,
    ).id;

    // Rolls and chat are written in the background: the export shows them once they are stored.
    const hasChat = (body: { journal?: Array<{ text?: string }> }) => body.journal?.some((e) => e.text === "Remember the crypt") === true;
    let exported = await httpJson("GET", `/api/sessions/${sessionId}/export`, undefined, auth(gm));
    for (let tries = 0; !hasChat(exported.body) && tries < 100; tries++) {
      await sleep(20);
      exported = await httpJson("GET", `/api/sessions/${sessionId}/export`, undefined, auth(gm));
    }
    assert.equal(exported.status, 200);
    assert.ok(hasChat(exported.body), "the chat line is in the export");
    assert.deepEqual(exported.body.room.kicked, [pest.session.playerId]);
    assert.deepEqual(exported.body.room.kickedDevices, [pest.session.deviceId]);
    assert.equal(exported.body.room.config.private, true);
    assert.ok(exported.body.journal.some((e: { kind: string; total?: number }) => e.kind === "roll" && e.total === rolled.total));

    const heir = await newPlayer("heir-gm");
    const imported = await httpJson("POST", "/api/sessions/import", exported.body, auth(heir));
    assert.equal(imported.status, 201, JSON.stringify(imported.body));
    const copy = (await heir.client.join("table", { code: imported.body.code })) as unknown as TableClient;
    rooms.push(copy as never);
    await waitFor("copy state", () => Boolean(copy.state?.gm?.hash));
    assert.equal(copy.state.config.private, true);
    assert.equal(copy.state.config.maxPlayers, 6);
    assert.deepEqual(
      copy.state.rolls.map((r) => [r.label, r.total]),
      [["smite", rolled.total]],
    );
    assert.ok(copy.state.chat.some((l) => l.text === "Remember the crypt"));
    const refused = await errorOf(pest.client.join("table", { code: imported.body.code }));
    assert.equal(refused.code, "KICKED", "the copy keeps the kicks");
    const reborn = await newPlayer("pest", pest.session.deviceId);
    assert.equal((await errorOf(reborn.client.join("table", { code: imported.body.code }))).code, "KICKED", "and the kicked device");
  });

  it("refuses strangers, unknown sessions, and files that were changed", async () => {
    const gm = await newPlayer("careful-gm");
    const { room } = await playedSession(gm);
    const list = await httpJson("GET", "/api/sessions", undefined, auth(gm));
    const id = list.body.sessions.find((s: { code: string }) => s.code === room.state.code).id;

    assert.equal((await httpJson("GET", "/api/sessions")).body.code, "UNAUTHORIZED");
    const stranger = await newPlayer("stranger");
    assert.equal((await httpJson("GET", `/api/sessions/${id}/export`, undefined, auth(stranger))).body.code, "PERMISSION_DENIED");
    assert.equal((await httpJson("GET", `/api/sessions/00000000-0000-4000-8000-000000000000/export`, undefined, auth(gm))).status, 404);

    const exported = (await httpJson("GET", `/api/sessions/${id}/export`, undefined, auth(gm))).body;
    const tamperedSnapshot = structuredClone(exported);
    tamperedSnapshot.snapshot.doc.title = "Forged";
    const a = await httpJson("POST", "/api/sessions/import", tamperedSnapshot, auth(gm));
    assert.equal(a.status, 400);
    assert.match(a.body.message, /does not match its hash/);

    const tamperedLog = structuredClone(exported);
    tamperedLog.updates[tamperedLog.updates.length - 1].ops[0].value = 99;
    const b = await httpJson("POST", "/api/sessions/import", tamperedLog, auth(gm));
    assert.equal(b.status, 400);
    assert.match(b.body.message, /does not replay/);

    const c = await httpJson("POST", "/api/sessions/import", { format: "something else" }, auth(gm));
    assert.equal(c.status, 400);
    assert.match(c.body.message, /Not a Tavern session export/);
  });
});
