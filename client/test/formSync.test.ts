/**
 * The GM's entity form following the table: untouched fields follow, edited fields keep the GM's
 * value and are named when the table moved under them, and the GM resolves that either way.
 */
import assert from "node:assert/strict";
import { follow, freshForm, keepMine, takeTable, type FieldSpecLike } from "../src/ui/table/formSync";

const SPECS: FieldSpecLike[] = [{ type: "text" }, { type: "number" }, { type: "checkbox" }];

describe("GM form sync", () => {
  it("follows the table in every field the GM did not touch (the GM's own damage: HP 30 -> 20)", () => {
    const form = freshForm(SPECS, ["Goblin", 30, false]);
    const after = follow(SPECS, form, ["Goblin", 20, true]);
    assert.deepEqual(after.values, ["Goblin", "20", true]);
    assert.deepEqual(after.base, ["Goblin", 20, true]);
    assert.deepEqual(after.drifted, []);
  });

  it("returns the same form when nothing moved, so nothing redraws", () => {
    const form = freshForm(SPECS, ["Goblin", 30, false]);
    assert.equal(follow(SPECS, form, ["Goblin", 30, false]), form);
  });

  it("keeps an edited field and names it when the table moved under it; other fields still follow", () => {
    const form = { ...freshForm(SPECS, ["Goblin", 30, false]), values: ["Goblin", "25", false] };
    const after = follow(SPECS, form, ["Goblin King", 20, false]);
    assert.deepEqual(after.values, ["Goblin King", "25", false], "the name follows, the typed HP stays");
    assert.deepEqual(after.drifted, [1]);
    assert.deepEqual(after.base, ["Goblin King", 30, false], "the HP's base is still what the GM started from");
  });

  it("an edited field the table reached on its own is no longer drifted", () => {
    const form = { ...freshForm(SPECS, ["Goblin", 30, false]), values: ["Goblin", "25", false] };
    const after = follow(SPECS, form, ["Goblin", 25, false]);
    assert.deepEqual(after.drifted, []);
    assert.deepEqual(after.base, ["Goblin", 25, false]);
  });

  it("the GM takes the table's value, or keeps their own so that a save replaces it", () => {
    const form = { ...freshForm(SPECS, ["Goblin", 30, false]), values: ["Goblin!", "25", false] };
    const drifted = follow(SPECS, form, ["Goblin", 20, false]);
    const taken = takeTable(SPECS, drifted, ["Goblin", 20, false]);
    assert.deepEqual(taken.values, ["Goblin!", "20", false], "only the drifted field is replaced");
    assert.deepEqual(taken.drifted, []);
    const kept = keepMine(drifted, ["Goblin", 20, false]);
    assert.deepEqual(kept.values, ["Goblin!", "25", false]);
    assert.deepEqual(kept.base, ["Goblin", 20, false], "a save now goes from 20 to 25");
    assert.deepEqual(follow(SPECS, kept, ["Goblin", 20, false]).drifted, [], "and it is not drifted any more");
  });
});
