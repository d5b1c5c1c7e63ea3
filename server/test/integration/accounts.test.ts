/**
 * Identity that lasts, through real HTTP and the SDK: a token renewed by use, an account claimed
 * and signed in from a "second browser" (a fresh client with no stored token) as the same player
 * with the GM role over the same session, wrong passwords limited and indistinct, sign out
 * everywhere, and an admin handing a session to a new player id.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import type { GuestSession } from "@tavern/shared/protocol";
import { GuestTokens } from "../../src/auth/guestTokens";
import { ADMIN, errorOf, harness, httpJson, newPlayer, roomsLeftAfterEach, sdkClient, sleep, waitFor } from "../support/harness";
import type { TableState } from "@tavern/shared/table/state";
import type { Room } from "@colyseus/sdk";

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const adminHeaders = { authorization: `Basic ${Buffer.from(`${ADMIN.user}:${ADMIN.password}`).toString("base64")}` };
const uniqueName = () => `gm_${randomUUID().slice(0, 8)}`;

describe("accounts and sliding sign-ins", function () {
  this.timeout(60_000);
  const rooms = roomsLeftAfterEach();

  it("renews a token in use across its expiry, and refuses an expired one", async () => {
    // Tokens of a one-hour life, signed with the test server's secret: past half their life at once.
    const { tavern } = await harness();
    const secret = tavern.services.config.authSecret!;
    const shortLived = new GuestTokens(secret, 1);
    const session = await shortLived.issue("Renewer");
    const renewed = await httpJson("POST", "/api/auth/refresh", {}, bearer(session.token));
    assert.equal(renewed.status, 201);
    assert.equal(renewed.body.playerId, session.playerId, "the same player");
    assert.ok(Date.parse(renewed.body.expiresAt) > Date.parse(session.expiresAt), "a later expiry");

    // A join with the short-lived token is sent a fresh one at once.
    const client = sdkClient(session.token);
    const fresh = new Promise<GuestSession>((resolve) => {
      void client.create("space", {}).then((room) => {
        rooms.push(room);
        room.onMessage("session", (s: GuestSession) => resolve(s));
      });
    });
    const sent = await Promise.race([fresh, sleep(5000).then(() => undefined)]);
    assert.ok(sent, "the join was answered with a renewed token");
    assert.equal(sent.playerId, session.playerId);

    const expired = await new GuestTokens(secret, 1).issue("Gone", { playerId: session.playerId });
    // Forge an already-expired token with the same key: jose refuses it before anything else.
    const { SignJWT } = await import("jose");
    const old = await new SignJWT({ name: "Gone" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(expired.playerId)
      .setIssuer("tavern")
      .setAudience("tavern-guest")
      .setExpirationTime(Math.floor(Date.now() / 1000) - 10)
      .sign(new TextEncoder().encode(secret));
    const refused = await httpJson("POST", "/api/auth/refresh", {}, bearer(old));
    assert.equal(refused.status, 401);
    assert.match(refused.body.message, /expired/);
  });

  it("a claimed account signs in from a second browser as the same player, GM of the same session", async () => {
    const gm = await newPlayer("Mira");
    const table = (await gm.client.create("table", { title: "The long campaign" })) as Room<unknown, TableState>;
    rooms.push(table);
    await waitFor("table code", () => Boolean(table.state?.code));
    const code = table.state.code;
    await waitFor("GM's view", () => table.state.gm !== undefined);

    const username = uniqueName();
    const claimed = await httpJson("POST", "/api/auth/claim", { username, password: "correct horse battery" }, bearer(gm.session.token));
    assert.equal(claimed.status, 201, JSON.stringify(claimed.body));
    assert.equal(claimed.body.playerId, gm.session.playerId);
    const again = await httpJson(
      "POST",
      "/api/auth/claim",
      { username: uniqueName(), password: "another password" },
      bearer(claimed.body.token),
    );
    assert.equal(again.status, 409, "one account per player");
    const other = await newPlayer("Copycat");
    const taken = await httpJson(
      "POST",
      "/api/auth/claim",
      { username: username.toUpperCase(), password: "another password" },
      bearer(other.session.token),
    );
    assert.equal(taken.status, 409);
    assert.match(taken.body.message, /taken/);
    await table.leave(true);

    // A second browser: no stored token, only the user name and password.
    const login = await httpJson("POST", "/api/auth/login", { username, password: "correct horse battery" });
    assert.equal(login.status, 201);
    assert.equal(login.body.playerId, gm.session.playerId, "the same player id");
    assert.equal(login.body.username, username);
    const sessions = await httpJson("GET", "/api/sessions", undefined, bearer(login.body.token));
    assert.ok(
      sessions.body.sessions.some((s: { code: string }) => s.code === code),
      "the GM's sessions follow the player id",
    );
    const back = (await sdkClient(login.body.token).join("table", { code })) as Room<unknown, TableState>;
    rooms.push(back);
    await waitFor("the GM's view again", () => back.state?.gm !== undefined, 15_000);
    assert.equal(back.state.hostId, gm.session.playerId);
    const me = await httpJson("GET", "/api/auth/me", undefined, bearer(login.body.token));
    assert.equal(me.body.username, username);
  });

  it("wrong passwords and unknown names fail alike, are limited, and sign out everywhere ends every token", async () => {
    const player = await newPlayer("Limited");
    const username = uniqueName();
    const claimed = await httpJson("POST", "/api/auth/claim", { username, password: "a good long password" }, bearer(player.session.token));
    assert.equal(claimed.status, 201);

    const wrong = await httpJson("POST", "/api/auth/login", { username, password: "not the password" });
    const unknown = await httpJson("POST", "/api/auth/login", { username: `${username}x`, password: "not the password" });
    assert.equal(wrong.status, 401);
    assert.deepEqual(wrong.body, unknown.body, "the answer does not tell which part was wrong");

    const secondDevice = await httpJson("POST", "/api/auth/login", { username, password: "a good long password" });
    const out = await httpJson("POST", "/api/auth/signout-everywhere", {}, bearer(secondDevice.body.token));
    assert.equal(out.status, 204);
    for (const token of [player.session.token, claimed.body.token, secondDevice.body.token]) {
      const refused = await httpJson("GET", "/api/auth/me", undefined, bearer(token));
      assert.equal(refused.status, 401, "every earlier token is refused");
    }
    const joinRefused = await errorOf(sdkClient(claimed.body.token).create("space", {}));
    assert.equal(joinRefused.code, "UNAUTHORIZED");

    // Guesses at one user name are limited (10 a minute), whatever else they change.
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++)
      statuses.push((await httpJson("POST", "/api/auth/login", { username, password: `guess ${i} guess` })).status);
    assert.ok(statuses.includes(429), `limited: ${statuses.join(",")}`);
  });

  it("an admin hands a closed session to another player id; an open one is refused", async () => {
    const gm = await newPlayer("Lost GM");
    const table = (await gm.client.create("table", { title: "Orphaned" })) as Room<unknown, TableState>;
    await waitFor("table code", () => Boolean(table.state?.code));
    const code = table.state.code;
    const listed = await httpJson("GET", `/admin/sessions?gm=${gm.session.playerId}`, undefined, adminHeaders);
    const id = listed.body.sessions.find((s: { code: string }) => s.code === code).id as string;
    const heir = await newPlayer("New browser, same GM");

    const whileOpen = await httpJson("POST", `/admin/sessions/${id}/gm`, { playerId: heir.session.playerId }, { ...adminHeaders });
    assert.equal(whileOpen.status, 409);
    await table.leave(true);
    await waitFor("the room closed", async () => (await httpJson("GET", `/api/rooms/${code}`)).body.open === false, 15_000);

    const handed = await httpJson("POST", `/admin/sessions/${id}/gm`, { playerId: heir.session.playerId }, adminHeaders);
    assert.equal(handed.status, 200, JSON.stringify(handed.body));
    assert.equal(handed.body.previousGmPlayerId, gm.session.playerId);
    const reopened = (await heir.client.join("table", { code })) as Room<unknown, TableState>;
    rooms.push(reopened);
    await waitFor("the heir is GM", () => reopened.state?.gm !== undefined && reopened.state.hostId === heir.session.playerId, 15_000);
  });
});
