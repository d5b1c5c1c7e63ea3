/** Values given on a load script's command line: server addresses, whole numbers, target lists. */
import { parseArgs } from "node:util";
import { TARGET_NAMES, type TargetName } from "./space/target";

/** The endpoint without a trailing slash, or undefined when it is not a plain http(s) URL. */
export function parseEndpoint(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
  if (url.search || url.hash || url.username || url.password) return undefined;
  return url.href.replace(/\/+$/, "");
}

/** A whole number written in decimal digits; the fallback when absent; undefined when malformed. */
export function parseWholeNumber(raw: string | boolean | undefined, fallback: number): number | undefined {
  if (raw === undefined) return fallback;
  if (typeof raw !== "string" || !/^\d+$/.test(raw.trim())) return undefined;
  return Number(raw.trim());
}

export type OptionValues = Record<string, string | boolean | undefined>;

/**
 * Reads `--name value` options (all strings) and -h/--help strictly: the values, the command's
 * help, or a refusal that points at --help.
 */
export function readOptions(
  command: string,
  args: readonly string[],
  names: readonly string[],
  usage: string,
): { kind: "values"; values: OptionValues } | { kind: "help"; text: string } | { kind: "error"; message: string } {
  const options: Record<string, { type: "string" } | { type: "boolean"; short: string }> = { help: { type: "boolean", short: "h" } };
  for (const name of names) options[name] = { type: "string" };
  let values: OptionValues;
  try {
    ({ values } = parseArgs({ args: [...args], strict: true, allowPositionals: false, options }));
  } catch (err) {
    return { kind: "error", message: `${(err as Error).message}\nRun \`npm run loadtest -- ${command} --help\` for the options.` };
  }
  return values["help"] ? { kind: "help", text: usage } : { kind: "values", values };
}

/**
 * A reader of whole-number options within bounds: a bad value adds its complaint to `problems`
 * and reads as the fallback, so every problem of a command line is reported at once.
 */
export function wholeNumbers(values: OptionValues, problems: string[]) {
  return (name: string, fallback: number, min: number, max: number, what = "a whole number"): number => {
    const raw = values[name];
    const value = parseWholeNumber(raw, fallback);
    if (value === undefined || value < min || value > max) {
      problems.push(`--${name} must be ${what} from ${min} to ${max}, got "${String(raw)}"`);
      return fallback;
    }
    return value;
  };
}

/**
 * `--targets LIST`: some of tavern,colyseus,snapshot,events, comma-separated, run in the order given
 * (repeats dropped); all four when absent. A bad list adds its complaint to `problems`.
 */
export function parseTargets(raw: string | boolean | undefined, problems: string[]): TargetName[] {
  if (raw === undefined) return [...TARGET_NAMES];
  const listed = String(raw)
    .split(",")
    .map((t) => t.trim())
    .filter((t) => t !== "");
  const isTarget = (t: string): t is TargetName => (TARGET_NAMES as readonly string[]).includes(t);
  if (listed.length === 0 || !listed.every(isTarget)) {
    problems.push(`--targets must list some of ${TARGET_NAMES.join(",")}, got "${String(raw)}"`);
    return [...TARGET_NAMES];
  }
  return [...new Set(listed.filter(isTarget))];
}
