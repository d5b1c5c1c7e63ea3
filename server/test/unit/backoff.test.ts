import assert from "node:assert/strict";
import { backoffDelays, worstCaseWaitMs, worthRetrying, type RetryPolicy } from "../../src/persistence/backoff";

describe("backoff schedule", () => {
  const policy: RetryPolicy = { attempts: 5, firstDelayMs: 100, factor: 3, maxDelayMs: 1000 };

  it("has one wait fewer than tries, growing by the factor up to the cap", () => {
    assert.deepEqual(
      backoffDelays(policy, () => 0),
      [100, 300, 900, 1000],
    );
  });

  it("takes at most a quarter off each wait at random, never adds to it", () => {
    const low = backoffDelays(policy, () => 0.999_999);
    assert.deepEqual(low, [75, 225, 675, 750]);
    for (let i = 0; i < 200; i++) {
      const delays = backoffDelays(policy);
      delays.forEach((d, n) => {
        const nominal = Math.min(100 * 3 ** n, 1000);
        assert.ok(d <= nominal && d >= nominal * 0.75, `wait ${n} is ${d}`);
      });
    }
  });

  it("one try means no wait; the worst case is the sum of the uncut waits", () => {
    assert.deepEqual(backoffDelays({ ...policy, attempts: 1 }), []);
    assert.equal(worstCaseWaitMs(policy), 100 + 300 + 900 + 1000);
  });

  it("a write PostgreSQL refused for its data is not worth another try; a lost connection is", () => {
    assert.equal(worthRetrying(Object.assign(new Error("invalid byte sequence"), { code: "22021" })), false);
    assert.equal(worthRetrying(new Error("wrapped", { cause: { code: "23505" } })), false);
    assert.equal(worthRetrying(Object.assign(new Error("refused"), { code: "ECONNREFUSED" })), true);
    assert.equal(worthRetrying(Object.assign(new Error("disk full"), { code: "53100" })), true);
    assert.equal(worthRetrying(new Error("no code")), true);
  });
});
