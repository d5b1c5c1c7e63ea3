import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { WEBHOOK_TOLERANCE_SECONDS, signWebhook, verifyWebhook, webhookMac } from "../src/webhookSignature";

describe("webhook signatures", () => {
  const secret = "whsec_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG";
  const body = JSON.stringify({ id: "evt_1", type: "player.joined", data: { name: "Åsa 🎲" } });
  const timestamp = "1800000000";
  const now = 1_800_000_000;

  it("is HMAC-SHA256 over timestamp.body, keyed by the whole secret, as lowercase hex after v1=", () => {
    const expected = createHmac("sha256", secret).update(`${timestamp}.${body}`, "utf8").digest("hex");
    assert.equal(webhookMac(secret, timestamp, body), expected);
    assert.equal(signWebhook(secret, timestamp, body), `v1=${expected}`);
    // The fixed vector of docs/WEBHOOKS.md, so a port of the algorithm to another language can check itself.
    assert.equal(
      signWebhook("whsec_test", "1700000000", '{"id":"evt_x"}'),
      "v1=41cb8dcaf2dddb8589600fb25cab564719907d9ba4799b30c0bfbf565f604172",
    );
  });

  it("accepts a genuine delivery, and one of several offered signatures", () => {
    const signature = signWebhook(secret, timestamp, body);
    assert.deepEqual(verifyWebhook({ secret, body, timestamp, signature, nowSeconds: now }), { ok: true });
    const several = `v1=${"0".repeat(64)}, ${signature}`;
    assert.deepEqual(verifyWebhook({ secret, body, timestamp, signature: several, nowSeconds: now }), { ok: true });
  });

  it("refuses a tampered body, a tampered timestamp, another secret and a truncated signature", () => {
    const signature = signWebhook(secret, timestamp, body);
    const mismatch = { ok: false, reason: "mismatch" };
    assert.deepEqual(verifyWebhook({ secret, body: body.replace("joined", "left"), timestamp, signature, nowSeconds: now }), mismatch);
    assert.deepEqual(verifyWebhook({ secret, body, timestamp: String(now + 1), signature, nowSeconds: now }), mismatch);
    assert.deepEqual(verifyWebhook({ secret: `${secret}x`, body, timestamp, signature, nowSeconds: now }), mismatch);
    assert.deepEqual(verifyWebhook({ secret, body, timestamp, signature: signature.slice(0, -2), nowSeconds: now }), mismatch);
  });

  it("refuses timestamps outside the tolerance either way, and malformed headers", () => {
    const at = (ts: number) => ({ secret, body, timestamp: String(ts), signature: signWebhook(secret, String(ts), body), nowSeconds: now });
    assert.deepEqual(verifyWebhook(at(now - WEBHOOK_TOLERANCE_SECONDS)), { ok: true });
    assert.deepEqual(verifyWebhook(at(now + WEBHOOK_TOLERANCE_SECONDS)), { ok: true });
    assert.deepEqual(verifyWebhook(at(now - WEBHOOK_TOLERANCE_SECONDS - 1)), { ok: false, reason: "stale" });
    assert.deepEqual(verifyWebhook(at(now + WEBHOOK_TOLERANCE_SECONDS + 1)), { ok: false, reason: "stale" });
    const signature = signWebhook(secret, timestamp, body);
    for (const bad of [
      { timestamp: undefined, signature },
      { timestamp: "12.5", signature },
      { timestamp: "-1", signature },
      { timestamp, signature: null },
      { timestamp, signature: signature.replace("v1=", "v0=") },
    ]) {
      assert.deepEqual(verifyWebhook({ secret, body, nowSeconds: now, ...bad }), { ok: false, reason: "malformed" }, JSON.stringify(bad));
    }
  });
});
