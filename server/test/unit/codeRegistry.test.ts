import assert from "node:assert/strict";
import { LocalPresence } from "@colyseus/core";
import { CodeRegistry } from "../../src/lifecycle/codeRegistry";

describe("code registry", () => {
  it("skips codes a stored session owns, and leaves them unclaimed", async () => {
    const tried: string[] = [];
    const codes = new CodeRegistry(new LocalPresence(), async (code) => tried.push(code) <= 2);
    const code = await codes.claim("room-1");
    assert.equal(tried.length, 3);
    assert.equal(code, tried[2]);
    assert.equal(await codes.resolve(code), "room-1");
    for (const skipped of tried.slice(0, 2)) {
      assert.equal(await codes.resolve(skipped), undefined);
      assert.equal(await codes.claimExact(skipped, "room-2"), true, "a skipped code is free for its owner to reopen");
    }
  });

  it("a code claimed exactly cannot be claimed twice until released", async () => {
    const codes = new CodeRegistry(new LocalPresence());
    assert.equal(await codes.claimExact("ABCDEF", "r1"), true);
    assert.equal(await codes.claimExact("ABCDEF", "r2"), false);
    assert.equal(await codes.resolve("ABCDEF"), "r1");
    await codes.release("ABCDEF");
    assert.equal(await codes.claimExact("ABCDEF", "r2"), true);
  });
});
