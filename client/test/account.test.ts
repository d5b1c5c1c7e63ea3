/**
 * Browser test of accounts: a guest keeps their identity under a user name and password, a second
 * browser (a fresh context: no storage) signs in to it as the same player, and signing out
 * everywhere ends the first browser's sign-in too.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { ARTIFACTS, hook, openSignedIn, serverAndBrowser } from "./chromium";

describe("accounts in Chromium", function () {
  this.timeout(120_000);
  const rig = serverAndBrowser("tavern-account-browser-");

  it("keeps an identity, signs in to it from a second browser as the same player, and signs out everywhere", async () => {
    const first = await openSignedIn(rig.browser, rig.server.url, "Mira", "?fps=10");
    const playerId = (await hook<string>(first, "playerId()"))!;
    await first.click("#claim summary");
    await first.fill("#claim-username", "mira_the_gm");
    await first.fill("#claim-password", "correct horse battery");
    await first.click("#claim button");
    await first.waitForSelector("#account-name");
    assert.equal(await first.textContent("#account-name"), "Account: mira_the_gm");
    await first.screenshot({ path: join(ARTIFACTS, "account-claimed.png") });

    const context = await rig.browser.newContext({ viewport: { width: 1300, height: 760 } });
    const second = await context.newPage();
    await second.goto(`${rig.server.url}/?fps=10`);
    await second.waitForSelector("#login");
    await second.screenshot({ path: join(ARTIFACTS, "account-sign-in.png") });
    await second.fill("#login-username", "MIRA_THE_GM");
    await second.fill("#login-password", "wrong password here");
    await second.click("#login button");
    await second.waitForFunction(() => /Wrong user name or password/.test(document.querySelector("#notice")?.textContent ?? ""));
    await second.fill("#login-password", "correct horse battery");
    await second.click("#login button");
    await second.waitForSelector("#lobby-actions:not([hidden])");
    assert.equal(await hook<string>(second, "playerId()"), playerId, "the same player in the other browser");

    await second.click("#signout-everywhere");
    await second.waitForSelector("#signin");
    // The first browser's token is refused from now on: its next page load forgets it.
    await first.reload();
    await first.waitForSelector("#signin", { timeout: 15_000 });
    await context.close();
  });
});
