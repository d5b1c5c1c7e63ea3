/**
 * The secret-leak test: a scripted table session with hidden actors, items and combatants, hidden
 * moves, secret rolls, GM notes, a reveal and a hide again, and a reopen; every frame a player and
 * a spectator receive is recorded through the real SDK, and then searched for anything they may
 * not have: a hidden name, note or id, a whole-document hash, a version that counts hidden
 * changes, or a hole in the numbering of what they were sent (refIds, map entry indexes) where a
 * hidden entity was counted.
 */
import assert from "node:assert/strict";
import type { Room } from "@colyseus/sdk";
import type { TableDoc } from "@tavern/shared/table/document";
import { docFromState } from "@tavern/shared/table/fromState";
import { hashPublicTable, hashTable } from "@tavern/shared/table/hash";
import type { TableState } from "@tavern/shared/table/state";
import { hashState, type StateHashReply } from "@tavern/shared/stateHash";
import type { ErrorBody } from "@tavern/shared/errors";
import { errorOf, harness, leaveQuietly, newPlayer, track, waitFor, sleep, type Player, type SpaceRoomClient } from "../support/harness";
import { holes, occurrences, receptionOf, recordAllRooms, type Reception } from "../support/frames";

type TableClient = Room<unknown, TableState>;

/** Time for a patch the GM already holds to have reached every other client on loopback too. */
const SETTLE_MS = 150;

/** Reply fields a player or spectator may receive about the session's version. */
const PUBLIC_REPLY_KEYS = new Set(["publicVersion", "publicHash"]);
const PUBLIC_CONFLICT_KEYS = new Set(["currentPublicVersion", "currentPublicHash"]);

interface Observed {
  role: "player" | "spectator";
  /** One per room this observer was in (the session's first room, then the reopened one). */
  rooms: TableClient[];
}

interface StepRecord {
  label: string;
  /** Whether what players see of the document changed (computed from the GM's document). */
  publicChanged: boolean;
  /** Per observer: frames received during the step, and publicVersion before and after. */
  seen: { role: string; frames: number; before: unknown; after: unknown }[];
}

interface Transcript {
  gmRooms: TableClient[];
  observers: Observed[];
  steps: StepRecord[];
  /** Strings no observer may ever receive. */
  alwaysSecret: string[];
  /** Strings no observer may receive before the reveal (the revealed goblin, until then hidden). */
  secretUntilReveal: string[];
  /** Per observer room: how many frames it had received when the reveal happened. */
  framesAtReveal: Map<TableClient, number>;
  /** Whole-document hashes that differed from the public hash at their moment. */
  wholeHashes: Set<string>;
  /** Everything answered to observers (replies and error bodies), with what asked for it. */
  answers: { what: string; body: unknown }[];
  stateHashChecks: { role: string; reply: StateHashReply; own: string }[];
  /** The GM's stateHash: of the whole state, GM-only part included. */
  gmStateHash: { reply: StateHashReply; own: string } | undefined;
  publicVersionBeforeClose: unknown;
  publicVersionAfterReopen: unknown[];
}

describe("secret-leak test: what players and spectators receive of hidden table state", function () {
  this.timeout(120_000);
  let stopRecording: () => void = () => undefined;
  let t: Transcript;

  before(async () => {
    await harness();
    stopRecording = recordAllRooms();
    t = await playSession();
  });

  after(async () => {
    stopRecording();
    if (!t) return;
    await Promise.all([...t.gmRooms, ...t.observers.flatMap((o) => o.rooms)].map((r) => leaveQuietly(r)));
  });

  it("no hidden name, note, id or whole-document hash reaches a player or a spectator, in any frame", () => {
    assert.ok(t.wholeHashes.size >= 10, "the script produced whole-document hashes to look for");
    for (const observer of t.observers) {
      assert.ok(observer.rooms.reduce((n, room) => n + receptionOf(room).frames.length, 0) > 15, `${observer.role} received frames`);
      for (const room of observer.rooms) {
        const { frames } = receptionOf(room);
        assert.ok(frames.length > 3, `${observer.role} received frames`);
        for (const secret of t.alwaysSecret) {
          assert.deepEqual(occurrences(frames, secret), [], `${observer.role} received "${secret}"`);
        }
        for (const hash of t.wholeHashes) {
          assert.deepEqual(occurrences(frames, hash), [], `${observer.role} received the whole-document hash ${hash.slice(0, 12)}`);
        }
        const beforeReveal = frames.slice(0, t.framesAtReveal.get(room) ?? frames.length);
        for (const secret of t.secretUntilReveal) {
          assert.deepEqual(occurrences(beforeReveal, secret), [], `${observer.role} received "${secret}" before it was revealed`);
        }
      }
    }
  });

  it("the refIds and map entry indexes a player or a spectator receives have no holes: nothing hidden is counted", () => {
    for (const observer of t.observers) {
      for (const [n, room] of observer.rooms.entries()) {
        const reception: Reception = receptionOf(room);
        assert.ok(reception.refIds.size > 20, "state was decoded");
        assert.deepEqual(holes(reception.refIds), [], `${observer.role} (room ${n + 1}) can count refIds it never received`);
        for (const [refId, indexes] of reception.mapIndexes) {
          assert.deepEqual(holes(indexes), [], `${observer.role} (room ${n + 1}) can count entries of map ${refId} it never received`);
        }
      }
    }
  });

  it("publicVersion moves by exactly one when something players see changes, never on hidden changes, and survives a reopen; hidden changes send them no frame", () => {
    const hidden = t.steps.filter((s) => !s.publicChanged);
    const shown = t.steps.filter((s) => s.publicChanged);
    assert.ok(hidden.length >= 10 && shown.length >= 6, "the script has hidden and public steps");
    for (const step of t.steps) {
      for (const seen of step.seen) {
        assert.equal(typeof seen.before, "number", `${seen.role} holds a publicVersion before "${step.label}"`);
        const expected = (seen.before as number) + (step.publicChanged ? 1 : 0);
        assert.equal(seen.after, expected, `${seen.role}'s publicVersion after "${step.label}"`);
        if (!step.publicChanged)
          assert.equal(seen.frames, 0, `${seen.role} received ${seen.frames} frame(s) during the hidden step "${step.label}"`);
      }
    }
    assert.equal(typeof t.publicVersionBeforeClose, "number");
    for (const after of t.publicVersionAfterReopen)
      assert.equal(after, t.publicVersionBeforeClose, "the reopened room goes on at the same publicVersion");
  });

  it("replies, errors and stateHash answers to players carry only public versions and hashes; their integrity check holds", () => {
    assert.ok(t.answers.length >= 4);
    for (const { what, body } of t.answers) {
      const error = body as Partial<ErrorBody>;
      if (error.code !== undefined) {
        const details = Object.keys(error.details ?? {});
        assert.ok(
          details.every((k) => PUBLIC_CONFLICT_KEYS.has(k)),
          `${what}: error details ${details.join(", ")}`,
        );
        assert.ok(details.length > 0 || error.code !== "VERSION_CONFLICT", `${what}: a conflict says the current public version`);
        for (const hash of t.wholeHashes) assert.ok(!JSON.stringify(body).includes(hash), `${what}: a whole-document hash`);
      } else {
        const keys = Object.keys(body as object);
        assert.deepEqual(
          keys.filter((k) => !PUBLIC_REPLY_KEYS.has(k)),
          [],
          `${what}: reply fields ${keys.join(", ")}`,
        );
      }
    }
    assert.ok(t.stateHashChecks.length >= 2);
    for (const { role, reply, own } of t.stateHashChecks) {
      assert.equal(reply.hash, own, `${role}'s stateHash is the hash of the state it holds`);
      assert.ok(!t.wholeHashes.has(reply.hash));
    }
    for (const observer of t.observers) {
      const room = observer.rooms.at(-1)!;
      assert.equal(
        hashTable(docFromState(room.state)),
        (room.state as { publicHash?: string }).publicHash,
        `${observer.role}'s decoded document hashes to publicHash`,
      );
    }
  });

  it("the GM holds the whole version and hash, which its decoded document hashes to", () => {
    const gm = t.gmRooms.at(-1)!;
    const full = (gm.state as { gm?: { version: number; hash: string } }).gm;
    assert.ok(full, "the GM has the GM-only part of the state");
    assert.equal(hashTable(docFromState(gm.state)), full.hash);
    assert.ok(full.version > t.steps.length, "the whole version counts every change");
    assert.equal(t.gmStateHash?.reply.hash, t.gmStateHash?.own, "the GM's stateHash covers the whole state it holds");
    assert.ok(!t.stateHashChecks.some((c) => c.reply.hash === t.gmStateHash?.reply.hash), "players are answered another hash than the GM");
  });
});

/** The scripted session; records what it needs and asserts as little as it can, so each check above fails on its own. */
async function playSession(): Promise<Transcript> {
  const gmPlayer = await newPlayer("keeper");
  const hero = await newPlayer("hero");
  const watcher = await newPlayer("watcher");
  const t: Transcript = {
    gmRooms: [],
    observers: [
      { role: "player", rooms: [] },
      { role: "spectator", rooms: [] },
    ],
    steps: [],
    alwaysSecret: [],
    secretUntilReveal: [],
    framesAtReveal: new Map(),
    wholeHashes: new Set(),
    answers: [],
    stateHashChecks: [],
    gmStateHash: undefined,
    publicVersionBeforeClose: undefined,
    publicVersionAfterReopen: [],
  };
  let gm = await openTable(gmPlayer, { create: { title: "The Waterfall", plugin: "generic" } });
  t.gmRooms.push(gm);
  const code = gm.state.code;
  const noteHash = (doc: TableDoc) => {
    const whole = hashTable(doc);
    if (whole !== hashPublicTable(doc)) t.wholeHashes.add(whole);
  };

  /** A GM request that must succeed; waits until the GM's decoded document is the one answered. */
  const gmDoes = async <R extends { hash: string }>(type: string, payload: unknown): Promise<R> => {
    let reply: R;
    try {
      reply = (await gm.request(type, payload)) as R;
    } catch (err) {
      const body = await errorOf(Promise.reject(err));
      throw new Error(`${type} ${JSON.stringify(payload)} was refused: ${body.code} ${body.message}`, { cause: err });
    }
    await waitFor(`GM holds ${type}`, () => hashTable(docFromState(gm.state)) === reply.hash);
    noteHash(docFromState(gm.state));
    return reply;
  };
  const created = async (collection: string, fields: Record<string, unknown>) =>
    (await gmDoes<{ hash: string; id: string }>("create", { collection, fields })).id;

  // Before anyone else is there: hidden things between public ones, so a counter that counts them shows a hole.
  const aria = await created("characters", { name: "Aria", ownerId: hero.session.playerId, x: 1, y: 1 });
  const goblins: string[] = [];
  for (const [i, name] of ["Secret Goblin One", "Secret Goblin Two", "Secret Goblin Three"].entries()) {
    const loot = `${name} carries ${i + 3} rubies`;
    goblins.push(
      await created("actors", {
        name,
        hidden: true,
        hp: 37,
        maxHp: 37,
        x: 17,
        y: 11 - i,
        notes: `${name} waits behind the waterfall`,
        plugin: { loot },
      }),
    );
  }
  const innkeeper = await created("actors", { name: "Innkeeper", kind: "npc", x: 2, y: 2 });
  const amulet = await created("items", { name: "Cursed Amulet of Nine", hidden: true, notes: "whispers at night" });
  const dagger = await created("items", { name: "Serrated Goblin Dagger", holderId: goblins[0] });
  await created("items", { name: "Torch", holderId: aria });
  const [g1, g2, g3] = goblins as [string, string, string];
  t.alwaysSecret.push(
    "Secret Goblin Two",
    "Secret Goblin Three",
    "Secret Goblin Two waits behind the waterfall",
    "Secret Goblin Three waits behind the waterfall",
    "Secret Goblin Two carries 4 rubies",
    "Secret Goblin Three carries 5 rubies",
    "Cursed Amulet of Nine",
    "whispers at night",
    g2,
    g3,
    amulet,
  );
  t.secretUntilReveal.push("Secret Goblin One", "waits behind the waterfall", g1, dagger, "Serrated Goblin Dagger");

  // Player and spectator join; their frames are recorded from the first one.
  const observerRooms = async () => {
    const player = await openTable(hero, { code });
    const spectator = await openTable(watcher, { code, spectator: true });
    t.observers[0]!.rooms.push(player);
    t.observers[1]!.rooms.push(spectator);
    return [player, spectator] as const;
  };
  let [player, spectator] = await observerRooms();
  await waitFor("three seats", () => gm.state.players.size === 3);
  await sleep(SETTLE_MS);

  const publicVersionOf = (room: TableClient) => (room.state as { publicVersion?: unknown }).publicVersion;
  /** Runs one change and records what each observer received while it happened. */
  const step = async (label: string, intent: "hidden" | "public", change: () => Promise<unknown>) => {
    const observers = [player, spectator];
    const before = observers.map((r) => ({ frames: receptionOf(r).frames.length, version: publicVersionOf(r) }));
    const publicBefore = hashPublicTable(docFromState(gm.state));
    await change();
    const doc = docFromState(gm.state);
    const publicAfter = hashPublicTable(doc);
    const publicChanged = publicAfter !== publicBefore;
    assert.equal(publicChanged, intent === "public", `the script's step "${label}" is ${intent}`);
    await waitFor(`observers see "${label}"`, () => observers.every((r) => hashTable(docFromState(r.state)) === publicAfter));
    await sleep(SETTLE_MS);
    t.steps.push({
      label,
      publicChanged,
      seen: observers.map((r, i) => ({
        role: i === 0 ? "player" : "spectator",
        frames: receptionOf(r).frames.length - before[i]!.frames,
        before: before[i]!.version,
        after: publicVersionOf(r),
      })),
    });
  };
  /** A player's request whose answer (reply or error) is recorded. */
  const playerAsks = async (what: string, room: TableClient, type: string, payload: unknown) => {
    try {
      const reply = await room.request(type, payload);
      t.answers.push({ what, body: reply });
      return reply as Record<string, unknown>;
    } catch (err) {
      const body = await errorOf(Promise.reject(err));
      t.answers.push({ what, body });
      return body as unknown as Record<string, unknown>;
    }
  };

  await step("GM moves a hidden goblin", "hidden", () => gmDoes("moveToken", { kind: "actor", id: g1, x: 5, y: 5 }));
  await step("GM wounds a hidden goblin", "hidden", async () =>
    gmDoes("update", { baseVersion: gmVersion(gm), ops: [{ op: "inc", path: `actors.${g2}.hp`, value: -5 }] }),
  );
  await step("GM changes the hidden amulet", "hidden", async () =>
    gmDoes("update", { baseVersion: gmVersion(gm), ops: [{ op: "set", path: `items.${amulet}.quantity`, value: 3 }] }),
  );
  await step("GM adds a fourth hidden goblin", "hidden", async () => {
    const id = await created("actors", { name: "Secret Goblin Four", hidden: true, x: 9, y: 9 });
    t.alwaysSecret.push("Secret Goblin Four", id);
  });
  await step("GM rolls in secret", "hidden", async () => {
    await gm.request("roll", { expression: "1d20+2", label: "whisper-check", secret: true });
    await waitFor("secret roll in the GM's dice log", () => (gm.state.gm?.rolls ?? []).some((r) => r.label === "whisper-check"));
  });
  t.alwaysSecret.push("whisper-check");
  await step("GM damages a hidden goblin with a rules action", "hidden", () =>
    gmDoes("action", { name: "damage", target: { kind: "actor", id: g3 }, args: { amount: 4 } }),
  );

  await step("the player moves their own token", "public", async () => {
    const reply = await playerAsks("moveToken", player, "moveToken", {
      kind: "character",
      id: aria,
      x: 3,
      y: 1,
      baseVersion: publicVersionOf(player),
    });
    await waitFor("GM sees the move", () => gm.state.characters.get(aria)?.x === 3);
    noteHash(docFromState(gm.state));
    return reply;
  });
  const stale = await playerAsks("moveToken on a stale baseVersion", player, "moveToken", {
    kind: "character",
    id: aria,
    x: 4,
    y: 1,
    baseVersion: 0,
  });
  assert.equal(stale["code"], "VERSION_CONFLICT", "a stale baseVersion is refused");
  await playerAsks("moveToken of an actor", player, "moveToken", { kind: "actor", id: g1, x: 4, y: 1 });
  await playerAsks("a spectator's moveToken", spectator, "moveToken", { kind: "character", id: aria, x: 4, y: 1 });

  // An encounter with hidden combatants; initiative set by hand so that turns pass hidden ones in a known order.
  await step("GM starts an encounter with Aria", "public", () =>
    gmDoes("encounter", { type: "start", combatants: [{ kind: "character", id: aria }] }),
  );
  await step("GM adds a hidden goblin as a hidden combatant", "hidden", () =>
    gmDoes("encounter", { type: "addCombatant", source: { kind: "actor", id: g1 }, hidden: true }),
  );
  await step("GM adds a second hidden combatant", "hidden", () =>
    gmDoes("encounter", { type: "addCombatant", source: { kind: "actor", id: g2 }, hidden: true }),
  );
  await step("GM adds the innkeeper", "public", () =>
    gmDoes("encounter", { type: "addCombatant", source: { kind: "actor", id: innkeeper } }),
  );
  const combatantOf = (sourceId: string) => {
    const found = allCombatantIds(gm).find(([, sid]) => sid === sourceId);
    assert.ok(found, `a combatant for ${sourceId}`);
    return found[0];
  };
  const [cAria, cG1, cG2, cInn] = [combatantOf(aria), combatantOf(g1), combatantOf(g2), combatantOf(innkeeper)];
  t.alwaysSecret.push(cG2);
  t.secretUntilReveal.push(cG1);
  await step("GM sets Aria's initiative", "public", () =>
    gmDoes("encounter", { type: "setInitiative", combatantId: cAria, initiative: 20 }),
  );
  await step("GM sets a hidden combatant's initiative", "hidden", () =>
    gmDoes("encounter", { type: "setInitiative", combatantId: cG1, initiative: 15 }),
  );
  await step("GM sets the other hidden combatant's initiative", "hidden", () =>
    gmDoes("encounter", { type: "setInitiative", combatantId: cG2, initiative: 14 }),
  );
  await step("GM sets the innkeeper's initiative", "public", () =>
    gmDoes("encounter", { type: "setInitiative", combatantId: cInn, initiative: 10 }),
  );
  await step("first turn: Aria", "public", () => gmDoes("encounter", { type: "nextTurn" }));
  await step("turn passes to a hidden combatant", "public", () => gmDoes("encounter", { type: "nextTurn" }));
  await step("turn passes between hidden combatants", "hidden", () => gmDoes("encounter", { type: "nextTurn" }));
  await step("turn reaches the innkeeper", "public", () => gmDoes("encounter", { type: "nextTurn" }));

  // Reveal the first goblin (its token, its combatant, the dagger it holds), then hide it again.
  for (const room of [player, spectator]) t.framesAtReveal.set(room, receptionOf(room).frames.length);
  await step("GM reveals the first goblin", "public", () => gmDoes("encounter", { type: "reveal", combatantId: cG1 }));
  await step("GM hides it again", "public", () => gmDoes("encounter", { type: "hide", combatantId: cG1 }));
  await step("GM moves it while hidden", "hidden", () => gmDoes("moveToken", { kind: "actor", id: g1, x: 6, y: 6 }));
  await step("GM writes a note on it while hidden", "hidden", async () =>
    gmDoes("update", { baseVersion: gmVersion(gm), ops: [{ op: "set", path: `actors.${g1}.notes`, value: "regroups in the cave" }] }),
  );
  t.alwaysSecret.push("regroups in the cave");

  for (const [i, room] of [player, spectator].entries()) {
    const reply = (await room.request("stateHash")) as StateHashReply;
    t.stateHashChecks.push({
      role: i === 0 ? "player" : "spectator",
      reply,
      own: hashState(room.state as unknown as { toJSON(): unknown }),
    });
  }
  const gmReply = (await gm.request("stateHash")) as StateHashReply;
  t.gmStateHash = { reply: gmReply, own: hashState(gm.state as unknown as { toJSON(): unknown }) };

  // Everyone leaves; the player comes back by code and reopens the stored session; then the others.
  t.publicVersionBeforeClose = publicVersionOf(player);
  const roomId = gm.roomId;
  for (const room of [spectator, player, gm]) await leaveQuietly(room);
  const { colyseus } = await harness();
  await waitFor("room disposed", () => !roomExists(colyseus, roomId));
  [player, spectator] = await observerRooms();
  gm = await openTable(gmPlayer, { code });
  t.gmRooms.push(gm);
  await waitFor("GM back in the reopened room", () => gm.state.players.get(gmPlayer.session.playerId)?.role === "host");
  await sleep(SETTLE_MS);
  t.publicVersionAfterReopen = [publicVersionOf(player), publicVersionOf(spectator)];
  noteHash(docFromState(gm.state));

  await step("after the reopen, GM moves a hidden goblin", "hidden", () => gmDoes("moveToken", { kind: "actor", id: g3, x: 7, y: 7 }));
  await step("after the reopen, the player moves their token", "public", async () => {
    await playerAsks("moveToken after the reopen", player, "moveToken", {
      kind: "character",
      id: aria,
      x: 5,
      y: 1,
      baseVersion: publicVersionOf(player),
    });
    await waitFor("GM sees the move", () => gm.state.characters.get(aria)?.x === 5);
    noteHash(docFromState(gm.state));
  });
  await playerAsks("moveToken on a stale baseVersion after the reopen", player, "moveToken", {
    kind: "character",
    id: aria,
    x: 6,
    y: 1,
    baseVersion: 1,
  });
  return t;
}

async function openTable(
  player: Player,
  how: { create?: Record<string, unknown>; code?: string; spectator?: boolean },
): Promise<TableClient> {
  const room = (how.code
    ? await player.client.join("table", { code: how.code, ...(how.spectator ? { spectator: true } : {}) })
    : await player.client.create("table", how.create ?? {})) as unknown as TableClient;
  track(room as unknown as SpaceRoomClient);
  await waitFor("table state", () => Boolean(room.state?.code) && Boolean(room.state.title));
  return room;
}

/** The version the GM's updates build on: the whole one (GM-only part of the state, else the root's). */
function gmVersion(gm: TableClient): number {
  const state = gm.state as unknown as { gm?: { version: number }; version?: number };
  return state.gm?.version ?? state.version ?? 0;
}

/** Every combatant the GM holds, [id, sourceId], wherever the state keeps it. */
function allCombatantIds(gm: TableClient): [string, string][] {
  const doc = docFromState(gm.state);
  return Object.entries(doc.encounter?.combatants ?? {}).map(([id, c]) => [id, c.sourceId]);
}

function roomExists(colyseus: Awaited<ReturnType<typeof harness>>["colyseus"], roomId: string): boolean {
  try {
    return Boolean(colyseus.getRoomById(roomId));
  } catch {
    return false;
  }
}
