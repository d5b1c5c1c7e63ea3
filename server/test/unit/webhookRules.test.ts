import assert from "node:assert/strict";
import { JITTER, nominalDelayMs, retryDelayMs } from "../../src/domain/webhooks/backoff";
import { nextDeliveryStep, shouldDisable, type DeliveryPolicy } from "../../src/domain/webhooks/deliveryRules";
import { PUBLIC_ONLY, checkEndpointUrl, isRefusedHost, type EndpointRules } from "../../src/domain/webhooks/endpointUrl";

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
  const LOOPBACK_ALLOWED: EndpointRules = { allowLoopback: true };
  /** This machine, as URLs spell it (the parser turns 127.1 and 2130706433 into 127.0.0.1). */
  const loopbackUrls = [
    "http://localhost:9000/h",
    "https://localhost/h",
    "https://LOCALHOST./h",
    "https://hooks.localhost/h",
    "http://127.0.0.1/h",
    "https://127.0.0.1/h",
    "https://127.3.2.1/h",
    "http://127.1/h",
    "http://2130706433/h",
    "http://0x7f.1/h",
    "http://[::1]:5/h",
    "https://[0:0:0:0:0:0:0:1]/h",
    "https://[::ffff:127.0.0.1]/h",
  ];

  it("accepts https anywhere public", () => {
    for (const url of [
      "https://game.example/hooks",
      "https://game.example:8443/a?b=c",
      "https://127.example/h",
      "https://[2001:db8::1]/h",
    ]) {
      assert.equal(checkEndpointUrl(url, PUBLIC_ONLY).ok, true, url);
      assert.equal(checkEndpointUrl(url, LOOPBACK_ALLOWED).ok, true, url);
    }
  });

  it("refuses this machine unless the operator allows loopback, and names the variable that does", () => {
    for (const url of loopbackUrls) {
      const check = checkEndpointUrl(url, PUBLIC_ONLY);
      assert.ok(!check.ok && /WEBHOOK_ALLOW_LOOPBACK=true/.test(check.problem), `${url}: ${JSON.stringify(check)}`);
      assert.equal(checkEndpointUrl(url, LOOPBACK_ALLOWED).ok, true, `${url} with loopback allowed`);
    }
    for (const host of ["127.0.0.1", "127.9.9.9", "localhost", "a.localhost", "[::1]", "[::ffff:7f00:1]"]) {
      assert.equal(isRefusedHost(host, PUBLIC_ONLY), true, host);
      assert.equal(isRefusedHost(host, LOOPBACK_ALLOWED), false, host);
    }
    for (const host of ["game.example", "localhost.example", "128.0.0.1", "[::2]"])
      assert.equal(isRefusedHost(host, PUBLIC_ONLY), false, host);
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
      for (const rules of [PUBLIC_ONLY, LOOPBACK_ALLOWED]) assert.equal(checkEndpointUrl(url, rules).ok, false, url);
    }
    const plain = checkEndpointUrl("http://game.example/hooks", LOOPBACK_ALLOWED);
    assert.ok(!plain.ok && /https/.test(plain.problem) && /localhost, 127.x and \[::1\] only/.test(plain.problem));
    // Names a resolver (and its search domains) may answer for: never plain http, loopback allowed or not.
    for (const url of ["http://hooks.localhost/h", "http://localhost./h"]) {
      const check = checkEndpointUrl(url, LOOPBACK_ALLOWED);
      assert.ok(!check.ok && /https/.test(check.problem), url);
    }
  });
});
