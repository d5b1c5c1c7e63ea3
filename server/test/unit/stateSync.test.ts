import assert from "node:assert/strict";
import { $refId, Decoder, Encoder, MapSchema, type StateView, type Schema } from "@colyseus/schema";
import { emptyTable, newActor, newCharacter, newCombatant, newItem, type TableDoc } from "@tavern/shared/table/document";
import { docFromState } from "@tavern/shared/table/fromState";
import { hashPublicTable, hashTable, publicProjection } from "@tavern/shared/table/hash";
import { TableState } from "@tavern/shared/table/state";
import { GM_AUDIENCE, TableStateSync } from "../../src/rooms/table/stateSync";
import { PRIVATE_REF_ID_BASE as GM_REF_ID_BASE, SeatViews } from "../../src/lifecycle/seatViews";

function stampOf(doc: TableDoc, version: number) {
  return { version, hash: hashTable(doc), publicVersion: version, publicHash: hashPublicTable(doc) };
}

/** A room's encoder with a GM (its view) and a player (no view), each decoding what it is sent. */
function room() {
  const state = new TableState();
  const views = new SeatViews();
  const sync = new TableStateSync(state, views);
  const encoder = new Encoder(state);
  const gmClient: { view?: StateView } = {};
  views.show(gmClient, [GM_AUDIENCE]);
  const gm = new Decoder(new TableState());
  const player = new Decoder(new TableState());
  const playerBytes: Uint8Array[] = [];
  const seen = { refIds: new Set<number>(), indexes: new Map<number, Set<number>>() };
  const note = () => {
    for (const [refId, ref] of player.root.refs) {
      seen.refIds.add(refId);
      if (ref instanceof MapSchema) {
        const set = seen.indexes.get(refId) ?? new Set<number>();
        for (const index of ref.$indexes.keys()) set.add(index);
        seen.indexes.set(refId, set);
      }
    }
  };
  let joined = false;
  /** Sends what changed since the last call, as Colyseus does: the full state at first, then patches. */
  const flush = () => {
    const view = gmClient.view!;
    if (!joined) {
      const shared = encoder.encodeAll({ offset: 0 }).slice();
      gm.decode(encoder.encodeAllView(view, shared.length, { offset: shared.length }).slice());
      player.decode(shared);
      playerBytes.push(shared);
      joined = true;
    } else {
      const it = { offset: 0 };
      const shared = encoder.encode(it).slice();
      gm.decode(encoder.encodeView(view, it.offset, { offset: it.offset }).slice());
      if (shared.length > 0) player.decode(shared);
      playerBytes.push(shared);
    }
    encoder.discardChanges();
    note();
  };
  return { state, sync, encoder, gm, player, playerBytes, seen, flush };
}

function refIdOf(ref: object): number {
  return (ref as { [$refId]: number })[$refId];
}

describe("table state sync", () => {
  it("the schema state rebuilds into the same document, through creations, changes and removals", () => {
    const state = new TableState();
    const sync = new TableStateSync(state, new SeatViews());
    const steps: TableDoc[] = [];
    const base: TableDoc = {
      ...emptyTable("Crypt", "generic", { weather: "rain" }),
      characters: { c1: newCharacter({ name: "Aria", plugin: { bag: ["rope", { n: 1 }] } }) },
      actors: { a1: newActor({ name: "Goblin", hidden: true }) },
    };
    steps.push(base);
    steps.push({
      ...base,
      plugin: { moon: "full" },
      characters: { ...base.characters, c2: newCharacter({ name: "Bo", x: 3 }) },
      encounter: { round: 1, turnId: "k1", combatants: { k1: newCombatant({ sourceKind: "actor", sourceId: "a1", name: "Goblin" }) } },
    });
    steps.push({ ...steps[1]!, characters: { c2: steps[1]!.characters["c2"]! }, encounter: null });
    steps.forEach((doc, version) => {
      sync.sync(doc, stampOf(doc, version));
      assert.equal(hashTable(docFromState(state)), hashTable(doc), `step ${version}`);
      assert.equal(state.gm!.version, version);
      assert.equal(state.gm!.hash, hashTable(doc));
      assert.equal(state.publicHash, hashPublicTable(doc));
    });
    assert.equal(state.encounter.active, false);
    assert.equal(state.encounter.combatants.size, 0);
    assert.equal(state.gm!.combatants.size, 0);
  });

  it("hidden entities live in the GM-only maps, visible ones in the public maps; visibility follows holders and sources", () => {
    const state = new TableState();
    const sync = new TableStateSync(state, new SeatViews());
    const doc: TableDoc = {
      ...emptyTable("Crypt", "generic"),
      characters: { c1: newCharacter({ name: "Aria" }) },
      actors: { g1: newActor({ name: "Goblin", hidden: true }), n1: newActor({ name: "Innkeeper" }) },
      items: {
        i1: newItem({ name: "Dagger", holderId: "g1" }),
        i2: newItem({ name: "Amulet", hidden: true }),
        i3: newItem({ name: "Torch" }),
      },
      encounter: {
        round: 1,
        turnId: "k1",
        combatants: {
          k1: newCombatant({ sourceKind: "actor", sourceId: "g1", name: "Goblin" }),
          k2: newCombatant({ sourceKind: "character", sourceId: "c1", name: "Aria", hidden: true }),
          k3: newCombatant({ sourceKind: "actor", sourceId: "n1", name: "Innkeeper" }),
        },
      },
    };
    sync.sync(doc, stampOf(doc, 1));
    assert.deepEqual([...state.actors.keys()], ["n1"]);
    assert.deepEqual([...state.gm!.actors.keys()], ["g1"]);
    assert.deepEqual([...state.items.keys()], ["i3"]);
    assert.deepEqual([...state.gm!.items.keys()].sort(), ["i1", "i2"]);
    assert.deepEqual([...state.encounter.combatants.keys()], ["k3"]);
    assert.deepEqual([...state.gm!.combatants.keys()].sort(), ["k1", "k2"]);
    assert.equal(state.gm!.combatants.get("k1")?.current, true, "a hidden combatant's turn is the GM's to see");
    assert.equal(state.encounter.combatants.get("k3")?.current, false);
    assert.equal(hashTable(docFromState(state)), hashTable(doc));

    // The goblin is revealed: it, its dagger and its combatant cross over, as new instances.
    const goblinBefore = state.gm!.actors.get("g1")!;
    const revealed: TableDoc = { ...doc, actors: { ...doc.actors, g1: { ...doc.actors["g1"]!, hidden: false } } };
    sync.sync(revealed, stampOf(revealed, 2));
    assert.deepEqual([...state.actors.keys()], ["n1", "g1"]);
    assert.equal(state.gm!.actors.size, 0);
    assert.ok(state.actors.get("g1") !== goblinBefore, "a fresh instance on the public side");
    assert.deepEqual([...state.items.keys()], ["i3", "i1"]);
    assert.deepEqual([...state.encounter.combatants.keys()], ["k3", "k1"]);
    assert.equal(state.encounter.combatants.get("k1")?.current, true);
    assert.equal(hashTable(docFromState(state)), hashTable(revealed));
    const { title, pluginId, mapWidth, mapHeight, plugin, characters, actors, items, encounter } = state;
    const publicPart = { title, pluginId, mapWidth, mapHeight, plugin, characters, actors, items, encounter };
    assert.equal(
      hashTable(docFromState(publicPart)),
      hashTable(publicProjection(revealed)),
      "the public maps alone are the public projection",
    );
  });

  it("what a player decodes has no hidden value and no hole in its refIds or map indexes; the GM decodes everything", () => {
    const r = room();
    let doc: TableDoc = { ...emptyTable("Crypt", "generic"), characters: { c1: newCharacter({ name: "Aria" }) } };
    let version = 0;
    const apply = (next: TableDoc) => {
      doc = next;
      r.sync.sync(doc, { ...stampOf(doc, ++version), publicVersion: 0 });
      r.flush();
    };
    apply(doc);
    // Hidden things between visible ones: each would take a refId and a map index if they shared the counters.
    for (let i = 0; i < 3; i++) {
      apply({
        ...doc,
        actors: { ...doc.actors, [`g${i}`]: newActor({ name: `Hidden Goblin ${i}`, hidden: true, plugin: { loot: `gold-${i}` } }) },
      });
      apply({ ...doc, actors: { ...doc.actors, [`n${i}`]: newActor({ name: `Villager ${i}` }) } });
    }
    apply({ ...doc, items: { i1: newItem({ name: "Goblin Purse", holderId: "g1" }), i2: newItem({ name: "Lantern" }) } });
    apply({ ...doc, actors: { ...doc.actors, g1: { ...doc.actors["g1"]!, hidden: false } } });
    apply({ ...doc, actors: { ...doc.actors, g1: { ...doc.actors["g1"]!, hidden: true, notes: "back in the shadows" } } });

    assert.equal(hashTable(docFromState(r.gm.state as unknown as TableState)), hashTable(doc), "the GM decodes the whole document");
    assert.equal(
      hashTable(docFromState(r.player.state as unknown as TableState)),
      hashPublicTable(doc),
      "the player decodes the public projection",
    );
    const bytes = Buffer.concat(r.playerBytes);
    for (const secret of ["Hidden Goblin 0", "Hidden Goblin 2", "back in the shadows", "g0", "g2", "gold-0", "gold-2"]) {
      assert.equal(bytes.includes(Buffer.from(secret)), false, `the player was sent "${secret}"`);
    }
    assert.ok(bytes.includes(Buffer.from("Hidden Goblin 1")), "the revealed goblin did reach the player");
    const sorted = [...r.seen.refIds].sort((a, b) => a - b);
    assert.deepEqual(
      sorted,
      sorted.map((_, i) => i),
      "refIds 0..n, every one received",
    );
    for (const [refId, indexes] of r.seen.indexes) {
      const list = [...indexes].sort((a, b) => a - b);
      assert.deepEqual(
        list,
        list.map((_, i) => i),
        `map ${refId}: indexes 0..n, every one received`,
      );
    }
    const gmRefIds = [...r.gm.root.refs.keys()];
    assert.ok(
      gmRefIds.some((id) => id >= GM_REF_ID_BASE),
      "the GM holds GM-only refIds",
    );
    assert.ok(sorted.every((id) => id < GM_REF_ID_BASE));
  });

  it("every GM-only instance, its maps included, is numbered in the GM-only range, and every other one below it", () => {
    const r = room();
    const doc: TableDoc = {
      ...emptyTable("Crypt", "generic"),
      actors: { g1: newActor({ name: "Goblin", hidden: true }), n1: newActor({ name: "Innkeeper" }) },
      items: { i1: newItem({ name: "Amulet", hidden: true }) },
      encounter: { round: 0, turnId: "", combatants: { k1: newCombatant({ sourceKind: "actor", sourceId: "g1", name: "Goblin" }) } },
    };
    r.sync.sync(doc, stampOf(doc, 1));
    r.flush();
    const gmOnly = new Set<number>();
    const walk = (ref: Schema | MapSchema) => {
      gmOnly.add(refIdOf(ref));
      const children = ref instanceof MapSchema ? [...ref.values()].filter((v): v is Schema => typeof v === "object") : childRefs(ref);
      for (const child of children) walk(child);
    };
    walk(r.state.gm!);
    for (const id of Object.keys(r.encoder.root.changeTrees).map(Number)) {
      assert.equal(id >= GM_REF_ID_BASE, gmOnly.has(id), `refId ${id}`);
    }
    assert.ok(gmOnly.size >= 9, "gm, its three maps, the goblin and its plugin map, the amulet and its plugin map, the combatant");
  });
});

/** Schema and collection children of a schema instance. */
function childRefs(ref: Schema): (Schema | MapSchema)[] {
  const out: (Schema | MapSchema)[] = [];
  for (const key of Object.keys(ref.toJSON() as object)) {
    const value = (ref as unknown as Record<string, unknown>)[key];
    if (value instanceof MapSchema || (typeof value === "object" && value !== null && $refId in value))
      out.push(value as Schema | MapSchema);
  }
  return out;
}
