import assert from "node:assert/strict";
import { DECK_COMPOSITION, DECK_SIZE } from "@tavern/shared/cabo/rules";
import { countValues, newDeck, rngFromBytes, seededRng, shuffle } from "../../src/domain/cabo/index";

describe("cabo deck and randomness", () => {
  it("holds 52 cards: 0 and 13 twice, 1 to 12 four times", () => {
    const deck = newDeck();
    assert.equal(deck.length, DECK_SIZE);
    assert.deepEqual(countValues(deck), { ...DECK_COMPOSITION });
    assert.equal(DECK_COMPOSITION[0], 2);
    assert.equal(DECK_COMPOSITION[13], 2);
    for (let v = 1; v <= 12; v++) assert.equal(DECK_COMPOSITION[v], 4);
  });

  it("shuffles into a permutation, the same one for the same seed", () => {
    const a = shuffle(newDeck(), seededRng("s1"));
    assert.deepEqual(countValues(a), { ...DECK_COMPOSITION });
    assert.deepEqual(shuffle(newDeck(), seededRng("s1")), a);
    assert.notDeepEqual(shuffle(newDeck(), seededRng("s2")), a);
    assert.notDeepEqual(a, newDeck());
  });

  it("refuses an RNG that answers out of bounds", () => {
    assert.throws(() => shuffle([1, 2, 3], () => 5), RangeError);
  });

  it("reads random bytes without bias: rejection above the last whole multiple", () => {
    // 0xffffffff is above the last multiple of 3 below 2^32 and must be skipped.
    const words = [
      [0xff, 0xff, 0xff, 0xff],
      [0, 0, 0, 7],
    ];
    let i = 0;
    const rng = rngFromBytes(() => Uint8Array.from(words[i++] ?? [0, 0, 0, 0]));
    assert.equal(rng(3), 1);
    const seeded = seededRng("spread");
    const counts = [0, 0, 0, 0, 0, 0];
    for (let k = 0; k < 6000; k++) counts[seeded(6)]!++;
    for (const c of counts) assert.ok(c > 850 && c < 1150, `${counts}`);
    assert.throws(() => seeded(0), RangeError);
  });
});
