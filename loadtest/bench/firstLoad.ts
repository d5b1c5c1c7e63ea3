/**
 * Benchmark (not a test): a new player's first load. A Tavern process serves the built client
 * (client/dist, built beforehand) and a headless Chromium opens it with an empty cache, again and
 * again, on the bare loopback and on a throttled "4G-like" link. Prints, as medians: when the lobby
 * (the sign-in form) was first rendered and painted, the bytes the page had received by then
 * (scripts, and everything), and the bytes of the whole load, including what loads after the lobby.
 *
 *   npm run bench:firstload -- [--runs 7] [--client-dir client/dist] [--profiles loopback,4g]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { Browser } from "playwright-core";
import { launchChromium } from "../../client/test/chromium";
import { startServerProcess } from "../../server/test/support/serverProcess";
import { summarize } from "../stats";

/** Link profiles (Chrome DevTools' units: bytes per second and milliseconds of added latency). */
const PROFILES = {
  loopback: undefined,
  "4g": { latency: 60, downloadThroughput: (9 * 1e6) / 8, uploadThroughput: (1.5 * 1e6) / 8 },
} as const;
type ProfileName = keyof typeof PROFILES;

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "7" },
    "client-dir": { type: "string", default: "client/dist" },
    profiles: { type: "string", default: "loopback,4g" },
  },
});
const runs = Number(values.runs);
const profiles = values.profiles.split(",").map((p) => p.trim());
if (!Number.isInteger(runs) || runs < 1 || !profiles.every((p): p is ProfileName => p in PROFILES)) {
  process.stderr.write(`bench:firstload: --runs is a positive integer, --profiles a list of ${Object.keys(PROFILES).join(", ")}\n`);
  process.exit(2);
}

interface LoadSample {
  lobbyMs: number;
  paintMs: number;
  scriptBytesAtLobby: number;
  bytesAtLobby: number;
  totalBytes: number;
  requests: number;
}

/** Runs in the page before any of its scripts: notes the moment the sign-in form enters the DOM. */
const WATCH_LOBBY = `
  new MutationObserver((_, observer) => {
    if (document.getElementById("name")) {
      window.__lobbyAt = performance.now();
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
`;

async function sampleOnce(browser: Browser, url: string, profile: ProfileName): Promise<LoadSample> {
  const context = await browser.newContext({ viewport: { width: 1300, height: 760 } });
  try {
    const page = await context.newPage();
    const link = PROFILES[profile];
    if (link) {
      const cdp = await context.newCDPSession(page);
      await cdp.send("Network.enable");
      await cdp.send("Network.emulateNetworkConditions", { offline: false, ...link });
    }
    await page.addInitScript(WATCH_LOBBY);
    await page.goto(url, { waitUntil: "load" });
    await page.waitForFunction("window.__lobbyAt !== undefined");
    // Whatever the page fetches after the lobby (the game chunk, in the background) counts in the total.
    await page.waitForLoadState("networkidle");
    return (await page.evaluate(`(() => {
      const lobbyMs = window.__lobbyAt;
      const paint = performance.getEntriesByName("first-contentful-paint")[0];
      const entries = [performance.getEntriesByType("navigation")[0], ...performance.getEntriesByType("resource")];
      const byLobby = entries.filter((e) => e.responseEnd <= lobbyMs);
      const sum = (list) => list.reduce((total, e) => total + e.transferSize, 0);
      return {
        lobbyMs,
        paintMs: paint ? paint.startTime : NaN,
        scriptBytesAtLobby: sum(byLobby.filter((e) => e.name.endsWith(".js"))),
        bytesAtLobby: sum(byLobby),
        totalBytes: sum(entries),
        requests: entries.length,
      };
    })()`)) as LoadSample;
  } finally {
    await context.close();
  }
}

const median = (samples: LoadSample[], key: keyof LoadSample): number => summarize(samples.map((s) => s[key])).p50 ?? NaN;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

const dataDir = mkdtempSync(join(tmpdir(), "tavern-bench-firstload-"));
const server = await startServerProcess({
  dataDir,
  env: { SERVE_CLIENT: "true", CLIENT_DIR: values["client-dir"], LOG_LEVEL: "warn" },
});
const browser = await launchChromium();
try {
  process.stdout.write(`bench:firstload: ${values["client-dir"]} served by ${server.url}, ${runs} cold loads per profile (medians)\n`);
  for (const profile of profiles as ProfileName[]) {
    await sampleOnce(browser, server.url, profile); // warms the server and Chromium, not measured
    const samples: LoadSample[] = [];
    for (let i = 0; i < runs; i++) samples.push(await sampleOnce(browser, server.url, profile));
    const lobby = summarize(samples.map((s) => s.lobbyMs));
    process.stdout.write(
      `  ${profile.padEnd(8)} lobby rendered ${median(samples, "lobbyMs").toFixed(0)} ms (min ${lobby.min?.toFixed(0)}, max ${lobby.max?.toFixed(0)})` +
        `, first paint ${median(samples, "paintMs").toFixed(0)} ms` +
        `, received by then ${kb(median(samples, "bytesAtLobby"))} (scripts ${kb(median(samples, "scriptBytesAtLobby"))})` +
        `, whole load ${kb(median(samples, "totalBytes"))} in ${median(samples, "requests")} requests\n`,
    );
  }
} finally {
  await browser.close();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
