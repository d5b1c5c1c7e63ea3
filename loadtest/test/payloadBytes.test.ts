import assert from "node:assert/strict";
import { payloadBytes } from "../payloadBytes";

describe("payload bytes", () => {
  it("counts text in UTF-8, binary by length, fragments summed, and nothing for unknown data", () => {
    assert.equal(payloadBytes("héllo"), 6);
    assert.equal(payloadBytes(new ArrayBuffer(7)), 7);
    assert.equal(payloadBytes(new Uint8Array(5)), 5);
    assert.equal(payloadBytes([Buffer.alloc(3), Buffer.alloc(4)]), 7);
    assert.equal(payloadBytes(new Blob(["abc"])), 3);
    assert.equal(payloadBytes(42), 0);
  });
});
