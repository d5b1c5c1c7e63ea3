/**
 * Browser test of a table session: a GM page and two player pages in Chromium (the built test
 * client, window.__tavern) against a real server process. Everything is done through the UI
 * (forms, buttons, clicks on the map canvas); the hook is only read, to check what each page holds
 * and shows.
 */
import assert from "node:assert/strict";
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import type { RenderedToken } from "../src/scenes/TableScene";
import type { TableSummary } from "../src/testHook";
import { ARTIFACTS, hook, openSignedIn, serverAndBrowser } from "./chromium";

const DOCS_SCREENSHOT = join(process.cwd(), "docs", "screenshots", "table.png");
const MONSTER = "Grave Goblin";
/** Three pages render WebGL in software on a small machine: a lower frame rate leaves CPU for the rest. */
const FPS = "?fps=10";

describe("table session in Chromium: GM and two players run an encounter", function () {
  this.timeout(180_000);
  const rig = serverAndBrowser("tavern-table-browser-");

  const summary = async (page: Page): Promise<TableSummary> => (await hook<TableSummary | undefined>(page, "table.summary()"))!;
  const tokens = (page: Page): Promise<RenderedToken[]> => hook<RenderedToken[]>(page, "table.tokens()");

  /** Waits until `check` holds for the page's summary (evaluated in Node, polled). */
  async function until(page: Page, what: string, check: (s: TableSummary, t: RenderedToken[]) => boolean, timeout = 10_000): Promise<TableSummary> {
    const deadline = Date.now() + timeout;
    let last: TableSummary | undefined;
    while (Date.now() < deadline) {
      last = await hook<TableSummary | undefined>(page, "table.summary()");
      if (last && check(last, await tokens(page))) return last;
      await page.waitForTimeout(100);
    }
    throw new Error(`timed out waiting for ${what}; last summary: ${JSON.stringify(last?.tracker ?? last)}`);
  }

  async function clickCell(page: Page, x: number, y: number): Promise<void> {
    const canvas = page.locator("#game canvas");
    await canvas.scrollIntoViewIfNeeded(); // the panels below the map scroll it away
    const box = (await canvas.boundingBox())!;
    const at = await hook<{ x: number; y: number }>(page, `table.cellCenter(${x}, ${y})`);
    const scale = box.width / 960;
    await page.mouse.click(box.x + at.x * scale, box.y + at.y * scale);
  }

  /** Selects a token by clicking it on the map, and waits until the sheet shows it. */
  async function selectToken(page: Page, kind: "character" | "actor", id: string): Promise<void> {
    const token = (await tokens(page)).find((t) => t.kind === kind && t.id === id);
    assert.ok(token, `${kind} ${id} is on the map`);
    await clickCell(page, token.x, token.y);
    await page.waitForSelector(`#sheet[data-entity="${kind}:${id}"]`, { timeout: 5000 });
  }

  /** Nothing of the hidden monster on a player's page: not in state, not on the map, not in the DOM. */
  async function assertMonsterUnseen(page: Page, who: string): Promise<void> {
    const s = await summary(page);
    assert.equal(s.actors.length, 0, `${who} holds no actor`);
    assert.ok(!s.tracker.rows.some((r) => r.name === MONSTER), `${who}'s tracker has no ${MONSTER}`);
    assert.ok(!(await tokens(page)).some((t) => t.name.includes(MONSTER)), `${who}'s map has no ${MONSTER}`);
    assert.ok(!(await page.textContent("body"))!.includes(MONSTER), `${who}'s page text never names ${MONSTER}`);
  }

  const round = (page: Page) => page.getAttribute("#init-round", "data-round");

  it("creates, moves, hides, runs a full round, defeats, reveals and ends, with every page in agreement", async () => {
    const started = Date.now();

    // ----- the GM creates a dnd5e-lite table; two players join by code ---------------------
    const gm = await openSignedIn(rig.browser, rig.server.url, "Gemma", FPS);
    await gm.selectOption("#create-type", "table");
    assert.equal(await gm.isVisible("#create-title"), true, "table fields shown for the table type");
    await gm.fill("#create-title", "Crypt of Ash");
    await gm.selectOption("#create-plugin", "dnd5e-lite");
    await gm.click("#create button");
    await gm.waitForFunction(() => window.__tavern?.table.summary()?.gm === true && window.__tavern.sceneReady());
    const code = (await hook<string>(gm, "code()"))!;
    assert.equal(await hook<string>(gm, "roomType()"), "table");
    assert.equal((await summary(gm)).pluginId, "dnd5e-lite");
    assert.equal(await gm.isVisible("#gm-panel"), true);

    const players: Page[] = [];
    const ids: string[] = [];
    for (const name of ["Ana", "Bo"]) {
      const page = await openSignedIn(rig.browser, rig.server.url, name, FPS);
      await page.fill("#join-code", code.toLowerCase());
      await page.click("#join button");
      await page.waitForFunction(() => window.__tavern?.roomType() === "table" && window.__tavern.table.summary() && window.__tavern.sceneReady());
      assert.equal(await page.isVisible("#gm-panel"), false, `${name} gets no GM panel`);
      players.push(page);
      ids.push((await hook<string>(page, "playerId()"))!);
    }
    const [ana, bo] = players as [Page, Page];
    const [anaId, boId] = ids as [string, string];
    const everyone = [gm, ana, bo];

    // ----- the GM creates two characters owned by the players, and a hidden monster ----------
    async function createEntity(fields: { collection: string; name: string; owner?: string; hp: number; hidden?: boolean }) {
      await gm.selectOption("#ce-collection", fields.collection);
      await gm.fill("#ce-name", fields.name);
      if (fields.owner) {
        await gm.waitForSelector(`#ce-owner option[value="${fields.owner}"]`, { state: "attached" });
        await gm.selectOption("#ce-owner", fields.owner);
      }
      await gm.fill("#ce-hp", String(fields.hp));
      if (fields.hidden !== undefined) await gm.setChecked("#ce-hidden", fields.hidden);
      await gm.click("#create-entity button");
      await gm.waitForFunction((n) => (document.getElementById("ce-name") as HTMLInputElement).value === "" && n, fields.name);
    }
    await createEntity({ collection: "characters", name: "Aria", owner: anaId, hp: 12 });
    await createEntity({ collection: "characters", name: "Brom", owner: boId, hp: 14 });
    await createEntity({ collection: "actors", name: MONSTER, hp: 9, hidden: true });
    const created = await until(gm, "three tokens on the GM's map", (s, t) => s.characters.length === 2 && s.actors.length === 1 && t.length === 3);
    const aria = created.characters.find((c) => c.name === "Aria")!;
    const brom = created.characters.find((c) => c.name === "Brom")!;
    const monster = created.actors[0]!;
    assert.equal(aria.ownerId, anaId);
    assert.equal(brom.ownerId, boId);
    assert.equal(monster.hidden, true);
    for (const [page, who] of [[ana, "Ana"], [bo, "Bo"]] as const) {
      await until(page, `${who} sees both characters`, (s, t) => s.characters.length === 2 && t.length === 2);
      await assertMonsterUnseen(page, who);
    }
    assert.match((await ana.textContent("#table-role"))!, /you play Aria/);

    // ----- the GM edits the monster's sheet through the update queue --------------------------
    await selectToken(gm, "actor", monster.id);
    await gm.fill("#edit-plugin-ac", "13");
    await gm.fill("#edit-plugin-abilities-dex", "14");
    await gm.click("#edit-save");
    await gm.waitForFunction(() => document.querySelector('#sheet dd[data-field="ac"]')?.textContent === "13");
    assert.equal(await gm.textContent('#sheet td[data-ability="dex"]'), "14 (+2)", "ability modifier shown");
    const queue = await hook<{ sent: number; failed: number; pending: number }>(gm, "table.queue()");
    assert.ok(queue.sent >= 1 && queue.failed === 0 && queue.pending === 0, JSON.stringify(queue));

    // ----- a player moves their own token by clicking it and then a cell ---------------------
    await selectToken(ana, "character", aria.id);
    assert.match((await ana.textContent("#table-hint"))!, /click a cell to move it/);
    await clickCell(ana, 6, 4);
    for (const page of everyone) {
      await until(page, "Aria on (6, 4) everywhere", (s, t) => {
        const token = t.find((k) => k.id === aria.id);
        return token?.x === 6 && token.y === 4;
      });
    }
    // Bo may select Aria to read her sheet, but a click on a cell does not move her.
    await selectToken(bo, "character", aria.id);
    assert.doesNotMatch((await bo.textContent("#table-hint"))!, /move/);
    await clickCell(bo, 9, 9);
    await bo.waitForTimeout(300);
    assert.equal((await summary(gm)).characters.find((c) => c.id === aria.id)?.x, 6, "Bo could not move Aria");

    // ----- a dice roll lands in every page's log ----------------------------------------------
    await ana.fill("#dice-expr", "1d20+3");
    await ana.fill("#dice-label", "attack");
    await ana.click("#dice-form button");
    for (const page of everyone) await page.waitForFunction(() => /Ana \(attack\): 1d20\+3 = \d+/.test(document.getElementById("roll-log")?.textContent ?? ""));

    // ----- the GM starts an encounter and adds the monster hidden ------------------------------
    await gm.click("#enc-start");
    await until(gm, "both characters in the encounter", (s) => s.tracker.active && s.tracker.rows.length === 2);
    await gm.selectOption("#enc-add-source", `actor:${monster.id}`);
    await gm.check("#enc-add-hidden");
    await gm.click("#enc-add");
    const withMonster = await until(gm, "the monster in the GM's tracker", (s) => s.tracker.rows.length === 3);
    const monsterRow = withMonster.tracker.rows.find((r) => r.name === MONSTER)!;
    assert.equal(monsterRow.hidden, true);
    assert.equal(await gm.isVisible(`#init-order li[data-combatant-id="${monsterRow.id}"] .tag.hidden`), true, "marked hidden for the GM");
    await gm.waitForFunction((n) => window.__tavern?.table.gmNotes().some((t) => t.includes(n)), MONSTER);
    for (const [page, who] of [[ana, "Ana"], [bo, "Bo"]] as const) {
      await until(page, `${who}'s tracker has the two characters`, (s) => s.tracker.active && s.tracker.rows.length === 2);
      await assertMonsterUnseen(page, who);
    }

    // ----- a player reloads: same seat, same view, still no monster -------------------------
    await bo.reload();
    await bo.waitForFunction(() => window.__tavern?.roomType() === "table" && window.__tavern.sceneReady() && window.__tavern.table.summary());
    assert.equal(await hook<string>(bo, "playerId()"), boId, "Bo is back in his own seat");
    await until(bo, "Bo's view restored", (s, t) => s.tracker.rows.length === 2 && t.length === 2);
    await assertMonsterUnseen(bo, "Bo after reload");

    // ----- initiative, then a full round: the round counter reaches 2 on every page ----------
    await gm.click("#enc-roll");
    await until(gm, "everyone rolled", (s) => s.tracker.rows.every((r) => r.initiative !== null));
    const order = (await summary(gm)).tracker.rows.map((r) => r.id);
    for (let turn = 0; turn < order.length; turn++) {
      await gm.click("#enc-next");
      const s = await until(gm, `turn ${turn + 1} of round 1`, (x) => x.tracker.round === 1 && x.tracker.rows[turn]?.current === true);
      assert.equal(s.tracker.rows.filter((r) => r.current).length, 1);
      // Players see whose turn it is, except the hidden monster's.
      const expectedForPlayers = order[turn] === monsterRow.id ? undefined : order[turn];
      await until(ana, "Ana's tracker follows the turn", (x) => x.tracker.rows.find((r) => r.current)?.id === expectedForPlayers);
    }
    await gm.click("#enc-next");
    for (const page of everyone) {
      await page.waitForFunction(() => document.getElementById("init-round")?.dataset["round"] === "2");
      assert.equal(await round(page), "2");
      assert.equal(await page.textContent("#init-round"), "Round 2");
    }
    for (const [page, who] of [[ana, "Ana"], [bo, "Bo"]] as const) await assertMonsterUnseen(page, who);

    // The map highlights the current turn's token (the same combatant as the tracker's first row).
    const currentRow = (await summary(gm)).tracker.rows.find((r) => r.current)!;
    const currentTokens = (await tokens(gm)).filter((t) => t.current);
    assert.deepEqual(currentTokens.map((t) => t.name), [currentRow.name], "the current turn's token is highlighted");

    // ----- a player's attempt at a GM action shows the permission error ----------------------
    const versionBefore = (await summary(gm)).version;
    await bo.evaluate(() => (document.getElementById("gm-panel")!.hidden = false)); // a tampered page
    await bo.click("#enc-next");
    await bo.waitForFunction(() => /Not allowed: Only the GM/.test(document.getElementById("notice")?.textContent ?? ""));
    assert.equal(await bo.isVisible("#notice"), true);
    await bo.evaluate(() => (document.getElementById("gm-panel")!.hidden = true));
    assert.equal((await summary(gm)).version, versionBefore, "the refused request changed nothing");

    // ----- the GM selects the monster (screenshot), damages it to defeat, and it is skipped ---
    await selectToken(gm, "actor", monster.id);
    await gm.waitForTimeout(400); // let tweens settle for the picture
    await gm.screenshot({ path: join(ARTIFACTS, "table-gm.png"), fullPage: true });
    await ana.screenshot({ path: join(ARTIFACTS, "table-player-ana.png"), fullPage: true });
    copyFileSync(join(ARTIFACTS, "table-gm.png"), DOCS_SCREENSHOT);

    await gm.fill("#hp-amount", "9");
    await gm.click("#act-damage");
    await until(gm, "the monster defeated", (s, t) => s.tracker.rows.find((r) => r.id === monsterRow.id)?.defeated === true && t.some((k) => k.id === monster.id && k.defeated));
    const acting = order.filter((id) => id !== monsterRow.id);
    const turnsSeen: string[] = [];
    for (let i = 0; i < acting.length * 2; i++) {
      const before = (await summary(gm)).version;
      await gm.click("#enc-next");
      const s = await until(gm, "the next turn", (x) => x.version > before);
      const current = s.tracker.rows.find((r) => r.current)!.id;
      assert.notEqual(current, monsterRow.id, "a defeated combatant is skipped");
      turnsSeen.push(current);
    }
    assert.deepEqual(new Set(turnsSeen), new Set(acting), "both characters still get their turns");
    for (const [page, who] of [[ana, "Ana"], [bo, "Bo"]] as const) await assertMonsterUnseen(page, who);

    // ----- the GM reveals the monster: now players see it, defeated -------------------------
    await gm.click(`#init-order li[data-combatant-id="${monsterRow.id}"] button[data-action="reveal"]`);
    for (const page of [ana, bo]) {
      await until(page, "the revealed monster", (s, t) => {
        const row = s.tracker.rows.find((r) => r.id === monsterRow.id);
        return row?.defeated === true && row.hidden === false && t.some((k) => k.id === monster.id && k.defeated && !k.hidden);
      });
      assert.equal(await page.isVisible(`#init-order li[data-combatant-id="${monsterRow.id}"].defeated`), true);
    }
    await gm.waitForTimeout(300);
    await bo.screenshot({ path: join(ARTIFACTS, "table-player-bo-revealed.png"), fullPage: true });

    // ----- the GM ends the encounter --------------------------------------------------------
    await gm.click("#enc-end");
    for (const page of everyone) {
      await until(page, "no encounter", (s) => !s.tracker.active && s.tracker.rows.length === 0);
      assert.equal(await page.textContent("#init-round"), "no encounter");
    }

    // ----- the server restarts: every page comes back to the same session ---------------------
    const beforeRestart = (await summary(gm)).version;
    await rig.server.kill();
    for (const page of everyone) await page.waitForFunction(() => window.__tavern?.status() === "reconnecting", undefined, { timeout: 10_000 });
    await rig.server.restart();
    for (const page of everyone) {
      await page.waitForFunction(() => window.__tavern?.status() === "connected", undefined, { timeout: 60_000 });
      const s = await until(page, "the session back", (x) => x.version === beforeRestart && x.characters.length === 2, 20_000);
      assert.equal(await hook<string>(page, "code()"), code, "same room code");
      assert.equal(s.title, "Crypt of Ash");
    }
    assert.equal((await summary(gm)).gm, true, "the GM is still the GM");
    assert.equal((await summary(gm)).actors.length, 1);

    // ----- every page's integrity check agrees with the server ------------------------------
    const gmVersion = (await summary(gm)).version;
    for (const page of everyone) {
      const s = await until(page, "caught up", (x) => x.version === gmVersion);
      assert.ok(s.integrity && s.integrity.actual === s.integrity.expected, `hash agrees: ${JSON.stringify(s.integrity)}`);
      assert.equal(await hook<boolean>(page, "checkIntegrity()"), true);
      assert.equal(await hook<number>(page, "resyncs()"), 0);
    }
    const hashes = await Promise.all(everyone.map(async (p) => (await summary(p)).integrity!));
    assert.equal(hashes[1]!.expected, hashes[2]!.expected, "players hold the same public document");

    // A page whose decoded state went wrong notices and resyncs (joins again, fresh state).
    await ana.evaluate(() => window.__tavern!.table.tamper());
    assert.equal(await hook<boolean>(ana, "checkIntegrity()"), false, "the mismatch is caught");
    const resynced = await until(ana, "Ana resynced", (s) => s.title === "Crypt of Ash" && s.integrity?.actual === s.integrity?.expected);
    assert.equal(resynced.version, gmVersion);
    assert.equal(await hook<number>(ana, "resyncs()"), 1);
    assert.equal(await hook<string>(ana, "status()"), "connected");
    assert.equal(await hook<string>(ana, "playerId()"), anaId);
    assert.equal(await hook<boolean>(ana, "checkIntegrity()"), true);

    await gm.screenshot({ path: join(ARTIFACTS, "table-gm-end.png"), fullPage: true });
    console.log(`      table session test ran in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
});
