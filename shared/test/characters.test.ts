import assert from "node:assert/strict";
import { CHARACTER_COUNT, characterSchema, chooseCharacter, defaultCharacter } from "../src/characters";

describe("character choice", () => {
  it("defaults deterministically from the player id, over the whole roster", () => {
    assert.equal(defaultCharacter("player-a"), defaultCharacter("player-a"));
    const seen = new Set(Array.from({ length: 200 }, (_, i) => defaultCharacter(`00000000-0000-4000-8000-${String(i).padStart(12, "0")}`)));
    assert.equal(seen.size, CHARACTER_COUNT, "similar ids still reach every character");
  });

  it("keeps what the player picked, even when someone else has it", () => {
    assert.equal(chooseCharacter(2, "p", [2, 3]), 2);
  });

  it("gives players who did not pick distinct characters while any are left", () => {
    const taken: number[] = [];
    for (let i = 0; i < CHARACTER_COUNT; i++) taken.push(chooseCharacter(undefined, `guest-${i % 2}`, taken));
    assert.equal(new Set(taken).size, CHARACTER_COUNT);
    // Once every character is in use, the default comes back.
    assert.equal(chooseCharacter(undefined, "guest-0", taken), defaultCharacter("guest-0"));
  });

  it("starts from the default when it is free", () => {
    const d = defaultCharacter("someone");
    assert.equal(chooseCharacter(undefined, "someone", []), d);
    assert.equal(chooseCharacter(undefined, "someone", [d]), (d + 1) % CHARACTER_COUNT);
  });

  it("refuses indexes outside the roster at the contract", () => {
    assert.equal(characterSchema.safeParse(CHARACTER_COUNT).success, false);
    assert.equal(characterSchema.safeParse(-1).success, false);
    assert.equal(characterSchema.safeParse(1.5).success, false);
    assert.equal(characterSchema.safeParse(0).success, true);
  });
});
