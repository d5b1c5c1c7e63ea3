import assert from "node:assert/strict";
import { TavernError } from "@tavern/shared/errors";
import { SignJWT } from "jose";
import { GuestTokens } from "../../src/auth/guestTokens";

const secret = "unit-secret-unit-secret-unit-secret-000";

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof TavernError);
    assert.equal(err.code, "UNAUTHORIZED");
    return err.message;
  }
  throw new Error("expected a refusal");
}

describe("GuestTokens", () => {
  it("round-trips a stable player id and name", async () => {
    const tokens = new GuestTokens(secret, 1);
    const session = await tokens.issue("Mira");
    assert.deepEqual(await tokens.verify(session.token), { playerId: session.playerId, name: "Mira", deviceId: session.deviceId });
    const again = await tokens.issue("Mira");
    assert.notEqual(again.playerId, session.playerId, "each sign-in is a new guest");
  });
  it("carries the device id it was given as a signed claim, or a new one", async () => {
    const tokens = new GuestTokens(secret, 1);
    const fresh = await tokens.issue("Mira");
    assert.match(fresh.deviceId, /^[A-Za-z0-9_-]{16,64}$/);
    assert.notEqual((await tokens.issue("Mira")).deviceId, fresh.deviceId, "a new device each time none is given");
    const kept = await tokens.issue("Mira", { deviceId: "browser-of-mira-01" });
    assert.equal(kept.deviceId, "browser-of-mira-01");
    assert.equal((await tokens.verify(kept.token)).deviceId, "browser-of-mira-01");
    const payload = JSON.parse(Buffer.from(kept.token.split(".")[1] ?? "", "base64url").toString()) as Record<string, unknown>;
    assert.equal(payload["dev"], "browser-of-mira-01", "in the signed payload, not beside it");
  });
  it("accepts tokens issued before they carried a device (no device then), refuses a malformed device claim", async () => {
    const tokens = new GuestTokens(secret, 1);
    const sign = (claims: Record<string, unknown>) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: "HS256" })
        .setSubject("old-player")
        .setIssuer("tavern")
        .setAudience("tavern-guest")
        .setIssuedAt()
        .setExpirationTime("1h")
        .sign(new TextEncoder().encode(secret));
    assert.deepEqual(await tokens.verify(await sign({ name: "Old" })), { playerId: "old-player", name: "Old" });
    assert.match(await refusal(tokens.verify(await sign({ name: "Odd", dev: "no spaces allowed here" }))), /malformed device id/);
    assert.match(await refusal(tokens.verify(await sign({ name: "Odd", dev: 7 }))), /malformed device id/);
  });
  it("refuses missing, forged, foreign and expired tokens with clear messages", async () => {
    const tokens = new GuestTokens(secret, 1);
    assert.match(await refusal(tokens.verify(undefined)), /no guest token/);
    assert.match(await refusal(tokens.verify("not.a.jwt")), /not valid/);
    const foreign = await new GuestTokens("another-secret-another-secret-another", 1).issue("Eve");
    assert.match(await refusal(tokens.verify(foreign.token)), /not valid/);
    const expired = await new GuestTokens(secret, -1).issue("Old");
    assert.match(await refusal(tokens.verify(expired.token)), /expired/);
  });
});
