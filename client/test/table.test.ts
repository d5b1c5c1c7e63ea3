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
  async function until(
    page: Page,
    what: string,
    check: (s: TableSummary, t: RenderedToken[]) => boolean,
    timeout = 10_000,
  ): Promise<TableSummary> {
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

  /** Each test's pages, closed after it so that the next one does not share the CPU with them. */
  const pages: Page[] = [];
  afterEach(async () => {
    await Promise.all(pages.splice(0).map((p) => p.context().close()));
  });
  const open = async (name: string): Promise<Page> => {
    const page = await openSignedIn(rig.browser, rig.server.url, name, FPS);
    pages.push(page);
    return page;
  };

  /** A GM page that created a table through the lobby form, and the table's code. */
  async function createTable(name: string, title: string, plugin: string): Promise<{ gm: Page; code: string }> {
    const gm = await open(name);
    await gm.selectOption("#create-type", "table");
    assert.equal(await gm.isVisible("#create-title"), true, "table fields shown for the table type");
    await gm.fill("#create-title", title);
    await gm.selectOption("#create-plugin", plugin);
    await gm.click("#create button");
    await gm.waitForFunction(() => window.__tavern?.table.summary()?.gm === true && window.__tavern.sceneReady());
    return { gm, code: (await hook<string>(gm, "code()"))! };
  }

  /** A player page that joined the table by its code; it gets no GM panel. */
  async function joinTable(name: string, code: string): Promise<{ page: Page; id: string }> {
    const page = await open(name);
    await page.fill("#join-code", code.toLowerCase());
    await page.click("#join button");
    await page.waitForFunction(
      () => window.__tavern?.roomType() === "table" && window.__tavern.table.summary() && window.__tavern.sceneReady(),
    );
    assert.equal(await page.isVisible("#gm-panel"), false, `${name} gets no GM panel`);
    return { page, id: (await hook<string>(page, "playerId()"))! };
  }

  interface NewEntity {
    collection: "characters" | "actors" | "items";
    name: string;
    owner?: string;
    holder?: string;
    hp?: number;
    hidden?: boolean;
  }
  /** Creates an entity through the GM's create form and waits until the form took it. */
  async function createEntity(gm: Page, fields: NewEntity): Promise<void> {
    await gm.selectOption("#ce-collection", fields.collection);
    await gm.fill("#ce-name", fields.name);
    for (const [select, value] of [
      ["#ce-owner", fields.owner],
      ["#ce-holder", fields.holder],
    ] as const) {
      if (value === undefined) continue; // the form keeps its last choice: "" picks nobody
      await gm.waitForSelector(`${select} option[value="${value}"]`, { state: "attached" });
      await gm.selectOption(select, value);
    }
    if (fields.hp !== undefined) await gm.fill("#ce-hp", String(fields.hp));
    if (fields.hidden !== undefined) await gm.setChecked("#ce-hidden", fields.hidden);
    await gm.click("#create-entity button");
    await gm.waitForFunction(() => (document.getElementById("ce-name") as HTMLInputElement).value === "");
  }

  it("creates, moves, hides, runs a full round, defeats, reveals and ends, with every page in agreement", async () => {
    const started = Date.now();

    // ----- the GM creates a dnd5e-lite table; two players join by code ---------------------
    const { gm, code } = await createTable("Gemma", "Crypt of Ash", "dnd5e-lite");
    assert.equal(await hook<string>(gm, "roomType()"), "table");
    assert.equal((await summary(gm)).pluginId, "dnd5e-lite");
    assert.equal(await gm.isVisible("#gm-panel"), true);

    const { page: ana, id: anaId } = await joinTable("Ana", code);
    const { page: bo, id: boId } = await joinTable("Bo", code);
    const everyone = [gm, ana, bo];

    // ----- the GM creates two characters owned by the players, and a hidden monster ----------
    await createEntity(gm, { collection: "characters", name: "Aria", owner: anaId, hp: 12 });
    await createEntity(gm, { collection: "characters", name: "Brom", owner: boId, hp: 14 });
    await createEntity(gm, { collection: "actors", name: MONSTER, hp: 9, hidden: true });
    const created = await until(
      gm,
      "three tokens on the GM's map",
      (s, t) => s.characters.length === 2 && s.actors.length === 1 && t.length === 3,
    );
    const aria = created.characters.find((c) => c.name === "Aria")!;
    const brom = created.characters.find((c) => c.name === "Brom")!;
    const monster = created.actors[0]!;
    assert.equal(aria.ownerId, anaId);
    assert.equal(brom.ownerId, boId);
    assert.equal(monster.hidden, true);
    for (const [page, who] of [
      [ana, "Ana"],
      [bo, "Bo"],
    ] as const) {
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
    for (const page of everyone)
      await page.waitForFunction(() => /Ana \(attack\): 1d20\+3 = \d+/.test(document.getElementById("roll-log")?.textContent ?? ""));

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
    for (const [page, who] of [
      [ana, "Ana"],
      [bo, "Bo"],
    ] as const) {
      await until(page, `${who}'s tracker has the two characters`, (s) => s.tracker.active && s.tracker.rows.length === 2);
      await assertMonsterUnseen(page, who);
    }

    // ----- a player reloads: same seat, same view, still no monster -------------------------
    await bo.reload();
    await bo.waitForFunction(
      () => window.__tavern?.roomType() === "table" && window.__tavern.sceneReady() && window.__tavern.table.summary(),
    );
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
    for (const [page, who] of [
      [ana, "Ana"],
      [bo, "Bo"],
    ] as const)
      await assertMonsterUnseen(page, who);

    // The map highlights the current turn's token (the same combatant as the tracker's first row).
    const currentRow = (await summary(gm)).tracker.rows.find((r) => r.current)!;
    const currentTokens = (await tokens(gm)).filter((t) => t.current);
    assert.deepEqual(
      currentTokens.map((t) => t.name),
      [currentRow.name],
      "the current turn's token is highlighted",
    );

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
    await until(
      gm,
      "the monster defeated",
      (s, t) => s.tracker.rows.find((r) => r.id === monsterRow.id)?.defeated === true && t.some((k) => k.id === monster.id && k.defeated),
    );
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
    for (const [page, who] of [
      [ana, "Ana"],
      [bo, "Bo"],
    ] as const)
      await assertMonsterUnseen(page, who);

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
    // Players hold the public version only: every page compares that one.
    const beforeRestart = (await summary(gm)).publicVersion;
    await rig.server.kill();
    for (const page of everyone)
      await page.waitForFunction(() => window.__tavern?.status() === "reconnecting", undefined, { timeout: 10_000 });
    await rig.server.restart();
    for (const page of everyone) {
      await page.waitForFunction(() => window.__tavern?.status() === "connected", undefined, { timeout: 60_000 });
      const s = await until(page, "the session back", (x) => x.publicVersion === beforeRestart && x.characters.length === 2, 20_000);
      assert.equal(await hook<string>(page, "code()"), code, "same room code");
      assert.equal(s.title, "Crypt of Ash");
    }
    assert.equal((await summary(gm)).gm, true, "the GM is still the GM");
    assert.equal((await summary(gm)).actors.length, 1);

    // ----- every page's integrity check agrees with the server ------------------------------
    const gmVersion = (await summary(gm)).publicVersion;
    for (const page of everyone) {
      const s = await until(page, "caught up", (x) => x.publicVersion === gmVersion);
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
    assert.equal(resynced.publicVersion, gmVersion);
    assert.equal(await hook<number>(ana, "resyncs()"), 1);
    assert.equal(await hook<string>(ana, "status()"), "connected");
    assert.equal(await hook<string>(ana, "playerId()"), anaId);
    assert.equal(await hook<boolean>(ana, "checkIntegrity()"), true);

    await gm.screenshot({ path: join(ARTIFACTS, "table-gm-end.png"), fullPage: true });
    console.log(`      table session test ran in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  it("lets the GM edit and delete items and set initiative by hand; players see only what is theirs to see", async () => {
    const SECRET = "Ruby";
    const { gm, code } = await createTable("Gideon", "Market Day", "generic");
    const { page: ana, id: anaId } = await joinTable("Ana", code);
    await createEntity(gm, { collection: "characters", name: "Aria", owner: anaId, hp: 12 });
    await createEntity(gm, { collection: "characters", name: "Brom", owner: "", hp: 14 });
    const { characters } = await until(gm, "two characters", (s) => s.characters.length === 2);
    const aria = characters.find((c) => c.name === "Aria")!;
    assert.equal(characters.find((c) => c.name === "Brom")!.ownerId, "", "Brom is nobody's");
    await createEntity(gm, { collection: "items", name: "Rope", holder: aria.id, hidden: false });
    await createEntity(gm, { collection: "items", name: SECRET, holder: aria.id, hidden: true });
    const { items } = await until(gm, "two items", (s) => s.items.length === 2);
    const rope = items.find((i) => i.name === "Rope")!;
    const ruby = items.find((i) => i.name === SECRET)!;
    assert.equal(ruby.hidden, true);
    // Ana reads Aria's sheet; it follows every change below without another click.
    await until(ana, "Ana holds the rope only", (s, t) => s.items.length === 1 && s.items[0]?.id === rope.id && t.length === 2);
    await selectToken(ana, "character", aria.id);
    const anaItems = () => ana.textContent('#sheet dd[data-field="items"]');
    assert.equal(await anaItems(), "Rope");
    for (const control of ["#item-pick", "#item-edit-form", "#init-set-form"]) {
      assert.equal(await ana.isVisible(control), false, `Ana gets no ${control}`);
    }

    /** The secret item: in the GM's state, nowhere in Ana's (state, sheet, page text). */
    async function assertSecretUnseen(): Promise<void> {
      const gmNow = await summary(gm);
      const s = await until(ana, "Ana caught up with the GM", (x) => x.publicVersion === gmNow.publicVersion);
      assert.ok(
        gmNow.items.some((i) => i.id === ruby.id),
        "the GM holds the secret item",
      );
      assert.ok(!s.items.some((i) => i.id === ruby.id), "Ana holds no secret item");
      assert.ok(!(await ana.textContent("body"))!.includes(SECRET), `Ana's page never names ${SECRET}`);
      assert.ok(s.integrity && s.integrity.actual === s.integrity.expected, `Ana's hash agrees: ${JSON.stringify(s.integrity)}`);
    }
    await assertSecretUnseen();

    // ----- the GM renames the rope and sets its quantity, saving with Enter -------------------
    await gm.selectOption("#item-pick", rope.id);
    await gm.fill("#item-edit-name", "Silk Rope");
    await gm.fill("#item-edit-quantity", "3");
    await gm.press("#item-edit-quantity", "Enter");
    await until(gm, "the GM's rope edited", (s) => s.items.some((i) => i.id === rope.id && i.name === "Silk Rope" && i.quantity === 3));
    await gm.waitForFunction(
      (id) => document.querySelector(`#item-pick option[value="${id}"]`)?.textContent === "Silk Rope ×3 (Aria)",
      rope.id,
    );
    assert.equal(await gm.inputValue("#item-edit-name"), "Silk Rope", "the form shows what the server holds");
    await until(ana, "Ana's rope edited", (s) => s.items.some((i) => i.id === rope.id && i.name === "Silk Rope" && i.quantity === 3));
    await ana.waitForFunction(() => document.querySelector('#sheet dd[data-field="items"]')?.textContent === "Silk Rope ×3");
    await assertSecretUnseen();

    // ----- the GM edits the hidden item: it stays hidden from Ana ----------------------------
    await gm.selectOption("#item-pick", ruby.id);
    await gm.fill("#item-edit-name", `Cursed ${SECRET}`);
    await gm.fill("#item-edit-quantity", "2");
    await gm.click("#item-edit-save");
    await until(gm, "the secret item edited", (s) =>
      s.items.some((i) => i.id === ruby.id && i.name === `Cursed ${SECRET}` && i.quantity === 2 && i.hidden),
    );
    await assertSecretUnseen();
    assert.equal(await anaItems(), "Silk Rope ×3");

    // ----- deleting asks first: Escape backs out, "Yes, delete" deletes ----------------------
    await gm.selectOption("#item-pick", rope.id);
    const beforeDelete = (await summary(gm)).version;
    await gm.click("#item-delete");
    assert.equal(await gm.textContent("#item-delete-question"), "Delete Silk Rope?");
    assert.equal(await gm.evaluate(() => document.activeElement?.id), "item-delete-no", "focus on Cancel, not on Yes");
    await gm.keyboard.press("Escape");
    assert.equal(await gm.isVisible("#item-delete-confirm"), false);
    await gm.waitForTimeout(300);
    assert.equal((await summary(gm)).version, beforeDelete, "backing out deletes nothing");
    await gm.click("#item-delete");
    await gm.click("#item-delete-yes");
    await until(gm, "the rope deleted", (s) => !s.items.some((i) => i.id === rope.id) && s.items.length === 1);
    await until(ana, "the rope gone for Ana", (s) => s.items.length === 0);
    await ana.waitForSelector('#sheet dd[data-field="items"]', { state: "detached" });
    assert.notEqual(await gm.inputValue("#item-pick"), rope.id, "the menu moved on to an item that exists");

    // ----- the GM types initiatives by hand; Ana's tracker reorders --------------------------
    await gm.click("#enc-start");
    const { tracker } = await until(gm, "both characters in the encounter", (s) => s.tracker.rows.length === 2);
    const combatant = (name: string) => tracker.rows.find((r) => r.name === name)!.id;
    const [ariaC, bromC] = [combatant("Aria"), combatant("Brom")];
    async function setInitiative(id: string, value: string): Promise<void> {
      await gm.selectOption("#init-set-who", id);
      await gm.fill("#init-set-value", value);
      await gm.press("#init-set-value", "Enter");
    }
    const anaOrder = async (order: string[], initiatives: (number | null)[]) => {
      await until(
        ana,
        `Ana's order ${order.join(", ")}`,
        (s) =>
          JSON.stringify(s.tracker.rows.map((r) => [r.id, r.initiative])) === JSON.stringify(order.map((id, i) => [id, initiatives[i]])),
      );
      const shown = await ana.$$eval("#init-order li", (lis) => lis.map((li) => li.getAttribute("data-combatant-id")));
      assert.deepEqual(shown, order, "Ana's page lists them in that order");
    };
    await setInitiative(ariaC, "5");
    await anaOrder([ariaC, bromC], [5, null]); // rolled before unrolled
    await setInitiative(bromC, "15");
    await anaOrder([bromC, ariaC], [15, 5]);
    await setInitiative(ariaC, "20");
    await anaOrder([ariaC, bromC], [20, 15]);
    assert.equal(await ana.textContent(`#init-order li[data-combatant-id="${ariaC}"] .init`), "20");
    assert.equal(await ana.locator("#init-order button").count(), 0, "Ana gets no tracker controls");

    // ----- an out-of-range initiative is refused, shown, and changes nothing -----------------
    const beforeRefusal = await summary(gm);
    await setInitiative(bromC, "5000");
    await gm.waitForFunction(() => /Check your input: .*initiative/i.test(document.getElementById("notice")?.textContent ?? ""));
    assert.equal(await gm.isVisible("#notice"), true);
    await gm.waitForTimeout(300);
    const afterRefusal = await summary(gm);
    assert.equal(afterRefusal.version, beforeRefusal.version, "the refused command made no version");
    assert.deepEqual(afterRefusal.tracker, beforeRefusal.tracker, "the GM's tracker is unchanged");
    await anaOrder([ariaC, bromC], [20, 15]);
    await gm.screenshot({ path: join(ARTIFACTS, "table-gm-items-initiative.png"), fullPage: true });
    await ana.screenshot({ path: join(ARTIFACTS, "table-player-items-initiative.png"), fullPage: true });
  });
});
