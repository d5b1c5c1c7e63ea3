/** The webhook contract: what verifies, what does not, and that it is the HMAC the docs describe. */
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { WebhookVerificationError, signWebhook, verifyWebhook } from "../src/index.js";

const secret = "whsec_test_secret";
const body = JSON.stringify({ type: "game.ended", roomCode: "KQ7XHD", result: { winner: "a" } });
const now = 1_750_000_000_000;
const stamp = Math.floor(now / 1000);

async function reason(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof WebhookVerificationError, String(err));
    return err.reason;
  }
  throw new Error("expected the delivery to be refused");
}

describe("verifyWebhook", () => {
  it("is HMAC-SHA256(secret, timestamp + '.' + body) in hex, as the contract says", async () => {
    const headers = await signWebhook({ secret, body, timestamp: stamp });
    const expected = createHmac("sha256", secret).update(`${stamp}.${body}`).digest("hex");
    assert.deepEqual(headers, { "Tavern-Webhook-Timestamp": String(stamp), "Tavern-Webhook-Signature": `v1=${expected}` });
  });

  it("accepts a genuine delivery from Node's lower-case headers or a fetch Headers, and parses it", async () => {
    const signed = await signWebhook({ secret, body, timestamp: stamp });
    const nodeStyle = Object.fromEntries(Object.entries(signed).map(([k, v]) => [k.toLowerCase(), v]));
    const verified = await verifyWebhook<{ type: string }>({ secret, body: Buffer.from(body), headers: nodeStyle, now });
    assert.equal(verified.payload.type, "game.ended");
    assert.equal(verified.timestamp, stamp);
    await verifyWebhook({ secret, body, headers: new Headers(signed), now: now + 299_000 });
  });

  it("accepts any v1 signature of several (a secret in rotation) and ignores other versions", async () => {
    const old = await signWebhook({ secret: "whsec_old", body, timestamp: stamp });
    const current = await signWebhook({ secret, body, timestamp: stamp });
    const header = `v0=abc, ${old["Tavern-Webhook-Signature"]}, v1=nothex, ${current["Tavern-Webhook-Signature"]}`;
    await verifyWebhook({ secret, body, headers: { ...current, "Tavern-Webhook-Signature": header }, now });
  });

  it("refuses a changed body, a wrong secret, a replay outside the window, and missing headers", async () => {
    const headers = await signWebhook({ secret, body, timestamp: stamp });
    assert.equal(await reason(verifyWebhook({ secret, body: body.replace("a", "b"), headers, now })), "bad-signature");
    assert.equal(await reason(verifyWebhook({ secret: "whsec_other", body, headers, now })), "bad-signature");
    assert.equal(await reason(verifyWebhook({ secret, body, headers, now: now + 301_000 })), "outside-tolerance");
    assert.equal(await reason(verifyWebhook({ secret, body, headers, now: now - 301_000 })), "outside-tolerance");
    assert.equal(await reason(verifyWebhook({ secret, body, headers, now: now + 61_000, toleranceSeconds: 60 })), "outside-tolerance");
    assert.equal(await reason(verifyWebhook({ secret, body, headers: { "Tavern-Webhook-Signature": "v1=00" }, now })), "missing-timestamp");
    assert.equal(
      await reason(verifyWebhook({ secret, body, headers: { ...headers, "Tavern-Webhook-Timestamp": "12.5" }, now })),
      "bad-timestamp",
    );
    assert.equal(
      await reason(verifyWebhook({ secret, body, headers: { "Tavern-Webhook-Timestamp": String(stamp) }, now })),
      "missing-signature",
    );
    // The signature covers the timestamp: moving it into the window breaks the signature.
    const moved = { ...headers, "Tavern-Webhook-Timestamp": String(stamp + 1) };
    assert.equal(await reason(verifyWebhook({ secret, body, headers: moved, now })), "bad-signature");
  });
});
