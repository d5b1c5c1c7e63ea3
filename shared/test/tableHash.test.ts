import assert from "node:assert/strict";
import { emptyTable, newActor, newCharacter, newCombatant, newItem, type TableDoc } from "../src/table/document";
import { canonicalDoc, hashPublicTable, hashTable, publicProjection } from "../src/table/hash";
import { canonicalJson, sha256Hex } from "../src/stateHash";

function doc(): TableDoc {
  return {
    ...emptyTable("Crypt", "generic"),
    characters: { c1: newCharacter({ name: "Aria" }) },
    actors: { a1: newActor({ name: "Goblin" }), a2: newActor({ name: "Wraith", hidden: true }) },
    items: {
      i1: newItem({ name: "Torch", holderId: "c1" }),
      i2: newItem({ name: "Ring", holderId: "a2" }),
      i3: newItem({ name: "Map", hidden: true }),
    },
    encounter: {
      round: 1,
      turnId: "k2",
      combatants: {
        k1: newCombatant({ sourceKind: "character", sourceId: "c1", name: "Aria" }),
        k2: newCombatant({ sourceKind: "actor", sourceId: "a2", name: "Wraith" }),
        k3: newCombatant({ sourceKind: "actor", sourceId: "a1", name: "Goblin", hidden: true }),
      },
    },
  };
}

describe("table hashes and the players' projection", () => {
  it("the cached canonical form equals the plain canonical JSON", () => {
    const d = doc();
    assert.equal(canonicalDoc(d), canonicalJson(d));
    assert.equal(hashTable(d), sha256Hex(canonicalJson(d)));
  });

  it("players do not get hidden actors, items they hold, hidden items, hidden combatants, or a hidden combatant's turn", () => {
    const p = publicProjection(doc());
    assert.deepEqual(Object.keys(p.actors), ["a1"]);
    assert.deepEqual(Object.keys(p.items), ["i1"]);
    assert.deepEqual(Object.keys(p.encounter?.combatants ?? {}), ["k1"]);
    assert.equal(p.encounter?.turnId, "");
    assert.notEqual(hashPublicTable(doc()), hashTable(doc()));
  });

  it("with nothing hidden the projection is the document itself and both hashes agree", () => {
    const open: TableDoc = { ...doc(), actors: { a1: newActor({ name: "Goblin" }) }, items: {}, encounter: null };
    assert.equal(publicProjection(open), open);
    assert.equal(hashPublicTable(open), hashTable(open));
    assert.equal(hashPublicTable(open, sha256Hex, "given"), "given", "the full hash is reused when nothing is hidden");
  });

  it("prototype names are never mistaken for entities", () => {
    const d: TableDoc = { ...doc(), items: { i1: newItem({ name: "Odd", holderId: "constructor" }) } };
    assert.deepEqual(Object.keys(publicProjection(d).items), ["i1"]);
  });
});
