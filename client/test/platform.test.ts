/**
 * Browser test of player status from an external game: while the game reports over the platform
 * API, every page's room panel shows each player's location and status change live, the game
 * that is running, and how it ended.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { ARTIFACTS, hook, openSignedIn, serverAndBrowser } from "./chromium";

const FPS = "?fps=10";
const ADMIN_AUTH = `Basic ${Buffer.from("admin:durability-test-admin").toString("base64")}`;

describe("player status from an external game, in Chromium", function () {
  this.timeout(120_000);
  const rig = serverAndBrowser("tavern-platform-browser-");

  async function call(
    method: string,
    path: string,
    body: unknown,
    authorization: string,
  ): Promise<{ status: number; body: { key?: string; version?: number } }> {
    const res = await fetch(`${rig.server.url}${path}`, {
      method,
      headers: { authorization, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as { key?: string } };
  }

  const locationText = (page: Page, playerId: string) => page.textContent(`#players li[data-player-id="${playerId}"] .location`);

  it("shows each player's location and status, the running game and its result, live on every page", async () => {
    const key = (
      await call("POST", "/admin/api-keys", { name: "Dash", scopes: ["rooms:read", "players:write", "games:write"] }, ADMIN_AUTH)
    ).body.key!;
    const bearer = `Bearer ${key}`;

    const host = await openSignedIn(rig.browser, rig.server.url, "Ana", FPS);
    await host.click("#create button");
    await host.waitForFunction(() => Boolean(window.__tavern?.code()));
    const code = (await hook<string>(host, "code()"))!;
    const guest = await openSignedIn(rig.browser, rig.server.url, "Bo", FPS);
    await guest.fill("#join-code", code);
    await guest.click("#join button");
    await guest.waitForFunction((c) => window.__tavern?.code() === c, code);
    const hostId = (await hook<string>(host, "playerId()"))!;
    const guestId = (await hook<string>(guest, "playerId()"))!;
    await host.waitForSelector(`#players li[data-player-id="${guestId}"]`);
    assert.equal(await locationText(host, guestId), "here");

    const started = await call(
      "POST",
      `/api/v1/games/rooms/${code}/game/started`,
      { gameId: "Dungeon Dash", url: "https://dash.example/play" },
      bearer,
    );
    assert.equal(started.status, 200);
    for (const page of [host, guest]) await page.waitForSelector("#external-game.playing", { timeout: 10_000 });
    assert.match((await guest.textContent("#external-game"))!, /Playing Dungeon Dash/);

    const moved = await call(
      "POST",
      `/api/v1/games/rooms/${code}/players`,
      {
        players: [
          { playerId: hostId, location: "game", status: "picking a hero" },
          { playerId: guestId, location: "game", status: "in the boss fight" },
        ],
      },
      bearer,
    );
    assert.equal(moved.status, 200);
    for (const page of [host, guest]) {
      await page.waitForFunction(
        (id) => document.querySelector(`#players li[data-player-id="${id}"] .location`)?.textContent === "in the game",
        guestId,
        { timeout: 10_000 },
      );
    }
    assert.equal(await host.textContent(`#players li[data-player-id="${guestId}"] .player-status`), "in the boss fight");
    assert.equal(await guest.textContent(`#players li[data-player-id="${hostId}"] .player-status`), "picking a hero");
    await host.screenshot({ path: join(ARTIFACTS, "platform-in-game.png") });

    const ended = await call(
      "POST",
      `/api/v1/games/rooms/${code}/game/ended`,
      { gameId: "Dungeon Dash", result: { summary: "Bo wins with 12 gold" } },
      bearer,
    );
    assert.equal(ended.status, 200);
    for (const page of [host, guest]) {
      await page.waitForSelector("#external-game.ended", { timeout: 10_000 });
      await page.waitForFunction(
        (ids) => ids.every((id) => document.querySelector(`#players li[data-player-id="${id}"] .location`)?.textContent === "here"),
        [hostId, guestId],
      );
    }
    assert.equal(await guest.textContent("#external-result"), "Bo wins with 12 gold");
    await guest.screenshot({ path: join(ARTIFACTS, "platform-game-ended.png") });
  });
});
