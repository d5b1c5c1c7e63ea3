import assert from "node:assert/strict";
import { canonicalJson, sha256Hex } from "../src/stateHash";

describe("state hash", () => {
  it("canonical JSON sorts keys at every depth and drops undefined", () => {
    assert.equal(
      canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null }, u: undefined }),
      '{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}',
    );
  });
  it("the same content in a different order hashes the same; a change hashes differently", () => {
    const a = sha256Hex(canonicalJson({ players: { p1: { x: 1 }, p2: { x: 2 } } }));
    const b = sha256Hex(canonicalJson({ players: { p2: { x: 2 }, p1: { x: 1 } } }));
    const c = sha256Hex(canonicalJson({ players: { p1: { x: 1 }, p2: { x: 3 } } }));
    assert.equal(a, b);
    assert.notEqual(a, c);
    assert.equal(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});
