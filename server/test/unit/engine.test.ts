import assert from "node:assert/strict";
import { TavernError } from "@tavern/shared/errors";
import { emptyTable, newActor, newCharacter, newItem, type TableDoc } from "@tavern/shared/table/document";
import { canonicalDoc, hashTable } from "@tavern/shared/table/hash";
import type { Operation } from "@tavern/shared/table/operations";
import { applyOperations } from "../../src/domain/table/engine";
import { genericPlugin } from "../../src/domain/table/plugins/generic";
import { dnd5eLitePlugin } from "../../src/domain/table/plugins/dnd5e-lite";

function sample(): TableDoc {
  const doc = emptyTable("Crypt", "generic");
  return {
    ...doc,
    plugin: { weather: "rain", tags: ["night"] },
    characters: { c1: newCharacter({ name: "Aria", ownerId: "p1", hp: 12, maxHp: 12, plugin: { inventory: ["rope"] } }) },
    actors: { a1: newActor({ name: "Goblin", hp: 7, maxHp: 7, plugin: { conditions: [] } }) },
    items: { i1: newItem({ name: "Torch", holderId: "c1" }) },
    encounter: null,
  };
}

const apply = (doc: TableDoc, ops: Operation[]) => applyOperations(doc, ops, genericPlugin);

function refusal(fn: () => unknown): TavernError {
  try {
    fn();
  } catch (err) {
    if (err instanceof TavernError) return err;
    throw err;
  }
  assert.fail("expected a refusal");
}

describe("operation engine", () => {
  describe("each op on each kind of target", () => {
    it("set writes root scalars, entity fields, plugin keys and whole entities", () => {
      const doc = sample();
      const next = apply(doc, [
        { op: "set", path: "title", value: "Tomb" },
        { op: "set", path: "mapWidth", value: 30 },
        { op: "set", path: "plugin.weather", value: "fog" },
        { op: "set", path: "characters.c1.hp", value: 5 },
        { op: "set", path: "actors.a1.plugin.conditions", value: ["prone"] },
        { op: "set", path: "items.i2", value: newItem({ name: "Coin", quantity: 3 }) as never },
      ]);
      assert.equal(next.title, "Tomb");
      assert.equal(next.mapWidth, 30);
      assert.equal(next.plugin["weather"], "fog");
      assert.equal(next.characters["c1"]?.hp, 5);
      assert.deepEqual(next.actors["a1"]?.plugin["conditions"], ["prone"]);
      assert.equal(next.items["i2"]?.quantity, 3);
    });

    it("unset removes entities, plugin keys and nested plugin values", () => {
      const next = apply(sample(), [
        { op: "unset", path: "items.i1" },
        { op: "unset", path: "plugin.weather" },
        { op: "unset", path: "characters.c1.plugin.inventory" },
      ]);
      assert.equal(next.items["i1"], undefined);
      assert.equal("weather" in next.plugin, false);
      assert.deepEqual(next.characters["c1"]?.plugin, {});
    });

    it("inc adds to numbers at any depth, negative too", () => {
      const next = apply(sample(), [
        { op: "inc", path: "characters.c1.hp", value: -4 },
        { op: "inc", path: "items.i1.quantity", value: 2 },
        { op: "inc", path: "mapHeight", value: 1 },
      ]);
      assert.equal(next.characters["c1"]?.hp, 8);
      assert.equal(next.items["i1"]?.quantity, 3);
      assert.equal(next.mapHeight, 17);
    });

    it("push appends to lists in session, character and actor plugin data", () => {
      const next = apply(sample(), [
        { op: "push", path: "plugin.tags", value: "storm" },
        { op: "push", path: "characters.c1.plugin.inventory", value: { name: "lamp", oil: 2 } },
        { op: "push", path: "actors.a1.plugin.conditions", value: "prone" },
      ]);
      assert.deepEqual(next.plugin["tags"], ["night", "storm"]);
      assert.deepEqual(next.characters["c1"]?.plugin["inventory"], ["rope", { name: "lamp", oil: 2 }]);
      assert.deepEqual(next.actors["a1"]?.plugin["conditions"], ["prone"]);
    });

    it("pull removes every deep-equal element, key order does not matter", () => {
      const doc = apply(sample(), [
        { op: "push", path: "characters.c1.plugin.inventory", value: { name: "lamp", oil: 2 } },
        { op: "push", path: "characters.c1.plugin.inventory", value: "rope" },
      ]);
      const next = apply(doc, [
        { op: "pull", path: "characters.c1.plugin.inventory", value: "rope" },
        { op: "pull", path: "characters.c1.plugin.inventory", value: { oil: 2, name: "lamp" } },
      ]);
      assert.deepEqual(next.characters["c1"]?.plugin["inventory"], []);
    });

    it("ops inside the encounter and on list elements by index", () => {
      const withEncounter = apply(sample(), [
        {
          op: "set",
          path: "encounter",
          value: {
            round: 0,
            turnId: "",
            combatants: {
              k1: {
                sourceKind: "actor",
                sourceId: "a1",
                name: "Goblin",
                initiative: 0,
                tiebreak: 0,
                rolled: false,
                hidden: false,
                defeated: false,
                delayed: false,
              },
            },
          },
        },
        { op: "set", path: "plugin.tags.0", value: "dawn" },
      ]);
      const next = apply(withEncounter, [
        { op: "set", path: "encounter.combatants.k1.initiative", value: 15 },
        { op: "set", path: "encounter.turnId", value: "k1" },
        { op: "inc", path: "encounter.round", value: 1 },
      ]);
      assert.equal(next.encounter?.combatants["k1"]?.initiative, 15);
      assert.equal(next.encounter?.turnId, "k1");
      assert.deepEqual(next.plugin["tags"], ["dawn"]);
      assert.equal(apply(next, [{ op: "set", path: "encounter", value: null }]).encounter, null);
    });
  });

  describe("refusals name the op and change nothing", () => {
    const cases: [string, Operation[], RegExp][] = [
      ["unknown root path", [{ op: "set", path: "weather", value: 1 }], /Op 0 \(set weather\): unknown path/],
      ["missing parent", [{ op: "set", path: "characters.zz.hp", value: 1 }], /Op 0 .*nothing at characters\.zz/],
      ["wrong type", [{ op: "set", path: "characters.c1.hp", value: "lots" }], /Op 0 .*hp:/],
      ["fraction where a whole number is needed", [{ op: "set", path: "characters.c1.hp", value: 1.5 }], /whole number/],
      ["unknown entity field", [{ op: "set", path: "characters.c1.mana", value: 3 }], /Op 0 .*mana/],
      ["inc on a string", [{ op: "inc", path: "title", value: 1 }], /inc needs a number/],
      ["push on a number", [{ op: "push", path: "characters.c1.hp", value: 1 }], /push needs a list/],
      ["pull on a missing list", [{ op: "pull", path: "plugin.nothing", value: 1 }], /pull needs a list/],
      ["unset of nothing", [{ op: "unset", path: "plugin.nothing" }], /nothing to unset/],
      ["unset of a required field", [{ op: "unset", path: "characters.c1.name" }], /name/],
      ["whole collection", [{ op: "set", path: "characters", value: {} }], /one entry at a time/],
      ["plugin id", [{ op: "set", path: "pluginId", value: "dnd5e-lite" }], /cannot change/],
      ["prototype key", [{ op: "set", path: "plugin.__proto__", value: { polluted: true } }], /not allowed/],
      ["index past the end", [{ op: "set", path: "plugin.tags.5", value: "x" }], /outside the list/],
      ["token off the grid", [{ op: "set", path: "characters.c1.x", value: 500 }], /x:/],
      ["bad entity id", [{ op: "set", path: "items.bad id", value: 1 }], /Op 0 \(set items\.bad id\): id: must be 1-64 letters/],
    ];
    for (const [name, ops, message] of cases) {
      it(name, () => {
        const doc = sample();
        const before = canonicalDoc(structuredClone(doc));
        const err = refusal(() => apply(doc, ops));
        assert.equal(err.code, "VALIDATION_ERROR");
        assert.match(err.message, message);
        assert.equal(canonicalDoc(structuredClone(doc)), before);
      });
    }

    it("one bad op rolls back every op of the update, whatever its position", () => {
      const doc = sample();
      const before = hashTable(doc);
      const err = refusal(() =>
        apply(doc, [
          { op: "set", path: "title", value: "Changed" },
          { op: "inc", path: "characters.c1.hp", value: -1 },
          { op: "push", path: "characters.c1.plugin.inventory", value: "torch" },
          { op: "set", path: "actors.a1.kind", value: "dragon" },
        ]),
      );
      assert.equal(err.details?.["opIndex"], 3);
      assert.equal(doc.title, "Crypt");
      assert.equal(doc.characters["c1"]?.hp, 12);
      assert.deepEqual(doc.characters["c1"]?.plugin["inventory"], ["rope"]);
      assert.equal(hashTable(structuredClone(doc)), before);
    });

    it("cross-entity references are checked after all ops", () => {
      assert.match(refusal(() => apply(sample(), [{ op: "unset", path: "characters.c1" }])).message, /item i1 is held by c1/);
      const moved = apply(sample(), [
        { op: "set", path: "items.i1.holderId", value: "a1" },
        { op: "unset", path: "characters.c1" },
      ]);
      assert.equal(moved.characters["c1"], undefined);
    });

    it("plugin validators run on touched entities", () => {
      const doc = { ...sample(), pluginId: "dnd5e-lite", characters: {}, actors: {}, items: {}, plugin: {} };
      const created = applyOperations(
        doc,
        [{ op: "set", path: "actors.a1", value: newActor({ name: "Orc", plugin: dnd5eLitePlugin.defaults.actor() }) as never }],
        dnd5eLitePlugin,
      );
      const err = refusal(() =>
        applyOperations(created, [{ op: "push", path: "actors.a1.plugin.conditions", value: "sleepy" }], dnd5eLitePlugin),
      );
      assert.match(err.message, /Op 0 \(push actors\.a1\.plugin\.conditions\): plugin\.conditions/);
    });
  });

  describe("hash", () => {
    it("changes exactly when the state changes", () => {
      const doc = sample();
      const same = apply(doc, [{ op: "set", path: "characters.c1.hp", value: 12 }]);
      assert.equal(hashTable(same), hashTable(doc));
      const pulledNothing = apply(doc, [{ op: "pull", path: "characters.c1.plugin.inventory", value: "sword" }]);
      assert.equal(hashTable(pulledNothing), hashTable(doc));
      const changed = apply(doc, [{ op: "inc", path: "characters.c1.hp", value: -1 }]);
      assert.notEqual(hashTable(changed), hashTable(doc));
      const back = apply(changed, [{ op: "inc", path: "characters.c1.hp", value: 1 }]);
      assert.equal(hashTable(back), hashTable(doc));
    });

    it("is identical for the same state built in different orders", () => {
      const base = emptyTable("Crypt", "generic");
      const a = apply(base, [
        { op: "set", path: "actors.a1", value: newActor({ name: "Goblin" }) as never },
        { op: "set", path: "characters.c1", value: newCharacter({ name: "Aria" }) as never },
        { op: "set", path: "plugin.weather", value: "rain" },
        { op: "set", path: "plugin.moon", value: "full" },
      ]);
      const b1 = apply(base, [{ op: "set", path: "plugin.moon", value: "full" }]);
      const b2 = apply(b1, [{ op: "set", path: "characters.c1", value: { ...newCharacter({ name: "Aria" }), hp: 3 } as never }]);
      const b3 = apply(b2, [
        { op: "set", path: "plugin.weather", value: "rain" },
        { op: "set", path: "actors.a1", value: newActor({ name: "Goblin" }) as never },
        { op: "inc", path: "characters.c1.hp", value: 7 },
      ]);
      assert.equal(hashTable(a), hashTable(b3));
      assert.deepEqual(Object.keys(a.actors), ["a1"]);
      assert.deepEqual(Object.keys(b3.characters), ["c1"]);
    });

    it("untouched entities keep their identity, so the cached canonical form stays valid", () => {
      const doc = sample();
      const next = apply(doc, [{ op: "inc", path: "characters.c1.hp", value: -1 }]);
      assert.equal(next.actors, doc.actors);
      assert.equal(next.items["i1"], doc.items["i1"]);
      assert.notEqual(next.characters["c1"], doc.characters["c1"]);
      assert.equal(hashTable(next), hashTable(structuredClone(next)));
    });
  });
});
