/** The words of the game's "last action" line: a card's value with the article it is said with. */
import assert from "node:assert/strict";
import type { CaboEvent } from "../../src/domain/cabo";
import { describeEvent } from "../../src/rooms/cabo/describe";

describe("cabo event words", () => {
  const names = (seat: string) => ({ a: "Ana", b: "Ben" })[seat] ?? "?";

  it("says a 7 but an 8 and an 11", () => {
    assert.equal(describeEvent({ type: "discarded", seat: "a", value: 7 } satisfies CaboEvent, names), "Ana discarded a 7.");
    assert.equal(describeEvent({ type: "discarded", seat: "a", value: 8 } satisfies CaboEvent, names), "Ana discarded an 8.");
    assert.equal(describeEvent({ type: "discarded", seat: "b", value: 11 } satisfies CaboEvent, names), "Ben discarded an 11.");
    assert.equal(
      describeEvent({ type: "tookDiscard", seat: "b", position: 1, value: 3, discarded: 8 } satisfies CaboEvent, names),
      "Ben took the 3 from the discard pile and discarded an 8.",
    );
  });
});
