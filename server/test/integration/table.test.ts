import assert from "node:assert/strict";
import type { Room } from "@colyseus/sdk";
import { docFromState } from "@tavern/shared/table/fromState";
import { hashTable } from "@tavern/shared/table/hash";
import type { PublicUpdateReply, UpdateReply } from "@tavern/shared/table/operations";
import type { TableState } from "@tavern/shared/table/state";
import { errorOf, newPlayer, roomsLeftAfterEach, sleep, track, waitFor, type Player, type SpaceRoomClient } from "../support/harness";

type TableClient = Room<unknown, TableState>;

async function createTable(gm: Player, options: Record<string, unknown> = {}): Promise<TableClient> {
  const room = (await gm.client.create("table", { title: "Crypt of Ash", ...options })) as unknown as TableClient;
  track(room as unknown as SpaceRoomClient);
  await waitFor("table code", () => Boolean(room.state.code) && Boolean(room.state.gm?.hash));
  return room;
}

async function joinTable(player: Player, code: string): Promise<TableClient> {
  const room = (await player.client.join("table", { code })) as unknown as TableClient;
  track(room as unknown as SpaceRoomClient);
  await waitFor("table state", () => Boolean(room.state?.publicHash));
  return room;
}

/**
 * Every client has decoded the change answered by `reply` (the GM's whole version when the reply
 * has it, everyone's public version) and its rebuilt document hashes to what the server says it
 * should see; players hold the public version and hash only.
 */
async function allAgree(gm: TableClient, players: TableClient[], reply: PublicUpdateReply & { version?: number }): Promise<void> {
  const { version, publicVersion } = reply;
  await waitFor(
    `the GM at version ${version ?? "?"} (public ${publicVersion})`,
    () => gm.state.publicVersion === publicVersion && (version === undefined || gm.state.gm?.version === version),
  );
  await waitFor(`every player at public version ${publicVersion}`, () => players.every((r) => r.state.publicVersion === publicVersion));
  assert.equal(hashTable(docFromState(gm.state)), gm.state.gm?.hash, "GM's decoded state hashes to the server's hash");
  for (const p of players) {
    assert.equal(p.state.gm, undefined, "players never receive the GM-only part");
    assert.equal(p.state.publicHash, gm.state.publicHash);
    assert.equal(hashTable(docFromState(p.state)), p.state.publicHash, "player's decoded state hashes to the public hash");
  }
}

/** A GM request that must succeed; a refusal fails the test with the server's words. */
async function ok<T = UpdateReply>(room: TableClient, type: string, payload: unknown): Promise<T> {
  try {
    return (await room.request(type, payload)) as T;
  } catch (err) {
    const body = await errorOf(Promise.reject(err));
    assert.fail(`${type} ${JSON.stringify(payload)} was refused: ${body.code} ${body.message}`);
  }
}

/** Captures every frame the server sends to this client from now on, patches and messages alike. */
function recordFrames(room: TableClient): Buffer[] {
  const frames: Buffer[] = [];
  const events = room.connection.events as { onmessage?: (event: { data: unknown }) => void };
  const original = events.onmessage;
  events.onmessage = (event) => {
    const data = event.data;
    frames.push(Buffer.from(data instanceof ArrayBuffer ? new Uint8Array(data) : (data as Uint8Array)));
    original?.(event);
  };
  return frames;
}

describe("table room: GM authority, versioned updates, hidden combatants", function () {
  this.timeout(30_000);
  const rooms = roomsLeftAfterEach();

  async function gmAndThreePlayers(options: Record<string, unknown> = {}) {
    const gmPlayer = await newPlayer("gm");
    const gm = await createTable(gmPlayer, options);
    const players = await Promise.all(["ana", "bo", "cy"].map(async (n) => joinTable(await newPlayer(n), gm.state.code)));
    rooms.push(gm as never, ...(players as never[]));
    await waitFor("four seats", () => gm.state.players.size === 4);
    return { gm, gmPlayer, players };
  }

  it("the creator is the GM; GM updates apply and every client's decoded state matches the hash; players are refused", async () => {
    const { gm, players } = await gmAndThreePlayers();
    assert.equal(gm.state.players.get(gm.state.hostId)?.name, "gm");
    assert.equal(gm.state.title, "Crypt of Ash");
    assert.equal(gm.state.gm?.version, 0);
    assert.equal(gm.state.publicVersion, 0);

    const created = (await gm.request("create", {
      collection: "characters",
      fields: { name: "Aria", ownerId: "nobody" },
    })) as UpdateReply & { id: string };
    assert.equal(created.version, 1);
    assert.equal(created.publicVersion, 1);
    await allAgree(gm, players, created);

    let version = created.version;
    const updates = [
      [{ op: "set", path: `characters.${created.id}.hp`, value: 4 }],
      [
        { op: "inc", path: `characters.${created.id}.hp`, value: 3 },
        { op: "set", path: "title", value: "Crypt, night two" },
      ],
      [{ op: "set", path: `characters.${created.id}.plugin.inventory`, value: ["rope"] }],
      [{ op: "push", path: `characters.${created.id}.plugin.inventory`, value: { name: "lamp" } }],
      [{ op: "pull", path: `characters.${created.id}.plugin.inventory`, value: "rope" }],
      [{ op: "unset", path: `characters.${created.id}.plugin.inventory` }],
    ];
    for (const ops of updates) {
      const reply = (await gm.request("update", { baseVersion: version, ops })) as UpdateReply;
      assert.equal(reply.version, version + 1);
      version = reply.version;
      await allAgree(gm, players, reply);
      assert.equal(gm.state.gm?.hash, reply.hash);
      assert.equal(gm.state.publicHash, reply.publicHash);
    }
    assert.equal(players[0]!.state.characters.get(created.id)?.hp, 7);
    assert.equal(players[2]!.state.title, "Crypt, night two");

    for (const p of players) {
      const err = await errorOf(p.request("update", { baseVersion: version, ops: [{ op: "set", path: "title", value: "Mine" }] }));
      assert.equal(err.code, "PERMISSION_DENIED");
    }
    const bad = await errorOf(
      gm.request("update", { baseVersion: version, ops: [{ op: "set", path: `characters.${created.id}.hp`, value: "x" }] }),
    );
    assert.equal(bad.code, "VALIDATION_ERROR");
    assert.match(bad.message, /Op 0 \(set characters\..+\.hp\)/);
    await gm.request("ping");
    assert.equal(gm.state.gm?.version, version, "refused updates change no version");
  });

  it("two GM updates racing on the same baseVersion: one applies, the other gets VERSION_CONFLICT", async () => {
    const { gm, players } = await gmAndThreePlayers();
    const base = gm.state.gm!.version;
    const results = await Promise.allSettled([
      gm.request("update", { baseVersion: base, ops: [{ op: "set", path: "title", value: "First" }] }),
      gm.request("update", { baseVersion: base, ops: [{ op: "set", path: "title", value: "Second" }] }),
    ]);
    const applied = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r) => r.status === "rejected");
    assert.equal(applied.length, 1);
    assert.equal(refused.length, 1);
    const conflict = await errorOf(Promise.reject((refused[0] as PromiseRejectedResult).reason));
    assert.equal(conflict.code, "VERSION_CONFLICT");
    assert.equal(conflict.details?.["currentVersion"], base + 1);
    await allAgree(gm, players, (await applied[0]!.value) as UpdateReply);
    assert.equal(conflict.details?.["currentHash"], gm.state.gm?.hash);
  });

  it("players move only their own token; dice rolls land in the log", async () => {
    const { gm, players } = await gmAndThreePlayers();
    const ana = players[0]!;
    const anaId = [...gm.state.players.keys()].find((id) => gm.state.players.get(id)?.name === "ana")!;
    const mine = (await gm.request("create", { collection: "characters", fields: { name: "Ana's hero", ownerId: anaId } })) as {
      id: string;
    };
    const other = (await gm.request("create", { collection: "characters", fields: { name: "Someone else" } })) as { id: string };
    const moved = (await ana.request("moveToken", { kind: "character", id: mine.id, x: 3, y: 4 })) as PublicUpdateReply;
    assert.deepEqual(Object.keys(moved).sort(), ["publicHash", "publicVersion"], "a player is answered the public version and hash only");
    await allAgree(gm, players, moved);
    assert.deepEqual([gm.state.characters.get(mine.id)?.x, gm.state.characters.get(mine.id)?.y], [3, 4]);
    assert.equal((await errorOf(ana.request("moveToken", { kind: "character", id: other.id, x: 1, y: 1 }))).code, "PERMISSION_DENIED");
    assert.equal((await errorOf(ana.request("moveToken", { kind: "character", id: mine.id, x: 999, y: 1 }))).code, "VALIDATION_ERROR");

    const rolled = (await ana.request("roll", { expression: "2d6+3", label: "attack" })) as { total: number; detail: string };
    assert.ok(rolled.total >= 5 && rolled.total <= 15);
    await waitFor("roll in everyone's log", () => players.every((p) => p.state.rolls.at(-1)?.detail === rolled.detail));
    assert.equal((await errorOf(ana.request("roll", { expression: "2d0" }))).code, "VALIDATION_ERROR");
    assert.equal((await errorOf(ana.request("roll", { expression: "d20", secret: true }))).code, "PERMISSION_DENIED");
  });

  it("a hidden combatant reaches no player, in state or in any frame, until the GM reveals it", async () => {
    const { gm, players } = await gmAndThreePlayers({ plugin: "dnd5e-lite" });
    const frames = players.map(recordFrames);
    const hero = (await ok(gm, "create", { collection: "characters", fields: { name: "Aria" } })) as { id: string };
    // An ambush prepared in secret, and a goblin everybody has seen that slips into hiding.
    const wraith = (await ok(gm, "create", {
      collection: "actors",
      fields: { name: "Lurking Wraith", hp: 20, maxHp: 20, hidden: true },
    })) as { id: string };
    const goblin = await ok<UpdateReply & { id: string }>(gm, "create", { collection: "actors", fields: { name: "Goblin" } });
    assert.equal(goblin.version, 3);
    assert.equal(goblin.publicVersion, 2, "creating the hidden wraith changed nothing players see");
    await allAgree(gm, players, goblin);
    assert.ok(players.every((p) => p.state.actors.has(goblin.id) && !p.state.actors.has(wraith.id)));
    await ok(gm, "encounter", { type: "start", combatants: [{ kind: "character", id: hero.id }] });
    await ok(gm, "encounter", { type: "addCombatant", source: { kind: "actor", id: wraith.id }, hidden: true });
    const added = await ok(gm, "encounter", { type: "addCombatant", source: { kind: "actor", id: goblin.id }, hidden: true });
    await allAgree(gm, players, added);
    const combatantOf = (sourceId: string) =>
      Object.entries(docFromState(gm.state).encounter?.combatants ?? {}).find(([, c]) => c.sourceId === sourceId)?.[0] ?? "";
    const wraithCombatant = combatantOf(wraith.id);
    const goblinCombatant = combatantOf(goblin.id);
    assert.ok(wraithCombatant && goblinCombatant, "the GM sees both hidden combatants");
    assert.ok(
      players.every((p) => !p.state.actors.has(goblin.id)),
      "hiding the goblin took it away from players",
    );

    const late = await joinTable(await newPlayer("late"), gm.state.code);
    rooms.push(late as never);
    const lateFrames = recordFrames(late);
    const everyone = [...players, late];

    for (const p of everyone) {
      assert.equal(p.state.actors.has(wraith.id), false);
      assert.equal(p.state.encounter.combatants.has(wraithCombatant), false);
      assert.equal(p.state.encounter.combatants.has(goblinCombatant), false);
      assert.equal(p.state.encounter.combatants.size, 1);
    }
    // Run turns, including the hidden one's, and damage it: still nothing reaches players.
    const rolledInit = await ok(gm, "encounter", { type: "rollInitiative" });
    await allAgree(gm, everyone, rolledInit);
    let turned = rolledInit;
    for (let i = 0; i < 3; i++) turned = await ok(gm, "encounter", { type: "nextTurn" });
    const damaged = await ok(gm, "action", { name: "damage", target: { kind: "actor", id: wraith.id }, args: { amount: 3 } });
    const noted = await ok(gm, "update", {
      baseVersion: damaged.version,
      ops: [{ op: "set", path: `actors.${wraith.id}.notes`, value: "Lurking Wraith waits" }],
    });
    assert.equal(noted.version, turned.version + 2);
    assert.equal(noted.publicVersion, turned.publicVersion, "hidden damage and hidden notes move no public version");
    await allAgree(gm, everyone, noted);
    for (const p of everyone) {
      assert.equal(hashTable(docFromState(p.state)), p.state.publicHash);
      assert.equal(p.state.actors.has(wraith.id), false);
      assert.equal(p.state.encounter.combatants.has(wraithCombatant), false);
    }
    const secrets = ["Lurking Wraith", wraith.id, wraithCombatant, goblinCombatant];
    for (const received of [...frames, lateFrames]) {
      const all = Buffer.concat(received);
      for (const secret of secrets) assert.equal(all.includes(Buffer.from(secret)), false, `a player received "${secret}"`);
    }
    assert.ok(frames[0]!.length > 0, "frames were recorded");
    const gmNotes = [...(gm.state.gm?.notes ?? [])].map((n) => n.text).join("\n");
    assert.match(gmNotes, /Lurking Wraith rolls initiative/, "notes about hidden combatants go to the GM alone");
    for (const p of everyone) assert.equal(p.state.gm, undefined, "no GM part on a player");

    const revealed = await ok(gm, "encounter", { type: "reveal", combatantId: wraithCombatant });
    await allAgree(gm, everyone, revealed);
    for (const p of everyone) {
      await waitFor("revealed to players", () => p.state.encounter.combatants.has(wraithCombatant) && p.state.actors.has(wraith.id));
      assert.equal(p.state.actors.get(wraith.id)?.name, "Lurking Wraith");
      assert.equal(p.state.actors.get(wraith.id)?.hp, 17);
      assert.equal(p.state.encounter.combatants.get(wraithCombatant)?.name, "Lurking Wraith");
    }
  });

  it("handing the GM role over gives the new GM the hidden part whole, mid-session; the former GM stops receiving it", async () => {
    const { gm, players } = await gmAndThreePlayers();
    const [ana] = players as [TableClient];
    const secret = await ok<UpdateReply & { id: string }>(gm, "create", {
      collection: "actors",
      fields: { name: "Masked Stranger", hidden: true, plugin: { motive: "revenge" } },
    });
    const letter = await ok(gm, "create", { collection: "items", fields: { name: "Sealed Letter", holderId: secret.id } });
    const gmPartOf = (room: TableClient) => room.state.gm;
    await waitFor("the GM holds both", () => gmPartOf(gm)?.version === letter.version);
    assert.equal(gmPartOf(ana), undefined);
    const anaId = [...gm.state.players.entries()].find(([, p]) => p.name === "ana")![0];
    await gm.request("transferHost", { playerId: anaId });
    await waitFor("Ana holds the GM-only part", () => ana.state.hostId === anaId && gmPartOf(ana)?.actors.has(secret.id) === true);
    const doc = docFromState(ana.state);
    assert.equal(hashTable(doc), gmPartOf(ana)?.hash, "the new GM's decoded document is the whole one");
    assert.deepEqual(doc.actors[secret.id]?.plugin, { motive: "revenge" });
    assert.equal(Object.values(doc.items).find((i) => i.holderId === secret.id)?.name, "Sealed Letter");

    const moved = await ok(ana, "moveToken", { kind: "actor", id: secret.id, x: 4, y: 4 });
    await waitFor("the new GM sees the hidden move", () => gmPartOf(ana)?.version === moved.version);
    await sleep(150);
    assert.notEqual(gm.state.gm?.version, moved.version, "the former GM no longer receives the GM-only part");
    assert.notEqual(
      hashTable(docFromState(gm.state)),
      gm.state.publicHash,
      "what it still holds fails its integrity check, so it joins again",
    );
  });

  it("a fractional initiative reaches every client exactly: their documents still hash to what they are sent (found by the fuzzer)", async () => {
    const { gm, players } = await gmAndThreePlayers();
    const hero = await ok<UpdateReply & { id: string }>(gm, "create", { collection: "characters", fields: { name: "Aria" } });
    const started = await ok(gm, "encounter", { type: "start", combatants: [{ kind: "character", id: hero.id }] });
    await allAgree(gm, players, started);
    const combatantId = [...gm.state.encounter.combatants.keys()][0]!;
    const set = await ok(gm, "encounter", { type: "setInitiative", combatantId, initiative: 12.3 });
    await allAgree(gm, players, set);
    assert.equal(gm.state.encounter.combatants.get(combatantId)?.initiative, 12.3);
  });
});
