import assert from "node:assert/strict";
import { TokenBuckets } from "../../src/lifecycle/rateLimiter";

describe("TokenBuckets", () => {
  it("allows the burst, then refills at the rate", () => {
    const buckets = new TokenBuckets(2, 3);
    const t0 = 1_000_000;
    assert.deepEqual(
      [1, 2, 3, 4].map(() => buckets.take("a", t0)),
      [true, true, true, false],
    );
    assert.equal(buckets.take("a", t0 + 400), false, "0.8 token is not enough");
    assert.equal(buckets.take("a", t0 + 500), true, "one token after half a second at 2/s");
    assert.equal(buckets.take("b", t0), true, "keys are independent");
  });
  it("never holds more than the burst, and forgets keys", () => {
    const buckets = new TokenBuckets(100, 2);
    const t0 = 0;
    buckets.take("a", t0);
    const later = t0 + 60_000;
    assert.deepEqual(
      [1, 2, 3].map(() => buckets.take("a", later)),
      [true, true, false],
    );
    buckets.forget("a");
    assert.equal(buckets.take("a", later), true);
  });
});
