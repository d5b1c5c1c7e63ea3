import assert from "node:assert/strict";
import { emptyTable, newActor, newCharacter, newItem, type TableDoc } from "@tavern/shared/table/document";
import { hashPublicTable, hashTable } from "@tavern/shared/table/hash";
import { hashDoc, hashPublicDoc } from "../../src/rooms/table/docHash";
import { applyOperations } from "../../src/domain/table/engine";
import { dnd5eLitePlugin } from "../../src/domain/table/plugins/dnd5e-lite";

function doc(): TableDoc {
  const base = emptyTable("Crypt of ünïcode ✨", "dnd5e-lite", dnd5eLitePlugin.defaults.session());
  return {
    ...base,
    characters: { c1: newCharacter({ name: "Aria", notes: 'quotes " and \\ and \u2028', plugin: dnd5eLitePlugin.defaults.character() }) },
    actors: {
      a1: newActor({ name: "Goblin", hidden: true, plugin: dnd5eLitePlugin.defaults.actor() }),
      a2: newActor({ name: "Ogre", x: 3, y: 4, plugin: dnd5eLitePlugin.defaults.actor() }),
    },
    items: {
      i1: newItem({ name: "Rope", holderId: "a1", plugin: dnd5eLitePlugin.defaults.item() }),
      i2: newItem({ name: "Gem", plugin: dnd5eLitePlugin.defaults.item() }),
    },
    encounter: {
      round: 1,
      turnId: "k2",
      combatants: {
        k1: {
          sourceKind: "actor",
          sourceId: "a1",
          name: "Goblin",
          initiative: 12,
          tiebreak: 1,
          rolled: true,
          hidden: false,
          defeated: false,
          delayed: false,
        },
        k2: {
          sourceKind: "character",
          sourceId: "c1",
          name: "Aria",
          initiative: 15.5,
          tiebreak: 2,
          rolled: true,
          hidden: false,
          defeated: false,
          delayed: false,
        },
      },
    },
  };
}

describe("server document hash", () => {
  it("is the shared document hash and players' hash, for a document with hidden things, text escapes and fractions", () => {
    const d = doc();
    const full = hashDoc(d);
    assert.equal(full, hashTable(d));
    assert.equal(hashPublicDoc(d, full), hashPublicTable(d));
    assert.notEqual(hashPublicDoc(d, full), full, "the hidden goblin is left out of the players' hash");
    const plain = emptyTable("Empty", "generic");
    assert.equal(hashPublicDoc(plain, hashDoc(plain)), hashPublicTable(plain));
  });

  it("stays equal through updates that share untouched nodes with the previous version", () => {
    let d = doc();
    const updates = [
      [{ op: "inc" as const, path: "actors.a2.hp", value: -3 }],
      [{ op: "push" as const, path: "actors.a2.plugin.conditions", value: "prone" }],
      [{ op: "set" as const, path: "actors.a1.hidden", value: false }],
      [{ op: "unset" as const, path: "items.i2" }],
      [{ op: "set" as const, path: "title", value: "Tomb" }],
    ];
    for (const ops of updates) {
      const before = hashDoc(d);
      d = applyOperations(d, ops, dnd5eLitePlugin);
      const after = hashDoc(d);
      assert.notEqual(after, before);
      assert.equal(after, hashTable(d));
      assert.equal(hashPublicDoc(d, after), hashPublicTable(d));
    }
  });
});
