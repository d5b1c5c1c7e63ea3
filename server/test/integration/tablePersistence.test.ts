import assert from "node:assert/strict";
import { eq } from "drizzle-orm";
import { docFromState } from "@tavern/shared/table/fromState";
import { hashTable } from "@tavern/shared/table/hash";
import type { UpdateReply } from "@tavern/shared/table/operations";
import { sessions } from "../../src/persistence/schema";
import { errorOf, harness, newPlayer, roomsLeftAfterEach, sleep, waitFor, type Player } from "../support/harness";
import { closeTableRoom, openTableRoom, type TableClient } from "../support/tableRooms";

async function sessionIdOf(code: string): Promise<string> {
  const id = await (await harness()).tavern.services.sessions.idForCode(code);
  assert.ok(id, `a stored session for ${code}`);
  return id;
}

describe("table sessions are durable", function () {
  this.timeout(30_000);
  const rooms = roomsLeftAfterEach();

  async function sessionWithUpdates(gm: Player, n: number) {
    const room = await openTableRoom(gm, { create: { title: "Durable", plugin: "dnd5e-lite" } });
    rooms.push(room as never);
    const hero = (await room.request("create", { collection: "characters", fields: { name: "Aria" } })) as UpdateReply & { id: string };
    let last: UpdateReply = hero;
    for (let i = 0; i < n; i++) {
      last = (await room.request("update", {
        baseVersion: last.version,
        ops: [{ op: "inc", path: `characters.${hero.id}.hp`, value: -1 }],
      })) as UpdateReply;
    }
    return { room, hero, last };
  }

  it("after every player left, joining by the code reopens the session with the last acknowledged version and hash (a player sees the public ones); the GM is still GM", async () => {
    const gm = await newPlayer("keeper");
    const { room, hero, last } = await sessionWithUpdates(gm, 5);
    const code = room.state.code;
    await closeTableRoom(room);

    const player = await newPlayer("visitor");
    const reopened = await openTableRoom(player, { code });
    rooms.push(reopened as never);
    assert.equal(reopened.state.publicVersion, last.publicVersion);
    assert.equal(reopened.state.publicHash, last.publicHash);
    assert.equal(reopened.state.gm, undefined, "a player is not sent the GM's version and hash");
    assert.equal(reopened.state.characters.get(hero.id)?.hp, 5);
    assert.equal(hashTable(docFromState(reopened.state)), reopened.state.publicHash);
    assert.equal(reopened.state.hostId, gm.session.playerId, "the GM of the session, not the first to return");
    const refused = await errorOf(
      reopened.request("update", { baseVersion: last.version, ops: [{ op: "set", path: "title", value: "Mine" }] }),
    );
    assert.equal(refused.code, "PERMISSION_DENIED");

    const gmBack = await openTableRoom(gm, { code });
    rooms.push(gmBack as never);
    await waitFor("GM seated as host", () => gmBack.state.players.get(gm.session.playerId)?.role === "host");
    assert.equal(gmBack.state.gm?.version, last.version);
    assert.equal(gmBack.state.gm?.hash, last.hash);
    const next = (await gmBack.request("update", {
      baseVersion: last.version,
      ops: [{ op: "set", path: "title", value: "Night two" }],
    })) as UpdateReply;
    assert.equal(next.version, last.version + 1);
  });

  it("a reopened session keeps its room config and keeps out the players the GM kicked", async () => {
    const gm = await newPlayer("strict-gm");
    const room = await openTableRoom(gm, { create: { title: "Closed doors", config: { private: true } } });
    const code = room.state.code;
    await room.request("config", { maxPlayers: 5, reconnectGraceSeconds: 12 });
    const troll = await newPlayer("troll");
    await openTableRoom(troll, { code });
    await waitFor("troll seated", () => room.state.players.has(troll.session.playerId));
    await room.request("kick", { playerId: troll.session.playerId });
    await waitFor("troll gone", () => !room.state.players.has(troll.session.playerId));
    await closeTableRoom(room);

    const back = await openTableRoom(gm, { code });
    rooms.push(back as never);
    assert.equal(back.state.config.private, true);
    assert.equal(back.state.config.maxPlayers, 5);
    assert.equal(back.state.config.reconnectGraceSeconds, 12);
    const refused = await errorOf(troll.client.join("table", { code }));
    assert.equal(refused.code, "KICKED");
    const friend = await openTableRoom(await newPlayer("friend"), { code });
    rooms.push(friend as never);
    assert.equal(friend.state.players.size, 2);
  });

  it("a reopened session keeps out a kicked player's device, whatever guest they sign in as; settings stored before devices were recorded still load", async () => {
    const gm = await newPlayer("wary-gm");
    const room = await openTableRoom(gm, { create: { title: "Device ban" } });
    const code = room.state.code;
    const troll = await newPlayer("troll", "troll-phone-0000001");
    await openTableRoom(troll, { code });
    await waitFor("troll seated", () => room.state.players.has(troll.session.playerId));
    await room.request("kick", { playerId: troll.session.playerId });
    const sessionId = await sessionIdOf(code);
    const { database } = await harness();
    const settings = async () => (await database.db.select().from(sessions).where(eq(sessions.id, sessionId)))[0]?.roomSettings;
    for (let tries = 0; (await settings())?.kickedDevices?.length !== 1 && tries < 100; tries++) await sleep(20);
    assert.deepEqual((await settings())?.kickedDevices, ["troll-phone-0000001"]);
    await closeTableRoom(room);

    const back = await openTableRoom(gm, { code });
    const reborn = await newPlayer("troll", "troll-phone-0000001");
    assert.equal((await errorOf(reborn.client.join("table", { code }))).code, "KICKED");
    await closeTableRoom(back);

    // As a session stored before kicks recorded devices: player ids only.
    await database.db
      .update(sessions)
      .set({ roomSettings: { kicked: [troll.session.playerId] } })
      .where(eq(sessions.id, sessionId));
    const again = await openTableRoom(gm, { code });
    rooms.push(again as never);
    assert.equal((await errorOf(troll.client.join("table", { code }))).code, "KICKED");
    // Without a stored device list, the same device under a new guest is not recognised.
    const friend = await openTableRoom(reborn, { code });
    rooms.push(friend as never);
    assert.ok(friend.state.players.has(reborn.session.playerId));
  });

  it("a locked session reopens locked: its GM walks in, others knock", async () => {
    const gm = await newPlayer("gatekeeper-gm");
    const room = await openTableRoom(gm, { create: { title: "Invitation only" } });
    const code = room.state.code;
    await room.request("lock", { locked: true });
    const sessionId = await sessionIdOf(code);
    const { database } = await harness();
    for (let tries = 0; tries < 100; tries++) {
      const [row] = await database.db.select().from(sessions).where(eq(sessions.id, sessionId));
      if (row?.roomSettings.config?.locked === true) break;
      await sleep(20);
    }
    await closeTableRoom(room);

    const stranger = await newPlayer("stranger");
    const refused = await errorOf(stranger.client.join("table", { code, knock: true }));
    assert.equal(refused.code, "KNOCK_UNANSWERED", "nobody in the GM's seat to let them in");
    const back = await openTableRoom(gm, { code });
    rooms.push(back as never);
    assert.equal(back.state.config.locked, true);
    assert.equal((await errorOf(stranger.client.join("table", { code }))).code, "KNOCK_REQUIRED");
  });

  it("a reopened session shows its last public rolls and chat lines; secret rolls stay secret", async () => {
    const gm = await newPlayer("storyteller");
    const room = await openTableRoom(gm, { create: { title: "Loud table" } });
    const code = room.state.code;
    const bard = await newPlayer("bard");
    const bardRoom = await openTableRoom(bard, { code });
    const totals: number[] = [];
    for (let i = 0; i < 3; i++)
      totals.push(((await bardRoom.request("roll", { expression: "3d6", label: `try ${i}` })) as { total: number }).total);
    await room.request("roll", { expression: "1d20", label: "hidden", secret: true });
    await bardRoom.request("chat", { text: "I sing of the crypt" });
    await room.request("chat", { text: "Roll for perception" });
    await waitFor("both chat lines", () => room.state.chat.filter((l) => l.playerId !== "").length === 2);
    const chatBefore = room.state.chat.map((l) => `${l.name}: ${l.text}`);
    await bardRoom.leave(true);
    await closeTableRoom(room);

    const back = await openTableRoom(gm, { code });
    rooms.push(back as never);
    assert.deepEqual(
      back.state.rolls.map((r) => [r.name, r.label, r.expression, r.total]),
      totals.map((total, i) => ["bard", `try ${i}`, "3d6", total]),
    );
    assert.deepEqual(
      back.state.chat.map((l) => `${l.name}: ${l.text}`).slice(0, chatBefore.length),
      chatBefore,
      "the chat as it was, system lines included, before anything new",
    );
    assert.ok(!back.state.rolls.some((r) => r.label === "hidden"));
  });

  it("the GM's notes and secret rolls come back after the GM's reload and after a reopen, and reach no player", async () => {
    const gm = await newPlayer("keeper");
    const room = await openTableRoom(gm, { create: { title: "Quiet crypt", plugin: "dnd5e-lite" } });
    const code = room.state.code;
    const lurker = (await room.request("create", {
      collection: "actors",
      fields: { name: "Crypt Lurker", hidden: true, hp: 12, maxHp: 12 },
    })) as { id: string };
    await room.request("action", { name: "damage", target: { kind: "actor", id: lurker.id }, args: { amount: 4 } });
    const secret = (await room.request("roll", { expression: "1d20", label: "lurker stealth", secret: true })) as { total: number };
    const gmLog = (r: TableClient) => ({
      notes: [...(r.state.gm?.notes ?? [])].map((n) => n.text),
      secretRolls: [...(r.state.gm?.rolls ?? [])].map((x) => [x.label, x.total]),
    });
    await waitFor("the note and the roll in the GM's part", () => gmLog(room).notes.length > 0 && gmLog(room).secretRolls.length > 0);
    const before = gmLog(room);
    assert.match(before.notes.join("\n"), /Crypt Lurker/);
    assert.deepEqual(before.secretRolls, [["lurker stealth", secret.total]]);

    const thief = await newPlayer("thief");
    const thiefRoom = await openTableRoom(thief, { code });
    const noGmPart = (r: TableClient) => {
      assert.equal(r.state.gm, undefined, "a player has no GM part");
      assert.ok(![...r.state.rolls].some((x) => x.label === "lurker stealth"), "the secret roll is not in the public log");
      assert.ok(![...r.state.chat].some((l) => l.text.includes("Crypt Lurker")), "the note is not in the chat");
    };
    noGmPart(thiefRoom);

    // The GM reloads the page: a new connection into the same open room.
    await room.leave(true);
    const reloaded = await openTableRoom(gm, { code });
    await waitFor("the GM's part after a reload", () => gmLog(reloaded).notes.length === before.notes.length);
    assert.deepEqual(gmLog(reloaded), before);

    await thiefRoom.leave(true);
    await closeTableRoom(reloaded);
    const reopened = await openTableRoom(gm, { code });
    rooms.push(reopened as never);
    await waitFor("the GM's part after a reopen", () => gmLog(reopened).notes.length === before.notes.length);
    assert.deepEqual(gmLog(reopened), before);
    const thiefBack = await openTableRoom(thief, { code });
    rooms.push(thiefBack as never);
    noGmPart(thiefBack);
  });

  it("the GM reopens a session by its id; an open session cannot be opened twice", async () => {
    const gm = await newPlayer("returning-gm");
    const { room, last } = await sessionWithUpdates(gm, 2);
    const code = room.state.code;
    const sessionId = await sessionIdOf(code);
    const twice = await errorOf(gm.client.create("table", { sessionId }));
    assert.equal(twice.code, "VALIDATION_ERROR");
    assert.match(twice.message, /already in use/);
    await closeTableRoom(room);

    const again = await openTableRoom(gm, { create: { sessionId } });
    rooms.push(again as never);
    assert.equal(again.state.code, code);
    assert.equal(again.state.gm?.version, last.version);
    assert.equal(again.state.gm?.hash, last.hash);
    assert.equal(again.state.publicVersion, last.publicVersion);
    const unknown = await errorOf(gm.client.create("table", { sessionId: "00000000-0000-4000-8000-000000000000" }));
    assert.equal(unknown.code, "NOT_FOUND");
  });

  it("the GM who reopens by id right after leaving, while the room is still closing, gets the session", async () => {
    const gm = await newPlayer("impatient-gm");
    const { room, last } = await sessionWithUpdates(gm, 1);
    const code = room.state.code;
    const sessionId = await sessionIdOf(code);
    // A slow release (a busy database or presence) keeps the code claimed after the room left the matchmaker.
    const codes = (await harness()).tavern.services.codes;
    const release = codes.release.bind(codes);
    codes.release = async (released: string) => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      await release(released);
    };
    try {
      await closeTableRoom(room);
      const again = await openTableRoom(gm, { create: { sessionId } });
      rooms.push(again as never);
      assert.equal(again.state.code, code);
      assert.equal(again.state.gm?.version, last.version);
    } finally {
      codes.release = release;
    }
  });

  it("a stored session whose log does not rebuild the acknowledged hash is refused, and says why", async () => {
    const gm = await newPlayer("tamper-gm");
    const { room } = await sessionWithUpdates(gm, 1);
    const code = room.state.code;
    const sessionId = await sessionIdOf(code);
    await closeTableRoom(room);
    const { database } = await harness();
    await database.db
      .update(sessions)
      .set({ headHash: "0".repeat(64) })
      .where(eq(sessions.id, sessionId));

    const refused = await errorOf((await newPlayer("victim")).client.join("table", { code }));
    assert.equal(refused.code, "PERSISTENCE_ERROR");
    assert.match(refused.message, /was acknowledged; it was not opened/);
  });

  it("an update the database does not take is not applied, and the GM gets PERSISTENCE_ERROR", async () => {
    const gm = await newPlayer("unlucky-gm");
    const { room, last } = await sessionWithUpdates(gm, 1);
    const store = (await harness()).tavern.services.sessions;
    const append = store.append.bind(store);
    store.append = async () => {
      throw new Error("disk full");
    };
    try {
      const failed = await errorOf(
        room.request("update", { baseVersion: last.version, ops: [{ op: "set", path: "title", value: "Lost" }] }),
      );
      assert.equal(failed.code, "PERSISTENCE_ERROR");
    } finally {
      store.append = append;
    }
    await waitFor("client caught up", () => room.state.gm?.version === last.version);
    await room.request("ping");
    assert.equal(room.state.gm?.version, last.version);
    assert.equal(room.state.title, "Durable");
    const retried = (await room.request("update", {
      baseVersion: last.version,
      ops: [{ op: "set", path: "title", value: "Kept" }],
    })) as UpdateReply;
    assert.equal(retried.version, last.version + 1);
  });

  it("room life is in the audit log: created, joined, host changed, left, disposed", async () => {
    const gm = await newPlayer("audited-gm");
    const room = await openTableRoom(gm, { create: { title: "Audit" } });
    const player = await openTableRoom(await newPlayer("audited-player"), { code: room.state.code });
    const roomId = room.roomId;
    await player.leave(true);
    await closeTableRoom(room);
    const { tavern } = await harness();
    await tavern.services.audit.flush();
    const kinds = (await tavern.services.audit.forRoom(roomId)).map((e) => e.kind);
    assert.deepEqual(kinds, ["created", "joined", "host-changed", "joined", "left", "left", "disposed"]);
  });
});
