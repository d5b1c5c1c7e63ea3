/**
 * The shared space as players see it: characters picked at sign-in (or given, distinct), spread
 * spawns, walk animations while moving and a standing frame after, a long diagonal walk and
 * click-to-move with no resync, and the page's layout (800 px windows, long chat lines, button
 * spacing). Writes the README's screenshots.
 */
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { CHARACTERS } from "@tavern/shared/characters";
import { AVATAR_RADIUS, SPACE_MAP, isFree } from "@tavern/shared/spaceMap";
import type { RenderedAvatar } from "../src/testHook";
import { hook, serverAndBrowser } from "./chromium";

const DOCS = join(process.cwd(), "docs", "screenshots");
/** Software WebGL on few shared cores: cap every page's frame rate. */
const FPS = "?fps=20";

/** What any page threw or logged as an error; the walking test asserts there is none. */
const pageErrors: string[] = [];

async function signInAs(browser: Browser, url: string, name: string, options: { width?: number; character?: string } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: options.width ?? 1300, height: options.width ? 1000 : 760 } });
  const page = await context.newPage();
  page.on("pageerror", (err) => {
    console.error(`[${name}] page error:`, err.message);
    pageErrors.push(`[${name}] ${err.message}`);
  });
  // The schema's callbacks catch what a listener throws and log it: an error there is a defect too.
  page.on("console", (msg) => {
    if (msg.type() === "error") pageErrors.push(`[${name}] console: ${msg.text()}`);
  });
  await page.goto(`${url}/${FPS}`);
  await page.fill("#name", name);
  if (options.character) await page.click(`.character-choice:has(input[data-character="${options.character}"])`);
  await page.click("#signin button[type=submit]");
  await page.waitForSelector("#lobby-actions:not([hidden])");
  return page;
}

const avatars = (page: Page) => hook<RenderedAvatar[]>(page, "avatars()");
const byId = async (page: Page, id: string) => (await avatars(page)).find((a) => a.id === id);

async function joinRoom(page: Page, code: string): Promise<string> {
  await page.fill("#join-code", code);
  await page.click("#join button");
  await page.waitForFunction(() => Boolean(window.__tavern?.code()) && window.__tavern?.sceneReady());
  return (await hook<string>(page, "playerId()"))!;
}

async function waitForCount(page: Page, n: number): Promise<void> {
  await page.waitForFunction((count) => (window.__tavern?.avatars() ?? []).length === count, n, { timeout: 15_000 });
}

/** Page pixel of a map point, through the canvas as it is scaled now. */
async function pagePoint(page: Page, x: number, y: number): Promise<{ x: number; y: number }> {
  const box = (await page.locator("#game canvas").boundingBox())!;
  return { x: box.x + (x / SPACE_MAP.width) * box.width, y: box.y + (y / SPACE_MAP.height) * box.height };
}

/** Horizontal gaps between buttons side by side on one line, under `root`. */
function buttonGaps(page: Page, root: string): Promise<{ between: string; gap: number }[]> {
  return page.evaluate((selector) => {
    const gaps: { between: string; gap: number }[] = [];
    const buttons = Array.from(document.querySelectorAll<HTMLButtonElement>(`${selector} button`)).filter((b) => b.offsetParent !== null);
    for (const a of buttons)
      for (const b of buttons) {
        const ra = a.getBoundingClientRect();
        const rb = b.getBoundingClientRect();
        const sameLine = Math.abs(ra.top + ra.height / 2 - (rb.top + rb.height / 2)) < 4;
        const gap = rb.left - ra.right;
        // The next button to the right on the same line, close enough to read as one group.
        if (a !== b && sameLine && gap > -1 && gap < 40)
          gaps.push({ between: `${a.textContent} | ${b.textContent}`, gap: Math.round(gap) });
      }
    return gaps;
  }, root);
}

/** A point 3 to 7 tiles from `from` that a straight walk reaches (no wall or prop on the way). */
function reachable(from: { x: number; y: number }): { x: number; y: number } {
  for (const [dx, dy] of [
    [-192, 128],
    [0, 192],
    [-192, 0],
    [192, 128],
    [-192, -128],
    [192, -128],
    [0, -192],
    [-96, 64],
    [96, 64],
    [-96, -64],
    [96, -64],
    [0, 96],
    [0, -96],
    [-128, 0],
    [128, 0],
  ] as const) {
    const to = { x: from.x + dx, y: from.y + dy };
    let clear = true;
    for (let t = 0; t <= 1 && clear; t += 0.02) clear = isFree(SPACE_MAP, from.x + dx * t, from.y + dy * t, AVATAR_RADIUS + 1);
    if (clear) return to;
  }
  throw new Error(`nothing reachable in a straight line from (${from.x}, ${from.y})`);
}

/** Starts recording, in the page, every animation or frame each avatar shows (sampled often). */
function watchShowing(page: Page): Promise<void> {
  return page.evaluate(() => {
    const seen = new Set<string>();
    (window as unknown as { __showing: Set<string> }).__showing = seen;
    setInterval(() => {
      for (const a of window.__tavern?.avatars() ?? []) seen.add(`${a.name}:${a.showing}`);
    }, 25);
  });
}

const xy = (p: { x: number; y: number }): [number, number] => [p.x, p.y];

/** The farthest point (up to 14 tiles) a straight walk from `from` reaches. */
function farthestReachable(from: { x: number; y: number }): { x: number; y: number } {
  let best = from;
  let bestLength = 0;
  for (let degrees = 0; degrees < 360; degrees += 15) {
    const dx = Math.cos((degrees * Math.PI) / 180);
    const dy = Math.sin((degrees * Math.PI) / 180);
    let length = 0;
    while (length < 448 && isFree(SPACE_MAP, from.x + dx * (length + 4), from.y + dy * (length + 4), AVATAR_RADIUS + 1)) length += 4;
    if (length > bestLength) {
      bestLength = length;
      best = { x: Math.round(from.x + dx * length), y: Math.round(from.y + dy * length) };
    }
  }
  return best;
}

describe("the space as players see it", function () {
  this.timeout(150_000);
  const rig = serverAndBrowser("tavern-space-look-");
  before(() => mkdirSync(DOCS, { recursive: true }));

  it("three players with distinct characters walk (animated), stop, click to move, with no resync; the page fits 800 px", async () => {
    const url = rig.server.url;

    // The sign-in shows every character to pick.
    const alice = await signInAs(rig.browser, url, "Alice", { character: "bard" });
    const bruno = await signInAs(rig.browser, url, "Bruno");
    const picker = await rig.browser.newPage({ viewport: { width: 1300, height: 760 } });
    await picker.goto(`${url}/${FPS}`);
    assert.equal(await picker.locator(".character-choice").count(), CHARACTERS.length + 1, "every character and Any");
    await picker.fill("#name", "Dana");
    await picker.click('.character-choice:has(input[data-character="knight"])');
    await picker.screenshot({ path: join(DOCS, "signin.png") });
    await picker.close();

    await alice.click("#create button");
    await alice.waitForFunction(() => Boolean(window.__tavern?.code()) && window.__tavern?.sceneReady());
    const code = (await hook<string>(alice, "code()"))!;
    const aliceId = (await hook<string>(alice, "playerId()"))!;
    // Bruno's lobby lists Alice's public room: the README's lobby picture.
    await bruno.waitForSelector("#room-list li", { timeout: 10_000 });
    await bruno.screenshot({ path: join(DOCS, "lobby.png") });
    const brunoId = await joinRoom(bruno, code);
    const chen = await signInAs(rig.browser, url, "Chen");
    const chenId = await joinRoom(chen, code);
    const pages = [alice, bruno, chen];
    for (const page of pages) await waitForCount(page, 3);

    // Characters: Alice's pick; the others got ones nobody else has.
    const shown = await avatars(bruno);
    const characterOf = (id: string) => shown.find((a) => a.id === id)!.character;
    assert.equal(CHARACTERS[characterOf(aliceId)]!.id, "bard");
    assert.equal(new Set(shown.map((a) => a.character)).size, 3, `distinct characters ${shown.map((a) => a.character)}`);
    // Spawns are spread: no two avatars on top of each other.
    for (const a of shown)
      for (const b of shown)
        if (a !== b)
          assert.ok(Math.hypot(a.x - b.x, a.y - b.y) >= 64, `${a.name} and ${b.name} spawned ${Math.hypot(a.x - b.x, a.y - b.y)} px apart`);
    // Standing still: the standing frame of each one's own character.
    for (const a of shown) assert.equal(a.walking, false);
    assert.match(shown.find((a) => a.id === aliceId)!.showing, /^bard-\w+-0$/);

    // Chen clicks somewhere he can walk to in a straight line; then Alice holds two arrow keys (a
    // diagonal) and Bruno the opposite pair, for seconds.
    for (const page of pages) await watchShowing(page);
    const start = (await byId(chen, aliceId))!;
    const chenStart = (await byId(chen, chenId))!;
    const target = farthestReachable(chenStart); // a long walk: seconds to see it on every page
    const click = await pagePoint(chen, target.x, target.y);
    await chen.mouse.click(click.x, click.y);
    await alice.keyboard.down("ArrowRight");
    await alice.keyboard.down("ArrowDown");
    await bruno.keyboard.down("ArrowLeft");
    await bruno.keyboard.down("ArrowUp");

    assert.equal(await hook<boolean>(alice, "checkIntegrity()"), true, "the hash agrees mid-walk");

    await alice.waitForTimeout(3500);
    for (const page of pages)
      assert.equal(await hook<boolean>(page, "checkIntegrity()"), true, "the hash agrees after seconds of diagonal walking");
    await alice.keyboard.up("ArrowRight");
    await alice.keyboard.up("ArrowDown");
    await bruno.keyboard.up("ArrowLeft");
    await bruno.keyboard.up("ArrowUp");

    // Alice went down and right; Chen reached his click; everyone stands again.
    await chen
      .waitForFunction(
        ([id, x, y]) => {
          const a = window.__tavern?.avatars().find((v) => v.id === id);
          // The server stops a click-to-move within one tick's step (8 px) of the point.
          return a !== undefined && Math.hypot(a.x - x, a.y - y) <= 10 && !a.walking;
        },
        [chenId, target.x, target.y] as const,
        { timeout: 10_000 },
      )
      .catch(async (err: unknown) => {
        console.error("Chen from", chenStart, "to", target, "is at", await byId(chen, chenId));
        throw err;
      });
    const end = (await byId(chen, aliceId))!;
    assert.ok(end.x > start.x + 40 || end.y > start.y + 40, `Alice moved from (${start.x},${start.y}) to (${end.x},${end.y})`);
    for (const page of pages)
      await page.waitForFunction(() => (window.__tavern?.avatars() ?? []).every((a) => !a.walking), undefined, { timeout: 5000 });
    // Every page played each walker's animation (their character, the way they went).
    for (const page of pages) {
      const seen = await page.evaluate(() => Array.from((window as unknown as { __showing: Set<string> }).__showing));
      assert.ok(
        seen.some((s) => /^Alice:bard-walk-(right|down)$/.test(s)),
        `Alice walked: ${seen}`,
      );
      assert.ok(
        seen.some((s) => /^Bruno:\w+-walk-(left|up)$/.test(s)),
        `Bruno walked: ${seen}`,
      );
      assert.ok(
        seen.some((s) => /^Chen:\w+-walk-/.test(s)),
        `Chen walked: ${seen}`,
      );
    }
    const still = (await byId(bruno, aliceId))!;
    assert.match(still.showing, /^bard-(right|down)-0$/, "standing frame, facing the last way she walked");

    assert.deepEqual(pageErrors, [], "no page threw or logged an error while the late joiners walked");
    // No resync, no rejoin, no dropped link, the same seat on every page.
    for (const [page, id] of [
      [alice, aliceId],
      [bruno, brunoId],
      [chen, chenId],
    ] as const) {
      // Checks run every 10 s: a quick run reaches this line before a page's second one.
      await page.waitForFunction(() => (window.__tavern?.integrityChecks() ?? 0) >= 2, undefined, { timeout: 25_000 });
      assert.equal(await hook<number>(page, "resyncs()"), 0, "no resync");
      assert.equal(await hook<number>(page, "roomEntries()"), 1, "entered the room once: never rejoined");
      assert.equal(await hook<number>(page, "drops()"), 0, "never reconnecting");
      assert.equal(await hook<string>(page, "playerId()"), id, "same player");
      assert.equal(await hook<string>(page, "status()"), "connected");
      assert.equal((await avatars(page)).length, 3);
    }

    // The README's picture: all three walking to far points at once (clicks), caught mid-walk.
    const walkers = [alice, bruno, chen];
    const clicks = await Promise.all(
      (
        [
          [alice, aliceId],
          [bruno, brunoId],
          [chen, chenId],
        ] as const
      ).map(async ([page, id]) => ({ page, at: await pagePoint(page, ...xy(farthestReachable((await byId(page, id))!))) })),
    );
    await Promise.all(clicks.map(({ page, at }) => page.mouse.click(at.x, at.y)));
    // The picture is wanted with everyone walking; a loaded machine may miss that moment, which
    // is worth a warning, not a failure (the walking itself is asserted above).
    await alice
      .waitForFunction(() => (window.__tavern?.avatars() ?? []).filter((a) => a.walking).length === 3, undefined, {
        timeout: 5000,
        polling: 25,
      })
      .catch(() => console.warn("space.png: not all three were walking when it was taken"));
    await alice.screenshot({ path: join(DOCS, "space.png") });
    for (const page of walkers)
      await page.waitForFunction(() => (window.__tavern?.avatars() ?? []).every((a) => !a.walking), undefined, { timeout: 15_000 });
    for (const page of walkers) assert.equal(await hook<number>(page, "resyncs()"), 0, "still no resync");

    // Buttons side by side are spaced alike: the host's player list and controls, the chat form.
    const gaps = await buttonGaps(alice, "#room");
    // Layout defects are collected, not thrown one by one, so a failure lists all of them.
    const defects: string[] = [];
    const expect = (ok: boolean, what: string) => {
      if (!ok) defects.push(what);
    };
    expect(gaps.length >= 4, `found only ${gaps.length} button pairs`);
    for (const g of gaps) expect(g.gap >= 6 && g.gap <= 10, `buttons ${g.between} are ${g.gap} px apart`);

    // A long chat line, and one long word, wrap inside the panel.
    await alice.fill("#chat-text", `${"Pneumonoultramicroscopicsilicovolcanoconiosis".repeat(5)} and then ${"many words ".repeat(30)}`);
    await alice.click("#chat-form button");

    // An 800 px window: nothing off-screen, the map scaled to fit, the panels under it.
    const narrow = await signInAs(rig.browser, url, "Dee", { width: 800 });
    await joinRoom(narrow, code);
    await waitForCount(narrow, 4);
    await narrow.waitForFunction(() => document.querySelectorAll("#chat li").length > 0);
    // The canvas is sized to its slot at the next frames after the room screen appears.
    await narrow
      .waitForFunction(() => (document.querySelector("#game canvas")?.getBoundingClientRect().width ?? 0) > 0, undefined, { timeout: 5000 })
      .catch(() => undefined); // measured below either way
    const layout = await narrow.evaluate(() => {
      const canvas = document.querySelector("#game canvas")!.getBoundingClientRect();
      const aside = document.querySelector("#room > aside")!.getBoundingClientRect();
      const lines = Array.from(document.querySelectorAll<HTMLElement>("#chat li"));
      return {
        scrollWidth: document.documentElement.scrollWidth,
        canvas: { left: canvas.left, right: canvas.right, width: canvas.width, height: canvas.height, bottom: canvas.bottom },
        aside: { left: aside.left, right: aside.right, top: aside.top },
        overflowing: lines.filter((li) => li.scrollWidth > li.clientWidth + 1).length,
      };
    });
    expect(layout.scrollWidth <= 800, `at 800 px the page is ${layout.scrollWidth} px wide`);
    expect(
      layout.canvas.left >= 0 && layout.canvas.right <= 800,
      `at 800 px the canvas spans ${layout.canvas.left}..${layout.canvas.right}`,
    );
    expect(layout.canvas.width >= 700, `at 800 px the map is only ${layout.canvas.width} px wide`);
    expect(Math.abs(layout.canvas.width / layout.canvas.height - 1.5) < 0.02, "the map lost its aspect");
    expect(
      layout.aside.top >= layout.canvas.bottom - 1 && layout.aside.right <= 800,
      "at 800 px the panels are not under the map, on screen",
    );
    expect(layout.overflowing === 0, `at 800 px ${layout.overflowing} chat lines overflow`);
    const wide = await alice.evaluate(
      () => Array.from(document.querySelectorAll<HTMLElement>("#chat li")).filter((li) => li.scrollWidth > li.clientWidth + 1).length,
    );
    expect(wide === 0, `in the wide layout ${wide} chat lines overflow`);
    assert.deepEqual(defects, [], "layout defects");

    // Input still lands where it is clicked on the scaled canvas.
    const deeId = (await hook<string>(narrow, "playerId()"))!;
    const dee = (await byId(narrow, deeId))!;
    const goal = reachable(dee);
    const at = await pagePoint(narrow, goal.x, goal.y);
    await narrow.mouse.click(at.x, at.y);
    await narrow.waitForFunction(
      ([id, x, y]) => {
        const a = window.__tavern?.avatars().find((v) => v.id === id);
        return a !== undefined && Math.hypot(a.x - x, a.y - y) <= 10;
      },
      [deeId, goal.x, goal.y] as const,
      { timeout: 10_000 },
    );
    await narrow.screenshot({ path: join(DOCS, "space-800.png"), fullPage: true });
  });
});
