import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { ROOM_CODE_ALPHABET, generateRoomCode, isRoomCode, normalizeRoomCode } from "../src/roomCodes";

describe("room codes", () => {
  it("uses no look-alike characters", () => {
    for (const ambiguous of "0O1IL2Z5S8B") assert.ok(!ROOM_CODE_ALPHABET.includes(ambiguous), ambiguous);
  });

  it("generates valid 6-character codes, with every symbol in use", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const code = generateRoomCode((n) => randomBytes(n));
      assert.ok(isRoomCode(code), code);
      for (const ch of code) seen.add(ch);
    }
    assert.equal(seen.size, ROOM_CODE_ALPHABET.length);
  });

  it("rejects biased bytes instead of folding them onto the alphabet", () => {
    // 255 is above the largest multiple of 25 below 256, so it must be skipped.
    let calls = 0;
    const code = generateRoomCode((n) => {
      calls++;
      return calls === 1 ? new Uint8Array(n).fill(255) : new Uint8Array(n).fill(0);
    });
    assert.equal(code, "AAAAAA");
    assert.equal(calls, 2);
  });

  it("normalizes what people type", () => {
    assert.equal(normalizeRoomCode(" acd-efg "), "ACDEFG");
    assert.equal(isRoomCode("ACDEF"), false);
    assert.equal(isRoomCode("ACDEF0"), false);
  });
});
