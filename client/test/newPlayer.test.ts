/**
 * Browser tests of what a new player meets: two windows of one browser as two players, the GM's
 * edit form following the GM's own actions, the table's head and controls, the lobby's badge, and
 * notices in words a player understands that never move the map.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { UNREACHABLE } from "../src/net/describeError";
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

  async function clickCell(page: Page, x: number, y: number): Promise<void> {
    const canvas = page.locator("#game canvas");
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    const at = await hook<{ x: number; y: number }>(page, `table.cellCenter(${x}, ${y})`);
    const scale = box.width / 960;
    await page.mouse.click(box.x + at.x * scale, box.y + at.y * scale);
  }

  /** A GM's page with a table made through the lobby form, and a player's page seated at it. */
  async function tableWithPlayer(): Promise<{ gm: Page; player: Page; code: string }> {
    const gm = await openWindow(await browserProfile(), "gm");
    await signIn(gm, "Gwen");
    await gm.selectOption("#create-type", "table");
    await gm.click("#create button");
    await gm.waitForFunction(() => window.__tavern?.table.summary()?.gm === true && window.__tavern.sceneReady());
    const code = (await hook<string>(gm, "code()"))!;
    const player = await openWindow(await browserProfile(), "player");
    await signIn(player, "Pip");
    await player.fill("#join-code", code);
    await player.click("#join button");
    await player.waitForFunction(() => window.__tavern?.roomType() === "table" && window.__tavern.table.summary());
    return { gm, player, code };
  }

  /** Creates an actor through the GM's form; returns its id once the GM holds it. */
  async function createActor(gm: Page, name: string, hp: number, hidden: boolean): Promise<string> {
    await gm.selectOption("#ce-collection", "actors");
    await gm.fill("#ce-name", name);
    await gm.fill("#ce-hp", String(hp));
    await gm.setChecked("#ce-hidden", hidden);
    await gm.click("#create-entity button");
    const id = await gm.waitForFunction((n) => window.__tavern?.table.summary()?.actors.find((a) => a.name === n)?.id, name);
    await gm.waitForFunction(() => (document.getElementById("ce-name") as HTMLInputElement).value === "");
    return (await id.jsonValue()) as string;
  }

  const actorHp = async (gm: Page, id: string) =>
    (await hook<{ actors: { id: string; hp: number }[] }>(gm, "table.summary()")).actors.find((a) => a.id === id)?.hp;

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
    await second
      .waitForFunction((c) => window.__tavern?.code() === c && window.__tavern.status() === "connected", code)
      .catch(async (err: unknown) => {
        // What the page holds when it did not come back: for the failure's reader.
        console.error(
          "second window after reload:",
          await second.evaluate(() => ({
            code: window.__tavern?.code(),
            status: window.__tavern?.status(),
            notice: document.querySelector("#notice")?.textContent,
          })),
        );
        throw err;
      });
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

  it("the GM's edit form follows the GM's own actions, and names a field that moved under an unsaved edit", async () => {
    const { gm } = await tableWithPlayer();
    const ogre = await createActor(gm, "Ogre", 30, false);
    const token = (await hook<{ id: string; x: number; y: number }[]>(gm, "table.tokens()")).find((t) => t.id === ogre)!;
    await clickCell(gm, token.x, token.y);
    await gm.waitForSelector(`#sheet[data-entity="actor:${ogre}"]`);
    assert.equal(await gm.inputValue("#edit-hp"), "30");

    // The GM's own damage: the form shows the table's HP, with nothing stale or unsaved.
    await gm.fill("#hp-amount", "10");
    await gm.click("#act-damage");
    await gm.waitForFunction(() => (document.getElementById("edit-hp") as HTMLInputElement).value === "20");
    assert.equal(await actorHp(gm, ogre), 20);
    assert.equal(await gm.isVisible("#edit-stale"), false, "no 'changed by someone' after the GM's own action");
    assert.equal(await gm.isVisible("#edit-unsaved"), false);

    // An unsaved edit is said as such; a damage meanwhile names the field and both values.
    await gm.fill("#edit-hp", "25");
    await gm.fill("#edit-name", "Ogre Chief");
    await gm.waitForSelector("#edit-unsaved:not([hidden])");
    assert.equal(await gm.textContent("#edit-unsaved"), "Not saved yet: Name, HP.");
    await gm.fill("#hp-amount", "5");
    await gm.click("#act-damage");
    await gm.waitForSelector("#edit-stale:not([hidden])");
    assert.equal(await gm.textContent("#edit-stale-text"), 'HP changed on the table to "15" while you edited it; yours is "25".');
    assert.equal(await gm.inputValue("#edit-hp"), "25", "what the GM typed stays");
    assert.equal(await gm.inputValue("#edit-name"), "Ogre Chief");
    await gm.screenshot({ path: join(ARTIFACTS, "newplayer-gm-form-drift.png"), fullPage: true });

    // Keeping it and saving sets it, with the name, and the form is clean again.
    await gm.click("#edit-keep");
    await gm.click("#edit-save");
    await gm.waitForFunction(
      (id) => window.__tavern?.table.summary()?.actors.find((a) => a.id === id && a.hp === 25 && a.name === "Ogre Chief"),
      ogre,
    );
    await gm.waitForSelector("#edit-unsaved", { state: "hidden" });
    assert.equal(await gm.isVisible("#edit-stale"), false);
    assert.equal(await gm.inputValue("#edit-hp"), "25");
  });

  it("a table shows the table's state, no round controls or ready box, no version to players, and keeps the hidden box ticked", async () => {
    const { gm, player } = await tableWithPlayer();
    for (const [page, who] of [
      [gm, "the GM"],
      [player, "the player"],
    ] as const) {
      assert.equal(await page.textContent("#room-phase"), "no encounter", `${who}'s head says what the table does`);
      for (const control of ["#ready", "#start", "#finish", "#reset"]) {
        assert.equal(await page.locator(control).count(), 0, `${who} gets no ${control} at a table`);
      }
    }
    assert.equal(await gm.isVisible("#table-version"), true, "the GM sees the version");
    assert.equal(await player.locator("#table-version").count(), 0, "a player sees no version counter");
    assert.doesNotMatch((await player.textContent("#room-head"))!, /version/);

    // Two hidden monsters in a row: the box stays ticked after the first.
    const shade = await createActor(gm, "Shade", 8, true);
    assert.equal(await gm.isChecked("#ce-hidden"), true, "the hidden box kept its tick");
    await gm.fill("#ce-name", "Wraith");
    await gm.click("#create-entity button");
    await gm.waitForFunction(() => window.__tavern?.table.summary()?.actors.some((a) => a.name === "Wraith" && a.hidden));

    await gm.click("#enc-start");
    // Before the first turn the encounter is at its initiative; the first turn starts round 1.
    await player.waitForFunction(() => document.getElementById("room-phase")?.textContent === "encounter · initiative");
    await gm.selectOption("#enc-add-source", `actor:${shade}`);
    await gm.click("#enc-add");
    await gm.waitForFunction(() => window.__tavern?.table.summary()?.tracker.rows.length === 1);
    await gm.click("#enc-roll");
    await gm.waitForFunction(() => window.__tavern?.table.summary()?.tracker.rows.every((r) => r.initiative !== null));
    await gm.click("#enc-next");
    for (const page of [gm, player]) {
      await page.waitForFunction(() => document.getElementById("room-phase")?.textContent === "encounter · round 1");
    }
    await player.screenshot({ path: join(ARTIFACTS, "newplayer-table-player.png") });
  });

  it("the lobby's badge says 'not in a room'; notices are sentences over the page, news is not an error, and a success clears an error", async () => {
    const host = await openWindow(await browserProfile(), "host");
    const notice = async (page: Page) => ({
      text: await page.textContent("#notice"),
      kind: await page.getAttribute("#notice", "data-kind"),
      role: await page.getAttribute("#notice", "role"),
    });

    // A sign-in that never reaches the server says so in a sentence; the next one clears it.
    await host.route("**/api/auth/guest", (route) => route.abort("internetdisconnected"));
    await host.fill("#name", "Hana");
    await host.click("#signin button");
    await host.waitForSelector("#notice:not([hidden])");
    assert.deepEqual(await notice(host), { text: UNREACHABLE, kind: "error", role: "alert" });
    await host.unroute("**/api/auth/guest");
    await host.click("#signin button");
    await host.waitForSelector("#lobby-actions:not([hidden])");
    await host.waitForSelector("#notice", { state: "hidden" });

    // Signed in, in no room: not a red "disconnected".
    assert.equal(await host.textContent("#badge"), "not in a room");
    assert.doesNotMatch((await host.getAttribute("#badge", "class"))!, /disconnected/);
    await host.screenshot({ path: join(ARTIFACTS, "newplayer-lobby-badge.png") });

    await host.click("#create button");
    await host.waitForFunction(() => Boolean(window.__tavern?.code()) && window.__tavern?.sceneReady());
    assert.equal(await host.textContent("#badge"), "connected");
    const code = (await hook<string>(host, "code()"))!;
    const guest = await openWindow(await browserProfile(), "guest");
    const guestId = await signIn(guest, "Gus");
    await guest.fill("#join-code", code);
    await guest.click("#join button");
    await guest.waitForFunction((c) => window.__tavern?.code() === c, code);

    // A refused setting: a sentence, shown over the page without moving the map.
    const mapBefore = await host.locator("#game canvas").boundingBox();
    await host.fill("#cfg-max", "0");
    await host.click("#cfg-save");
    await host.waitForSelector("#notice:not([hidden])");
    const refused = await notice(host);
    assert.equal(refused.kind, "error");
    assert.match(refused.text!, /^Check your input: Max players must be at least 1\.$/);
    assert.deepEqual(await host.locator("#game canvas").boundingBox(), mapBefore, "the map did not move");
    await host.screenshot({ path: join(ARTIFACTS, "newplayer-notice-over-map.png") });

    // The next action that succeeds clears it.
    await host.fill("#cfg-max", "8");
    await host.click("#cfg-save");
    await host.waitForSelector("#notice", { state: "hidden" });

    // The host hands over the room and the new host starts it: news, told as such on the other page.
    await host.locator(`#players li[data-player-id="${guestId}"] button`, { hasText: "Make host" }).click();
    await guest.waitForSelector("#notice:not([hidden])");
    const news = await notice(guest);
    assert.equal(news.kind, "info");
    assert.equal(news.role, "status");
    assert.match(news.text!, /host/i);
    // Every player but the host must be ready before a start.
    await host.check("#ready");
    await guest.waitForFunction(() => document.querySelector("#players li")?.textContent?.includes("ready"));
    await guest.click("#start");
    await host.waitForFunction(() => /playing/.test(document.getElementById("notice")?.textContent ?? ""));
    assert.equal((await notice(host)).kind, "info", "a phase change is not an error");
  });
});
