import assert from "node:assert/strict";
import { JITTER, nominalDelayMs, retryDelayMs } from "../../src/domain/webhooks/backoff";
import { nextDeliveryStep, shouldDisable, type DeliveryPolicy } from "../../src/domain/webhooks/deliveryRules";
import { checkEndpointUrl } from "../../src/domain/webhooks/endpointUrl";

const policy: DeliveryPolicy = { baseMs: 1000, capMs: 60_000, maxAttempts: 5, disableAfter: 3 };

describe("webhook retries: the backoff schedule", () => {
  it("doubles from the base after each failed attempt, up to the cap", () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 7, 8, 40].map((n) => nominalDelayMs(n, policy)),
      [1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000],
    );
  });

  it("jitters each delay by ±20% and never past the cap", () => {
    assert.equal(
      retryDelayMs(3, policy, () => 0),
      4000 * (1 - JITTER),
    );
    assert.equal(
      retryDelayMs(3, policy, () => 0.5),
      4000,
    );
    assert.equal(
      retryDelayMs(3, policy, () => 0.999_999),
      Math.round(4000 * (1 + JITTER)),
    );
    assert.equal(
      retryDelayMs(20, policy, () => 0.999_999),
      60_000,
      "the cap holds with jitter",
    );
    for (let i = 0; i < 200; i++) {
      const d = retryDelayMs(2, policy);
      assert.ok(d >= 1600 && d <= 2400, String(d));
    }
  });
});

describe("webhook retries: what an attempt's result means", () => {
  const fixed = () => 0.5;

  it("a 2xx delivers; any other status, or no answer, retries until the last attempt, which gives up", () => {
    assert.deepEqual(nextDeliveryStep(1, { statusCode: 200 }, policy, fixed), { kind: "delivered" });
    assert.deepEqual(nextDeliveryStep(5, { statusCode: 204 }, policy, fixed), { kind: "delivered" }, "even on the last attempt");
    assert.deepEqual(nextDeliveryStep(1, { statusCode: 500 }, policy, fixed), { kind: "retry", delayMs: 1000 });
    assert.deepEqual(
      nextDeliveryStep(2, { statusCode: 302 }, policy, fixed),
      { kind: "retry", delayMs: 2000 },
      "redirects are not followed",
    );
    assert.deepEqual(nextDeliveryStep(4, { error: "timeout" }, policy, fixed), { kind: "retry", delayMs: 8000 });
    assert.deepEqual(nextDeliveryStep(5, { statusCode: 400 }, policy, fixed), { kind: "gaveUp" });
    assert.deepEqual(nextDeliveryStep(1, { error: "refused" }, { ...policy, maxAttempts: 1 }, fixed), { kind: "gaveUp" });
  });

  it("disables an endpoint once its deliveries gave up `disableAfter` times in a row", () => {
    assert.equal(shouldDisable(2, policy), false);
    assert.equal(shouldDisable(3, policy), true);
  });
});

describe("webhook endpoint URLs", () => {
  it("accepts https anywhere public, and http to localhost or 127.0.0.1 only", () => {
    for (const url of [
      "https://game.example/hooks",
      "https://game.example:8443/a?b=c",
      "http://localhost:9000/h",
      "http://127.0.0.1/h",
      "http://[::1]:5/h",
    ]) {
      assert.equal(checkEndpointUrl(url).ok, true, url);
    }
  });

  it("refuses plain http elsewhere, other schemes, credentials, fragments, private addresses and garbage", () => {
    const refused = [
      "http://game.example/hooks",
      "http://192.168.1.4/h",
      "ftp://game.example/h",
      "javascript:alert(1)",
      "https://user:pw@game.example/h",
      "https://game.example/h#x",
      "https://10.0.0.8/h",
      "https://172.20.1.1/h",
      "https://192.168.0.1/h",
      "https://169.254.169.254/latest/meta-data",
      "https://0.0.0.0/h",
      "https://[fd00::1]/h",
      "https://[fe80::1]/h",
      "https://[::ffff:10.0.0.1]/h",
      "not a url",
      `https://game.example/${"a".repeat(2100)}`,
    ];
    for (const url of refused) {
      const check = checkEndpointUrl(url);
      assert.equal(check.ok, false, url);
    }
    const plain = checkEndpointUrl("http://game.example/hooks");
    assert.ok(!plain.ok && /https/.test(plain.problem));
  });
});
