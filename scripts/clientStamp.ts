/**
 * Whether the built client is the build of the sources at hand. A build leaves in its output folder
 * a stamp: one hash over every input of the build (the client's sources, the shared code, the Vite
 * and TypeScript configuration, the locked dependency versions, and the VITE_* variables Vite
 * compiles into the page). The same hash now means the same build would come out, so `npm start`
 * can skip it.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";

/** The build's inputs, relative to the project root: files, or folders taken whole. */
export const CLIENT_BUILD_INPUTS = [
  "client/index.html",
  "client/src",
  "client/public",
  "client/vite",
  "client/vite.config.ts",
  "client/tsconfig.json",
  // Vite reads these from the client's folder in a production build.
  "client/.env",
  "client/.env.local",
  "client/.env.production",
  "client/.env.production.local",
  "tsconfig.json",
  "shared/src",
  "package-lock.json",
];

/** Kept in the output folder (which a build empties first, so a failed build leaves none). */
export const STAMP_FILE = ".build-stamp";

/** Every file under `path` (or `path` itself), as paths relative to `root` with `/` separators. */
function filesOf(root: string, path: string): string[] {
  const full = join(root, path);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full, { recursive: true, encoding: "utf8" })
    .map((name) => join(full, name))
    .filter((file) => statSync(file).isFile())
    .map((file) => relative(root, file).split(sep).join("/"));
}

/**
 * The hash of the build's inputs under `root`, with the VITE_* variables of `env` (an input as
 * much as a file: VITE_TAVERN_URL is compiled into the page).
 */
export function sourceStamp(root: string, env: NodeJS.ProcessEnv, inputs: readonly string[] = CLIENT_BUILD_INPUTS): string {
  const hash = createHash("sha256");
  const files = [...new Set(inputs.flatMap((input) => filesOf(root, input)))].sort();
  for (const file of files) {
    const content = createHash("sha256")
      .update(readFileSync(join(root, file)))
      .digest("hex");
    hash.update(`file ${file} ${content}\n`);
  }
  const viteVariables = Object.keys(env)
    .filter((name) => name.startsWith("VITE_"))
    .sort();
  for (const name of viteVariables) hash.update(`env ${name}=${JSON.stringify(env[name] ?? "")}\n`);
  return hash.digest("hex");
}

/** The stamp a finished build left in `outDir`, if any. */
export function readStamp(outDir: string): string | undefined {
  const file = join(outDir, STAMP_FILE);
  return existsSync(file) ? readFileSync(file, "utf8").trim() : undefined;
}

export function writeStamp(outDir: string, stamp: string): void {
  writeFileSync(join(outDir, STAMP_FILE), `${stamp}\n`);
}
