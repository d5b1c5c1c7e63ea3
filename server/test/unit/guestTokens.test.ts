import assert from "node:assert/strict";
import { TavernError } from "../../../shared/src/errors";
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
    assert.deepEqual(await tokens.verify(session.token), { playerId: session.playerId, name: "Mira" });
    const again = await tokens.issue("Mira");
    assert.notEqual(again.playerId, session.playerId, "each sign-in is a new guest");
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
