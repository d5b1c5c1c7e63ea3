/**
 * What `npm start` runs, read from package.json's "start" script: Node's own flags and the entry
 * file. The load scripts start their Tavern servers with exactly this, so what they measure is
 * what ships, and the flags are written in one place.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface StartCommand {
  /** Flags for Node before the entry, e.g. `--max-semi-space-size=8`. */
  nodeArgs: string[];
  /** The entry, relative to the project's root. */
  entry: string;
}

const packageJson = fileURLToPath(new URL("../package.json", import.meta.url));

/** Parses a start script of the form `node [--flag[=value]]... entry`; throws on anything else. */
export function parseStartScript(script: string): StartCommand {
  const [program, ...words] = script.trim().split(/\s+/);
  const entry = words.at(-1);
  const nodeArgs = words.slice(0, -1);
  if (program !== "node" || entry === undefined || entry.startsWith("-") || !nodeArgs.every((arg) => /^--[a-z0-9-]+(=\S+)?$/.test(arg))) {
    throw new Error(`package.json's start script is not "node [--flags] entry": ${JSON.stringify(script)}`);
  }
  return { nodeArgs, entry };
}

export function startCommand(): StartCommand {
  const scripts = (JSON.parse(readFileSync(packageJson, "utf8")) as { scripts?: Record<string, string> }).scripts ?? {};
  return parseStartScript(scripts["start"] ?? "");
}
