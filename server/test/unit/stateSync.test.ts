import assert from "node:assert/strict";
import { emptyTable, newActor, newCharacter, newCombatant, type TableDoc } from "../../../shared/src/table/document";
import { docFromState } from "../../../shared/src/table/fromState";
import { hashTable } from "../../../shared/src/table/hash";
import { TableState } from "../../../shared/src/table/state";
import { TableStateSync } from "../../src/table/stateSync";

describe("table state sync", () => {
  it("the schema state rebuilds into the same document, through creations, changes and removals", () => {
    const state = new TableState();
    const sync = new TableStateSync(state);
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
      sync.sync(doc, version, hashTable(doc), "");
      assert.equal(hashTable(docFromState(state)), hashTable(doc), `step ${version}`);
      assert.equal(state.version, version);
    });
    assert.equal(state.encounter.active, false);
    assert.equal(state.encounter.combatants.size, 0);
  });
});
