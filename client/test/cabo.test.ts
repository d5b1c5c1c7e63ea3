/**
 * Browser test of Cabo: three tabs of one browser, each its own guest, create and join a room dealt
 * from a fixed seed, ready up, start, do the setup peek and play a whole round through the page
 * (clicks on the table's cards and piles, the action panel's buttons): draw and swap, draw and
 * discard with each power (peek, spy, swap), take the discard, a refused move told in words, Cabo,
 * the reveal and the scores. Each page's decoded state is checked at every patch against the
 * entitlements of that moment (the test hook's audit), and what each page draws is checked against
 * what it may see.
 */
import assert from "node:assert/strict";
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import type { CaboTableModel, SeatModel } from "../src/cabo/model";
import type { CaboHit } from "../src/scenes/CaboScene";
import { ARTIFACTS, hook, serverAndBrowser } from "./chromium";

const SEED = "browser-cabo-3";
/** Three pages render WebGL in software on a small machine: a lower frame rate leaves CPU for the rest. */
const QUERY = `?fps=10&caboSeed=${SEED}`;
const SCREENSHOTS = join(process.cwd(), "docs", "screenshots");

type Coverage = "swap" | "peek" | "spy" | "powerSwap" | "takeDiscard" | "refused" | "cabo";

describe("Cabo in Chromium: three players play a seeded round by clicks", function () {
  this.timeout(240_000);
  const rig = serverAndBrowser("tavern-cabo-browser-", { CABO_ALLOW_SEED: "true" });
  let context: BrowserContext | undefined;
  after(async () => {
    await context?.close();
  });

  const model = async (page: Page): Promise<CaboTableModel> => (await hook<CaboTableModel | undefined>(page, "cabo.model()"))!;

  async function until(page: Page, what: string, check: (m: CaboTableModel) => boolean, timeout = 15_000): Promise<CaboTableModel> {
    const deadline = Date.now() + timeout;
    let last: CaboTableModel | undefined;
    while (Date.now() < deadline) {
      last = await hook<CaboTableModel | undefined>(page, "cabo.model()");
      if (last && check(last)) return last;
      await page.waitForTimeout(100);
    }
    throw new Error(
      `timed out waiting for ${what}; last: ${JSON.stringify(last && { stage: last.stage, turn: last.turnSeat, step: last.turnStep })}`,
    );
  }

  async function click(page: Page, hit: CaboHit): Promise<void> {
    const canvas = page.locator("#game canvas");
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    const at = await page.evaluate((h) => window.__tavern!.cabo.centre(h), hit);
    assert.ok(at, `${JSON.stringify(hit)} is on the table`);
    const scale = box.width / 960;
    await page.mouse.click(box.x + at.x * scale, box.y + at.y * scale);
  }

  /** Picks a card by clicking it and waits until the page shows it picked. */
  async function pick(page: Page, seat: string, position: number): Promise<void> {
    await click(page, { kind: "card", seat, position });
    await until(page, `card ${seat}:${position} picked`, (m) => seatOf(m, seat).cards[position]?.picked === true);
  }

  async function press(page: Page, id: string): Promise<void> {
    await page.waitForSelector(`#${id}:not([disabled])`, { timeout: 5000 });
    await page.click(`#${id}`);
  }

  async function shoot(page: Page, name: string): Promise<void> {
    await page.waitForTimeout(400); // a frame or two at the capped rate
    const path = join(ARTIFACTS, name);
    await page.screenshot({ path, fullPage: true });
    copyFileSync(path, join(SCREENSHOTS, name));
  }

  async function openTab(name: string): Promise<Page> {
    const page = await context!.newPage();
    page.on("pageerror", (err) => console.error(`[${name}] page error:`, err.message));
    await page.goto(`${rig.server.url}/${QUERY}`);
    await page.fill("#name", name);
    await page.check("#signin-tab"); // this tab's own guest: three tabs, three players
    await page.click("#signin button");
    await page.waitForSelector("#lobby-actions:not([hidden])");
    return page;
  }

  /** Nothing a page draws face up is a card it may not see now (memory aid off: no "remembered"). */
  function assertShownIsEntitled(m: CaboTableModel, who: string): void {
    const reveal = m.stage === "roundEnd" || m.stage === "matchEnd";
    for (const seat of m.seats) {
      for (const card of seat.cards) {
        if (card.value === undefined) continue;
        const where = `${who} shows ${seat.name}'s card ${card.position} (${card.shown})`;
        assert.notEqual(card.shown, "remembered", `${where}: no memory aid in this room`);
        if (card.shown === "public") assert.ok(card.faceUp || reveal, where);
        if (card.shown === "setup") assert.ok(m.stage === "setup" && seat.self && card.position < 2, where);
        if (card.shown === "peek" || card.shown === "spy") {
          assert.ok(m.window && m.window.seat === m.selfId && m.window.target === seat.seat && m.window.position === card.position, where);
        }
      }
    }
  }

  it("deals, peeks, plays every kind of move, refuses in words, scores, and no page ever holds a card it may not see", async () => {
    const started = Date.now();
    context = await rig.browser.newContext({ viewport: { width: 1300, height: 1000 } });
    const ana = await openTab("Ana");
    const ben = await openTab("Ben");
    const cat = await openTab("Cat");
    const pages = [ana, ben, cat];

    // ----- the host creates a Cabo room through the lobby form ---------------------------------
    await ana.selectOption("#create-type", "cabo");
    assert.equal(await ana.inputValue("#create-max"), "6", "a card game seats at most 6");
    assert.equal(await ana.inputValue("#create-min"), "2", "and needs 2");
    assert.equal(await ana.getAttribute("#create-max", "max"), "6");
    assert.equal(await ana.isChecked("#create-cabo-memory"), false, "the memory aid is off by default");
    await ana.fill("#create-cabo-turn", "150");
    await ana.fill("#create-cabo-peek", "40");
    await ana.fill("#create-cabo-reveal", "30");
    await ana.click("#create button");
    await ana.waitForFunction(() => window.__tavern?.roomType() === "cabo" && window.__tavern.sceneReady());
    const code = (await hook<string>(ana, "code()"))!;
    for (const page of [ben, cat]) {
      await page.fill("#join-code", code.toLowerCase());
      await page.click("#join button");
      await page.waitForFunction(() => window.__tavern?.roomType() === "cabo" && window.__tavern.sceneReady());
    }
    const ids = await Promise.all(pages.map(async (p) => (await hook<string>(p, "playerId()"))!));
    assert.equal(new Set(ids).size, 3, "three tabs, three guests");
    const pageOf = (seat: string) => pages[ids.indexOf(seat)]!;

    // ----- ready and start: the host's Start waits for the others --------------------------------
    assert.equal(await ana.isVisible("#ready"), false, "the host does not tick ready: Start is theirs");
    assert.match((await ana.textContent("#cabo-hint"))!, /press Start/);
    assert.match((await ben.textContent("#cabo-hint"))!, /Tick ready/);
    await ben.check("#ready");
    await cat.check("#ready");
    await ana.waitForFunction(
      () => Array.from(document.querySelectorAll("#players li")).filter((li) => li.textContent?.includes("ready")).length === 2,
    );
    await ana.click("#start");
    for (const page of pages) await until(page, "the deal", (m) => m.stage === "setup" && m.seats.length === 3);
    assert.equal(await ana.isDisabled("#start"), true, "no second start while playing");

    // ----- setup peek: own cards 1 and 2, nobody else's -----------------------------------------
    for (const [i, page] of pages.entries()) {
      const m = await until(page, "own setup cards shown", (x) => ownOf(x).cards.filter((c) => c.shown === "setup").length === 2);
      const mine = ownOf(m);
      assert.deepEqual(
        mine.cards.map((c) => c.value !== undefined),
        [true, true, false, false],
        `${ids[i]} sees its own first two cards only`,
      );
      for (const other of m.seats.filter((s) => !s.self))
        assert.ok(
          other.cards.every((c) => c.value === undefined),
          "others' cards are backs",
        );
      assertShownIsEntitled(m, `page ${i}`);
    }
    await shoot(ana, "cabo-setup.png");
    for (const page of pages) await press(page, "cabo-setupDone");
    for (const page of pages) await until(page, "the first turn", (m) => m.stage === "turn");
    for (const page of pages)
      assert.ok(
        ownOf(await model(page)).cards.every((c) => c.value === undefined),
        "setup cards hidden again",
      );

    // ----- the round: each turn's mover acts through its page ---------------------------------
    const done = new Set<Coverage>();
    let turns = 0;
    let shotDrawn = false;
    let shotPeek = false;
    while (turns < 80) {
      const m0 = await model(ana);
      if (m0.stage !== "turn") break;
      const seat = m0.turnSeat;
      const mover = pageOf(seat);
      const m = await until(mover, "the mover's page sees its turn", (x) => x.myTurn && x.turnStep === "action");
      const me = ownOf(m);
      const next = m.seats[(m.seats.findIndex((s) => s.self) + 1) % m.seats.length]!;

      if (!done.has("refused")) {
        // Out of turn: a click on the draw pile is refused, and the page says why in words.
        const idler = pages.find((p) => p !== mover)!;
        await click(idler, { kind: "draw" });
        await idler.waitForSelector("#notice:not([hidden])");
        const text = (await idler.textContent("#notice"))!;
        assert.match(text, new RegExp(`Not your turn: it is ${me.name}'s turn`));
        assert.doesNotMatch(text, /NOT_YOUR_TURN|INVALID|[A-Z]{2,}_[A-Z]{2,}/, "no raw code");
        done.add("refused");
      }

      if (m.caller === "" && !done.has("takeDiscard") && m.discardTop !== undefined && turns >= 1) {
        const top = m.discardTop;
        await pick(mover, seat, 1);
        await press(mover, "cabo-takeDiscard");
        for (const page of pages) {
          await until(
            page,
            "the taken card lies face up",
            (x) => seatOf(x, seat).cards[1]?.faceUp === true && seatOf(x, seat).cards[1]?.value === top,
          );
        }
        done.add("takeDiscard");
      } else if (
        m.caboAllowed &&
        m.caller === "" &&
        ["swap", "peek", "spy", "powerSwap", "takeDiscard"].every((c) => done.has(c as Coverage))
      ) {
        await press(mover, "cabo-callCabo");
        for (const page of pages) await until(page, "Cabo is called", (x) => x.caller === seat);
        done.add("cabo");
      } else {
        await click(mover, { kind: "draw" });
        const d = await until(mover, "the drawn card", (x) => x.turnStep === "drawn" && x.drawn !== undefined);
        for (const page of pages.filter((p) => p !== mover)) {
          const other = await until(page, "someone else drew", (x) => x.otherHolds);
          assert.equal(other.drawn, undefined, "only the drawer sees the drawn card");
        }
        const power = d.drawnPower;
        const useIt = power === "peek" ? "peek" : power === "spy" ? "spy" : power === "swap" ? "powerSwap" : undefined;
        if (useIt && !done.has(useIt) && m.caller === "") {
          if (useIt === "peek") {
            await pick(mover, seat, 2);
            await press(mover, "cabo-peek");
          } else if (useIt === "spy") {
            await pick(mover, next.seat, 0);
            await press(mover, "cabo-spy");
          } else {
            await pick(mover, seat, 3);
            await pick(mover, next.seat, 2);
            await press(mover, "cabo-powerSwap");
          }
          if (useIt !== "powerSwap") {
            const [target, position] = useIt === "peek" ? [seat, 2] : [next.seat, 0];
            const w = await until(
              mover,
              "the card shown in its window",
              (x) => x.turnStep === "window" && seatOf(x, target).cards[position]?.value !== undefined,
            );
            assert.equal(seatOf(w, target).cards[position]!.shown, useIt);
            for (const page of pages.filter((p) => p !== mover)) {
              const o = await until(page, "the window is public, its card is not", (x) => x.window !== undefined);
              assert.equal(seatOf(o, target).cards[position]!.value, undefined, "nobody else sees the peeked or spied card");
              assert.equal(seatOf(o, target).cards[position]!.watched, true, "others see that it is being looked at");
            }
            if (!shotPeek) {
              await shoot(mover, "cabo-peek.png");
              shotPeek = true;
            }
            await press(mover, "cabo-closeWindow");
            const after = await until(mover, "the turn moves on", (x) => x.turnSeat !== seat || x.stage !== "turn");
            assert.equal(seatOf(after, target).cards[position]!.value, undefined, "no memory aid: the card is a back again");
          }
          done.add(useIt);
        } else if (!done.has("swap")) {
          if (!shotDrawn) {
            await pick(mover, seat, 0);
            await shoot(mover, "cabo-drawn.png");
            shotDrawn = true;
          } else await pick(mover, seat, 0);
          await press(mover, "cabo-swap");
          done.add("swap");
        } else {
          await press(mover, "cabo-discard");
        }
      }
      turns++;
      await until(ana, "the next turn or the round's end", (x) => x.stage !== "turn" || x.turnSeat !== seat);
      for (const page of pages) assertShownIsEntitled(await model(page), "a page");
    }
    assert.deepEqual([...done].sort(), ["cabo", "peek", "powerSwap", "refused", "spy", "swap", "takeDiscard"], `covered in ${turns} turns`);

    // ----- the reveal: every card shown on every page, the scores in the panel -----------------
    for (const page of pages) {
      const m = await until(page, "the reveal", (x) => x.stage === "roundEnd");
      assert.ok(
        m.seats.every((s) => s.cards.every((c) => !c.present || c.value !== undefined)),
        "every card is shown at the reveal",
      );
      assert.ok(
        m.seats.every((s) => s.round !== undefined),
        "every seat's round score is shown",
      );
      for (const s of m.seats) {
        const sum = s.cards.reduce((total, c) => total + (c.present ? c.value! : 0), 0);
        assert.equal(s.round!.sum, sum, `${s.name}'s hand sum is what its cards show`);
        assert.equal(s.total, s.round!.score, "totals after one round are its scores");
      }
      const caller = seatOf(m, m.caller);
      const lowest = m.seats.every((s) => s === caller || s.round!.sum > caller.round!.sum);
      assert.equal(caller.round!.score, lowest ? 0 : caller.round!.sum + 10, "the caller's score follows the rule");
      await page.waitForSelector('#cabo-scores tr[data-round="1"]');
    }
    await shoot(ana, "cabo-reveal.png");

    // ----- the bytes: no decoded patch ever held a value its page was not entitled to ---------
    for (const [i, page] of pages.entries()) {
      const audit = await hook<{ frames: number; violations: string[] }>(page, "cabo.audit()");
      assert.deepEqual(audit.violations.slice(0, 5), [], `page ${i} held nothing it may not see`);
      assert.ok(audit.frames > 30, `page ${i} checked ${audit.frames} decoded patches`);
      const cost = await hook<{ redraws: number; ms: number }>(page, "cabo.redraws()");
      console.log(
        `      page ${i}: ${audit.frames} patches checked, ${cost.redraws} redraws, ${Math.round(cost.ms / Math.max(1, cost.redraws))} ms each`,
      );
    }

    // ----- the host ends the game; Play again brings the room back to its lobby ---------------
    await ana.click("#finish");
    await ana.waitForSelector("#cabo-play-again");
    assert.equal(await ben.locator("#cabo-play-again").count(), 0, "Play again is the host's");
    await ana.click("#cabo-play-again");
    for (const page of pages) await until(page, "back in the lobby", (x) => x.stage === "idle" && x.roomPhase === "lobby");
    assert.equal(await ben.isChecked("#ready"), false, "everyone readies up again");
    console.log(`      ${turns} turns, ${Math.round((Date.now() - started) / 1000)} s`);
  });
});

function seatOf(m: CaboTableModel, seat: string): SeatModel {
  const found = m.seats.find((s) => s.seat === seat);
  assert.ok(found, `seat ${seat} is at the table`);
  return found;
}

function ownOf(m: CaboTableModel): SeatModel {
  const found = m.seats.find((s) => s.self);
  assert.ok(found, "the page's own seat is at the table");
  return found;
}
