import assert from "node:assert/strict";
import { DUMMY_HASH, hashPassword, verifyPassword } from "../../src/auth/passwords";

describe("password hashes (scrypt)", function () {
  // Each hash costs 32 MiB and tens of milliseconds by design: more on a loaded machine.
  this.timeout(20_000);
  it("verifies the password it hashed, and nothing else; each hash has its own salt", async () => {
    const hash = await hashPassword("correct horse battery");
    assert.match(hash, /^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/);
    assert.equal(await verifyPassword("correct horse battery", hash), true);
    assert.equal(await verifyPassword("correct horse batterY", hash), false);
    assert.notEqual(await hashPassword("correct horse battery"), hash);
  });
  it("treats composed and decomposed accents as the same password (NFKC)", async () => {
    const hash = await hashPassword("caf\u00e9 au lait!");
    assert.equal(await verifyPassword("cafe\u0301 au lait!", hash), true);
  });
  it("matches nothing with the dummy hash or a malformed one", async () => {
    assert.equal(await verifyPassword("anything at all", DUMMY_HASH), false);
    assert.equal(await verifyPassword("anything at all", "plain-text"), false);
    assert.equal(await verifyPassword("anything at all", "scrypt$1$2$3$$"), false);
  });
});
