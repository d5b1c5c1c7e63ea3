/**
 * The webhook sender against a local receiver, with the name lookup faked: a name whose answer
 * holds a private address is refused before any connection, whatever the registered URL looked
 * like; a public answer is connected to; this machine only when the operator allows loopback;
 * redirects are not followed; a hanging receiver times out.
 */
import assert from "node:assert/strict";
import type { LookupAddress } from "node:dns";
import { PUBLIC_ONLY, isRefusedResolvedAddress, type EndpointRules } from "../../src/domain/webhooks/endpointUrl";
import type { ResolveAll } from "../../src/platform/publicLookup";
import { webhookSender, type OutgoingDelivery } from "../../src/platform/webhookSender";
import { startReceiver, type WebhookReceiver } from "../support/webhookReceiver";

/** A resolver that knows only these names; every other name is not found. */
function fakeDns(records: Record<string, string[]>): ResolveAll {
  return (hostname, _options, callback) => {
    const addresses = records[hostname];
    if (!addresses) return callback(Object.assign(new Error(`${hostname} not found`), { code: "ENOTFOUND" }), []);
    callback(
      null,
      addresses.map((address): LookupAddress => ({ address, family: address.includes(":") ? 6 : 4 })),
    );
  };
}

const LOOPBACK_ALLOWED: EndpointRules = { allowLoopback: true };

describe("webhook delivery: names are judged by what they resolve to", () => {
  let receiver: WebhookReceiver;
  let port: string;
  beforeEach(async () => {
    receiver = await startReceiver();
    port = new URL(receiver.url).port;
  });
  afterEach(() => receiver.close());

  const delivery = (url: string): OutgoingDelivery => ({ url, secret: "s3cret", eventId: "evt_1", body: '{"type":"test"}' });

  it("judges resolved addresses as registered literals are judged", () => {
    for (const refused of [
      "10.1.2.3",
      "172.16.0.1",
      "192.168.4.4",
      "169.254.169.254",
      "0.0.0.0",
      "100.64.0.1",
      "fd00::1",
      "FE80::1",
      "::",
      "::ffff:10.0.0.1",
    ]) {
      for (const rules of [PUBLIC_ONLY, LOOPBACK_ALLOWED]) assert.equal(isRefusedResolvedAddress(refused, rules), true, refused);
    }
    for (const allowed of ["93.184.216.34", "2001:db8::1", "::ffff:93.184.216.34"]) {
      assert.equal(isRefusedResolvedAddress(allowed, PUBLIC_ONLY), false, allowed);
    }
    for (const loopback of ["127.0.0.1", "127.8.0.1", "::1", "::ffff:127.0.0.1"]) {
      assert.equal(isRefusedResolvedAddress(loopback, PUBLIC_ONLY), true, loopback);
      assert.equal(isRefusedResolvedAddress(loopback, LOOPBACK_ALLOWED), false, `${loopback} with loopback allowed`);
    }
  });

  it("refuses a name that resolves to a private address without connecting, and delivers to one that resolves publicly", async () => {
    const send = webhookSender(
      LOOPBACK_ALLOWED, // the loopback receiver stands in for a public host
      fakeDns({
        "hooks.game.test": ["127.0.0.1"],
        "rebound.game.test": ["10.0.0.7"],
        "mixed.game.test": ["127.0.0.1", "169.254.169.254"],
      }),
    );
    const ok = await send(delivery(`http://hooks.game.test:${port}/h`), 2000, Date.now());
    assert.equal(ok.statusCode, 200, JSON.stringify(ok));
    assert.equal(receiver.received.length, 1);
    assert.equal(receiver.received[0]!.body, '{"type":"test"}');
    assert.equal(receiver.received[0]!.headers["content-type"], "application/json");

    for (const name of ["rebound.game.test", "mixed.game.test"]) {
      const refused = await send(delivery(`http://${name}:${port}/h`), 2000, Date.now());
      assert.equal(refused.statusCode, undefined, name);
      assert.match(refused.error ?? "", /EPRIVATEADDRESS/, name);
    }
    const unknown = await send(delivery(`http://nowhere.game.test:${port}/h`), 2000, Date.now());
    assert.match(unknown.error ?? "", /ENOTFOUND/);
    assert.equal(receiver.received.length, 1, "nothing reached the receiver after the first delivery");
  });

  it("refuses this machine without connecting unless loopback is allowed: by name, by literal, by localhost", async () => {
    const publicOnly = webhookSender(PUBLIC_ONLY, fakeDns({ "hooks.game.test": ["127.0.0.1"], "v6.game.test": ["::1"] }));
    for (const url of [
      `http://hooks.game.test:${port}/h`,
      `http://v6.game.test:${port}/h`,
      `http://127.0.0.1:${port}/h`,
      `http://[::ffff:127.0.0.1]:${port}/h`,
      `http://localhost:${port}/h`,
    ]) {
      const refused = await publicOnly(delivery(url), 2000, Date.now());
      assert.equal(refused.statusCode, undefined, url);
      assert.match(refused.error ?? "", /EPRIVATEADDRESS/, url);
    }
    assert.equal(receiver.received.length, 0, "nothing reached the receiver");
    const allowed = await webhookSender(LOOPBACK_ALLOWED)(delivery(`http://127.0.0.1:${port}/h`), 2000, Date.now());
    assert.equal(allowed.statusCode, 200, JSON.stringify(allowed));
  });

  it("with the system resolver, delivers to localhost, does not follow a redirect, and times out a receiver that hangs", async () => {
    const sendWebhook = webhookSender(LOOPBACK_ALLOWED);
    const ok = await sendWebhook(delivery(`http://localhost:${port}/h`), 2000, Date.now());
    assert.equal(ok.statusCode, 200, JSON.stringify(ok));

    receiver.answer = () => 302;
    const redirected = await sendWebhook(delivery(`http://127.0.0.1:${port}/h`), 2000, Date.now());
    assert.equal(redirected.statusCode, 302, "the redirect is the answer, not followed");
    assert.equal(receiver.received.length, 2);

    receiver.answer = () => "hang";
    const hung = await sendWebhook(delivery(`http://127.0.0.1:${port}/h`), 300, Date.now());
    assert.equal(hung.error, "timeout: no answer within 300 ms");
    assert.ok(hung.durationMs >= 250, `gave up after ${hung.durationMs} ms`);
  });
});
