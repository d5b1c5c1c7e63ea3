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
    assert.deepEqual(await tokens.verify(session.token), {
      playerId: session.playerId,
      name: "Mira",
      deviceId: session.deviceId,
      expiresAt: Math.floor(Date.parse(session.expiresAt) / 1000) * 1000,
    });
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
    const { expiresAt: _expiry, ...old } = await tokens.verify(await sign({ name: "Old" }));
    assert.deepEqual(old, { playerId: "old-player", name: "Old" });
    assert.match(await refusal(tokens.verify(await sign({ name: "Odd", dev: "no spaces allowed here" }))), /malformed device id/);
    assert.match(await refusal(tokens.verify(await sign({ name: "Odd", dev: 7 }))), /malformed device id/);
  });
  it("renews a verified identity as the same player with a later expiry, and says when a token is due", async () => {
    const tokens = new GuestTokens(secret, 2);
    const session = await tokens.issue("Mira", { deviceId: "browser-of-mira-01" });
    const identity = await tokens.verify(session.token);
    assert.equal(tokens.due(identity), false, "a new token is not due");
    assert.equal(tokens.due(identity, Date.now() + 1.5 * 3_600_000), true, "past half its life it is");
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const renewed = await tokens.renew(identity);
    assert.equal(renewed.playerId, session.playerId);
    assert.equal(renewed.deviceId, "browser-of-mira-01");
    assert.ok(Date.parse(renewed.expiresAt) > Date.parse(session.expiresAt));
  });
  it("refuses a token whose account version moved on (signed out everywhere), and accepts the current one", async () => {
    let required: number | undefined = 1;
    const tokens = new GuestTokens(secret, 1, async () => required);
    const before = await tokens.issue("Mira");
    const current = await tokens.issue("Mira", { playerId: before.playerId, tokenVersion: 1 });
    assert.match(await refusal(tokens.verify(before.token)), /signed out everywhere/);
    assert.equal((await tokens.verify(current.token)).tokenVersion, 1);
    required = undefined;
    assert.equal((await tokens.verify(before.token)).playerId, before.playerId, "a guest without an account has no version to match");
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

  it("refuses an unsigned token, another algorithm, a foreign issuer or audience, no expiry, and a payload changed under its signature", async () => {
    const tokens = new GuestTokens(secret, 1);
    const key = new TextEncoder().encode(secret);
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const claims = { name: "Eve", sub: "victim", iss: "tavern", aud: "tavern-guest", exp: Math.floor(Date.now() / 1000) + 3600 };
    assert.match(await refusal(tokens.verify(`${b64({ alg: "none", typ: "JWT" })}.${b64(claims)}.`)), /not valid/);
    const signed = (header: { alg: string }, body: Record<string, unknown>) => new SignJWT(body).setProtectedHeader(header).sign(key);
    assert.match(await refusal(tokens.verify(await signed({ alg: "HS512" }, claims))), /not valid/);
    assert.match(await refusal(tokens.verify(await signed({ alg: "HS256" }, { ...claims, iss: "elsewhere" }))), /not valid/);
    assert.match(await refusal(tokens.verify(await signed({ alg: "HS256" }, { ...claims, aud: "another-app" }))), /not valid/);
    const { exp: _exp, ...forever } = claims;
    assert.match(await refusal(tokens.verify(await signed({ alg: "HS256" }, forever))), /not valid/);
    const genuine = (await tokens.issue("Eve")).token.split(".");
    const tampered = `${genuine[0]}.${b64({ ...claims, sub: "someone-else" })}.${genuine[2]}`;
    assert.match(await refusal(tokens.verify(tampered)), /not valid/);
    // Tokens signed by another JWT implementation with the same secret verify: sessions outlive the library.
    assert.equal((await tokens.verify(await signed({ alg: "HS256" }, claims))).playerId, "victim");
  });

  it("tells of each player id it mints, never of one it renews", async () => {
    const minted: string[] = [];
    const tokens = new GuestTokens(
      "a-test-secret-of-some-length",
      24,
      async () => undefined,
      (id) => minted.push(id),
    );
    const first = await tokens.issue("Ada");
    await tokens.renew(await tokens.verify(first.token));
    await tokens.issue("Ada again", { playerId: first.playerId });
    assert.deepEqual(minted, [first.playerId]);
  });

  it("a token checked once is still refused once it expires, and a forged copy is never taken for it", async () => {
    const tokens = new GuestTokens(secret, 1.5 / 3600); // a life of 1.5 s
    const session = await tokens.issue("Brief");
    assert.equal((await tokens.verify(session.token)).playerId, session.playerId);
    assert.equal((await tokens.verify(session.token)).playerId, session.playerId, "the second check is answered from memory");
    const forged = session.token.slice(0, -2) + (session.token.endsWith("AA") ? "BB" : "AA");
    assert.match(await refusal(tokens.verify(forged)), /not valid/);
    await new Promise((resolve) => setTimeout(resolve, 1600));
    assert.match(await refusal(tokens.verify(session.token)), /expired|not valid/);
  });

  it("mints player ids of 25 letters and digits, all different", async () => {
    const tokens = new GuestTokens(secret, 1);
    const ids = await Promise.all(Array.from({ length: 200 }, async () => (await tokens.issue("x")).playerId));
    for (const id of ids) assert.match(id, /^[0-9a-z]{25}$/);
    assert.equal(new Set(ids).size, ids.length);
  });
});
