import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import fc from "fast-check";
import { canonicalDoc } from "@tavern/shared/table/hash";
import { canonicalInto, writeCanonical, type CanonicalPlan } from "../../src/rooms/table/canonicalStream";

const sha = (text: string) => createHash("sha256").update(text).digest("hex");

describe("canonical JSON written in pieces", () => {
  it("hashes to the SHA-256 of canonicalDoc whatever the plan (all pieces, top level only, cached bytes)", () => {
    const plans: CanonicalPlan[] = [
      { inPieces: () => true },
      { inPieces: (path) => path.length === 0 },
      { inPieces: (path) => path.length < 2, whole: (node) => Buffer.from(canonicalDoc(node), "utf8") },
    ];
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(...plans), (value, plan) => {
        const hash = createHash("sha256");
        writeCanonical(hash, value, plan);
        assert.equal(hash.digest("hex"), sha(canonicalDoc(value)));
      }),
      { numRuns: 300 },
    );
  });

  it("leaves out undefined fields, as canonicalDoc does, and yields once per node written whole", () => {
    const value = { b: [1, { c: undefined, d: "x" }], a: undefined, e: { f: null } };
    const hash = createHash("sha256");
    const steps = canonicalInto(hash, value, { inPieces: (path) => path.length < 2 });
    let count = 0;
    while (!steps.next().done) count++;
    assert.equal(hash.digest("hex"), sha('{"b":[1,{"d":"x"}],"e":{"f":null}}'));
    assert.equal(count, 3, "the two elements of b, and f in e");
  });
});
