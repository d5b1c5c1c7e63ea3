/** Shared by the browser tests: Debian's Chromium through playwright-core, and signed-in pages. */
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { startServerProcess, type ServerProcess } from "../../server/test/support/serverProcess";

/** The server of the browser tests serves the test build of the client. */
export const BROWSER_SERVER_ENV = { SERVE_CLIENT: "true", CLIENT_DIR: "client/dist-test", LOG_LEVEL: "warn" };
import type {} from "../src/testHook"; // window.__tavern's type

const CHROMIUM = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** A fresh browser context (its own localStorage, so its own guest) signed in as `name`. */
export async function openSignedIn(browser: Browser, url: string, name: string, query = ""): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1300, height: 760 } });
  const page = await context.newPage();
  page.on("pageerror", (err) => console.error(`[${name}] page error:`, err.message));
  if (process.env["BROWSER_LOGS"]) page.on("console", (msg) => console.log(`[${name}] ${msg.text()}`));
  await page.goto(`${url}/${query}`);
  await page.fill("#name", name);
  await page.click("#signin button");
  await page.waitForSelector("#lobby-actions:not([hidden])");
  return page;
}

/** Evaluates an expression on window.__tavern in the page. */
export const hook = <T>(page: Page, fn: string): Promise<T> => page.evaluate(`window.__tavern.${fn}`) as Promise<T>;

export const ARTIFACTS = join(process.cwd(), "test-artifacts");

export interface BrowserRig {
  server: ServerProcess;
  browser: Browser;
}

/**
 * For a describe block: a server process on a fresh data folder (its environment plus `env`) and
 * a Chromium, started before its tests and stopped after them. The returned object is filled in by the `before` hook.
 */
export function serverAndBrowser(dataDirPrefix: string, env: Record<string, string> = {}): BrowserRig {
  const rig = {} as BrowserRig;
  const dataDir = mkdtempSync(join(tmpdir(), dataDirPrefix));
  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    rig.server = await startServerProcess({ dataDir, env: { ...BROWSER_SERVER_ENV, ...env } });
    rig.browser = await launchChromium();
  });
  after(async () => {
    await rig.browser?.close();
    await rig.server?.stop();
  });
  return rig;
}
