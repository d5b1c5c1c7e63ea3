/**
 * Browser tests of what a new player meets: two windows of one browser as two players, the GM's
 * edit form following the GM's own actions, the table's head and controls, the lobby's badge, and
 * notices in words a player understands that never move the map.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { ARTIFACTS, hook, serverAndBrowser } from "./chromium";

/** Several pages render WebGL in software on a small machine: a lower frame rate leaves CPU for the rest. */
const FPS = "?fps=10";

describe("a new player's first minutes in Chromium", function () {
  this.timeout(150_000);
  const rig = serverAndBrowser("tavern-newplayer-browser-");

  const contexts: BrowserContext[] = [];
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });
  /** A fresh browser profile (its own localStorage): a second one is another browser. */
  async function browserProfile(): Promise<BrowserContext> {
    const context = await rig.browser.newContext({ viewport: { width: 1300, height: 760 } });
    contexts.push(context);
    return context;
  }
  async function openWindow(context: BrowserContext, name: string): Promise<Page> {
    const page = await context.newPage();
    page.on("pageerror", (err) => console.error(`[${name}] page error:`, err.message));
    await page.goto(`${rig.server.url}/${FPS}`);
    return page;
  }
  async function signIn(page: Page, name: string): Promise<string> {
    await page.fill("#name", name);
    await page.click("#signin button");
    await page.waitForSelector("#lobby-actions:not([hidden])");
    return (await hook<string>(page, "playerId()"))!;
  }
  const playerCount = (page: Page) => page.locator("#players li").count();

  it("two windows of one browser are two players once the second has a guest of its own, each keeping it across reloads", async () => {
    const browser = await browserProfile();
    const first = await openWindow(browser, "first");
    const aliceId = await signIn(first, "Alice");
    await first.click("#create button");
    await first.waitForFunction(() => Boolean(window.__tavern?.code()) && window.__tavern?.sceneReady());
    const code = (await hook<string>(first, "code()"))!;

    // A second window of the same browser is Alice too, and says what joining there would do.
    const second = await openWindow(browser, "second");
    await second.waitForSelector("#lobby-actions:not([hidden])");
    assert.equal(await hook<string>(second, "playerId()"), aliceId, "the browser's guest is shared by its windows");
    assert.match((await second.textContent("#guest-scope"))!, /every tab and window of this browser/);
    await second.screenshot({ path: join(ARTIFACTS, "newplayer-second-window.png") });

    // It asks for a guest of its own and joins as Bruno: the first window keeps Alice's seat.
    await second.click("#tab-guest");
    const brunoId = await signIn(second, "Bruno");
    assert.notEqual(brunoId, aliceId, "a new guest");
    assert.match((await second.textContent("#guest-scope"))!, /Bruno in this tab only/);
    assert.match((await second.textContent("#whoami"))!, /Signed in as Bruno \(this tab\)/);
    await second.fill("#join-code", code);
    await second.click("#join button");
    await second.waitForFunction((c) => window.__tavern?.code() === c, code);
    await first.waitForFunction(() => document.querySelectorAll("#players li").length === 2);
    assert.equal(await playerCount(second), 2);
    assert.equal(await hook<string>(first, "status()"), "connected", "the first window was not kicked");
    assert.equal(await hook<string>(first, "code()"), code);
    assert.equal(await hook<string>(first, "playerId()"), aliceId);

    // Each window keeps its own guest across a reload, back in the same seat.
    await second.reload();
    await second.waitForFunction((c) => window.__tavern?.code() === c && window.__tavern.status() === "connected", code);
    assert.equal(await hook<string>(second, "playerId()"), brunoId, "the tab's own guest survives a reload");
    await first.reload();
    await first.waitForFunction((c) => window.__tavern?.code() === c && window.__tavern.status() === "connected", code);
    assert.equal(await hook<string>(first, "playerId()"), aliceId);
    await first.waitForFunction(() => document.querySelectorAll("#players li").length === 2);
    await second.waitForFunction(() => document.querySelectorAll("#players li:not(.offline)").length === 2);

    // A third window is the browser's guest again; signing out there forgets it, under any name.
    const third = await openWindow(browser, "third");
    await third.waitForSelector("#lobby-actions:not([hidden])");
    assert.equal(await hook<string>(third, "playerId()"), aliceId);
    await third.click("#new-guest");
    const carolId = await signIn(third, "Carol");
    assert.ok(![aliceId, brunoId].includes(carolId), "signing out and in is a new guest");
    assert.match((await third.textContent("#whoami"))!, /Signed in as Carol$/);
  });
});
