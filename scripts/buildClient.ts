/**
 * Runs before `npm start`: builds the browser client into client/dist unless the build there was
 * made from the very sources at hand (scripts/clientStamp.ts). Prints one line saying which. A
 * fresh clone has no build, so its first start builds.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { readStamp, sourceStamp, writeStamp } from "./clientStamp";

const root = fileURLToPath(new URL("..", import.meta.url));
const outDir = fileURLToPath(new URL("../client/dist", import.meta.url));

// Taken before the build: if a source changes while it runs, the next start sees it and builds.
const stamp = sourceStamp(root, process.env);
if (readStamp(outDir) === stamp) {
  console.log("client up to date");
} else {
  console.log("building client (sources changed)...");
  const vite = fileURLToPath(new URL("../node_modules/vite/bin/vite.js", import.meta.url));
  // Vite's own report (files and sizes) is left out; its warnings and errors still show.
  const build = spawnSync(process.execPath, [vite, "build", "client", "--logLevel", "warn"], { cwd: root, stdio: "inherit" });
  if (build.status !== 0) {
    console.error("the client build failed (see above); npm start stops here");
    process.exit(build.status ?? 1);
  }
  writeStamp(outDir, stamp);
}
