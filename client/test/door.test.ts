/**
 * Browser test of a room's door: the host locks a room from the room panel, a newcomer's page
 * waits at the door until the host lets them in (or turns them away), and a kicked player who
 * signs in again as a new guest in the same browser is still refused (the device id is kept).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { ARTIFACTS, hook, openSignedIn, serverAndBrowser } from "./chromium";

/** Several pages render WebGL in software on a small machine: a lower frame rate leaves CPU for the rest. */
const FPS = "?fps=10";

describe("the door in Chromium: lock, knock, let in, turn away, give up, kick by device", function () {
  this.timeout(120_000);
  const rig = serverAndBrowser("tavern-door-browser-");

  async function joinByCode(page: Page, code: string): Promise<void> {
    await page.fill("#join-code", code);
    await page.click("#join button");
  }

  async function knockShown(host: Page, name: string) {
    const item = host.locator("#knocks li[data-knock-id]", { hasText: name });
    await item.waitFor({ timeout: 10_000 });
    return item;
  }

  it("a newcomer waits at a locked room's door until the host lets them in; another is turned away or gives up; a kicked device stays out under a new guest", async () => {
    const host = await openSignedIn(rig.browser, rig.server.url, "Keeper", FPS);
    await host.click("#create button");
    await host.waitForFunction(() => Boolean(window.__tavern?.code()));
    const code = (await hook<string>(host, "code()"))!;

    await host.check("#lock");
    await host.waitForSelector("#room-locked:not([hidden])");

    // Let in.
    const guest = await openSignedIn(rig.browser, rig.server.url, "Guest", FPS);
    const device = await hook<string>(guest, "deviceId()");
    assert.match(device, /^[A-Za-z0-9_-]{16,64}$/, "the browser keeps the device id it was given");
    await joinByCode(guest, code);
    await guest.waitForSelector("#knock-wait:not([hidden])");
    assert.equal(await guest.textContent("#knock-code"), code);
    assert.equal(await hook<boolean>(guest, "knocking()"), true);
    assert.equal(await hook<string | undefined>(guest, "code()"), undefined, "no room while waiting");
    await guest.screenshot({ path: join(ARTIFACTS, "door-knocker-waiting.png") });
    const guestKnock = await knockShown(host, "Guest");
    await host.screenshot({ path: join(ARTIFACTS, "door-host-knock.png") });
    await guestKnock.locator("button", { hasText: "Let in" }).click();
    await guest.waitForFunction((c) => window.__tavern?.code() === c, code, { timeout: 10_000 });
    assert.equal(await guest.isHidden("#knock-wait"), true);
    await host.waitForSelector("#knocks li.empty");
    const guestId = (await hook<string>(guest, "playerId()"))!;

    // Turn away.
    const snoop = await openSignedIn(rig.browser, rig.server.url, "Snoop", FPS);
    await joinByCode(snoop, code);
    await snoop.waitForSelector("#knock-wait:not([hidden])");
    await (await knockShown(host, "Snoop")).locator("button", { hasText: "Turn away" }).click();
    await snoop.waitForSelector("#knock-wait", { state: "hidden" });
    await snoop.waitForFunction(() => document.querySelector("#notice")?.textContent === "The host did not let you in.");
    assert.equal(await hook<string | undefined>(snoop, "code()"), undefined);
    assert.equal(await snoop.isVisible("#lobby"), true, "still in the lobby");

    // Give up: the knock is withdrawn from the host's list.
    await joinByCode(snoop, code);
    await knockShown(host, "Snoop");
    await snoop.click("#knock-cancel");
    await snoop.waitForSelector("#knock-wait", { state: "hidden" });
    await host.waitForSelector("#knocks li.empty");
    assert.equal(await hook<string | undefined>(snoop, "code()"), undefined);

    // Kick the guest: a new guest in the same browser is the same device, refused.
    await host.locator(`#players li[data-player-id="${guestId}"] button`, { hasText: "Kick" }).click();
    await guest.waitForFunction(() => window.__tavern?.code() === undefined, undefined, { timeout: 10_000 });
    await guest.click("#new-guest");
    await guest.fill("#name", "Guest");
    await guest.click("#signin button");
    await guest.waitForSelector("#lobby-actions:not([hidden])");
    assert.notEqual(await hook<string>(guest, "playerId()"), guestId, "a new guest");
    assert.equal(await hook<string>(guest, "deviceId()"), device, "the same device");
    await joinByCode(guest, code);
    await guest.waitForFunction(() => document.querySelector("#notice")?.textContent === "The host removed you from that room.");
    assert.equal(await hook<string | undefined>(guest, "code()"), undefined);
  });
});
