/**
 * Browser tests: the built client (test mode, with window.__tavern) in Debian's Chromium, driven by
 * playwright-core, against a real Tavern server process started here on a free local port.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { ARTIFACTS, hook, openSignedIn as openPage, serverAndBrowser } from "./chromium";

describe("browser client in Chromium", function () {
  this.timeout(120_000);
  const rig = serverAndBrowser("tavern-browser-");

  const openSignedIn = (name: string, query = ""): Promise<Page> => openPage(rig.browser, rig.server.url, name, query);

  async function avatarIds(page: Page): Promise<string[]> {
    return ((await hook<{ id: string }[]>(page, "avatars()")) ?? []).map((a) => a.id).sort();
  }

  async function waitForAvatars(page: Page, ids: string[], timeout = 15_000): Promise<void> {
    const want = [...ids].sort();
    await page.waitForFunction(
      (expected: string[]) => {
        const shown = (window.__tavern?.avatars() ?? []).map((a) => a.id).sort();
        return JSON.stringify(shown) === JSON.stringify(expected);
      },
      want,
      { timeout },
    );
  }

  it("a page reloaded the moment it has joined, before any further patch, comes back to the same room", async () => {
    const host = await openSignedIn("Dara");
    await host.click("#create button");
    await host.waitForFunction(() => Boolean(window.__tavern?.code()));
    const code = (await hook<string>(host, "code()"))!;
    const page = await openSignedIn("Emil");
    await page.fill("#join-code", code);
    await page.click("#join button");
    await page.waitForFunction((c) => window.__tavern?.code() === c, code);
    await page.reload();
    await page.waitForFunction((c) => window.__tavern?.code() === c && window.__tavern.status() === "connected", code, {
      timeout: 15_000,
    });
    await Promise.all([host.close(), page.close()]);
  });

  it("two pages meet, move, reload without a ghost, survive a server restart, a late third page sees everyone, and its leaving removes its avatar", async () => {
    const p1 = await openSignedIn("Alice");
    await p1.click("#create button");
    await p1.waitForFunction(() => Boolean(window.__tavern?.code()) && window.__tavern?.sceneReady());
    const code = (await hook<string>(p1, "code()"))!;
    const id1 = (await hook<string>(p1, "playerId()"))!;

    await p1.screenshot({ path: join(ARTIFACTS, "lobby-and-room-host.png") });

    const p2 = await openSignedIn("Bruno");
    await p2.screenshot({ path: join(ARTIFACTS, "lobby.png") });
    await p2.fill("#join-code", code.toLowerCase());
    await p2.click("#join button");
    const id2 = await p2.waitForFunction(() => window.__tavern?.playerId()).then((h) => h.jsonValue() as Promise<string>);

    // Each renders the other's avatar.
    await waitForAvatars(p1, [id1, id2]);
    await waitForAvatars(p2, [id1, id2]);

    // A move on one page shows on the other (keyboard input; the server moves the avatar).
    const before = (await hook<{ id: string; x: number }[]>(p2, "avatars()")).find((a) => a.id === id1)!;
    await p1.keyboard.down("ArrowLeft");
    await p1.waitForTimeout(600);
    await p1.keyboard.up("ArrowLeft");
    await p2.waitForFunction(
      ([id, x]) => (window.__tavern?.avatars().find((a) => a.id === id)?.x ?? Infinity) < x - 20,
      [id1, before.x] as const,
      { timeout: 5000 },
    );

    // Reload: back as the same player, same seat, no ghost.
    await p2.reload();
    await p2.waitForFunction(() => window.__tavern?.sceneReady() && window.__tavern?.code());
    assert.equal(await hook<string>(p2, "playerId()"), id2, "same player id after reload");
    await waitForAvatars(p2, [id1, id2]);
    await p1.waitForTimeout(500);
    assert.deepEqual(await avatarIds(p1), [id1, id2].sort(), "no ghost avatar on the other page");

    // The server is killed and restarted: both show "reconnecting", then recover into the same code.
    await rig.server.kill();
    await p1.waitForFunction(() => window.__tavern?.status() === "reconnecting", undefined, { timeout: 10_000 });
    await p2.waitForFunction(() => window.__tavern?.status() === "reconnecting", undefined, { timeout: 10_000 });
    assert.equal(await p1.textContent("#badge"), "reconnecting");
    await rig.server.restart();
    for (const page of [p1, p2]) {
      await page.waitForFunction(() => window.__tavern?.status() === "connected", undefined, { timeout: 30_000 });
    }
    assert.equal(await hook<string>(p1, "code()"), code, "recovered into the same room code");
    assert.equal(await hook<string>(p2, "code()"), code);
    await waitForAvatars(p1, [id1, id2], 20_000);
    await waitForAvatars(p2, [id1, id2], 20_000);

    // A third page whose scene starts well after the join still sees both.
    const p3 = await openSignedIn("Chen", "?sceneDelayMs=1500");
    await p3.fill("#join-code", code);
    await p3.click("#join button");
    const id3 = await p3.waitForFunction(() => window.__tavern?.playerId()).then((h) => h.jsonValue() as Promise<string>);
    await p3.waitForFunction(() => window.__tavern?.code());
    assert.equal(await hook<boolean>(p3, "sceneReady()"), false, "joined before the scene started");
    await waitForAvatars(p3, [id1, id2, id3]);
    await waitForAvatars(p1, [id1, id2, id3]);
    await waitForAvatars(p2, [id1, id2, id3]);

    // Integrity check agrees with the server.
    assert.equal(await hook<boolean>(p3, "checkIntegrity()"), true);
    assert.equal(await hook<number>(p3, "resyncs()"), 0);

    await p1.waitForTimeout(300);
    await p1.screenshot({ path: join(ARTIFACTS, "space-three-players.png") });

    // A player who leaves takes their avatar along, from every page.
    await p3.click("#leave");
    await waitForAvatars(p1, [id1, id2]);
    await waitForAvatars(p2, [id1, id2]);
  });
});
