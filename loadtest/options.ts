/** Command-line options of `npm run loadtest`: usage text and parsing with clear refusals. */
import { parseArgs } from "node:util";

export const STORM_DEFAULTS = {
  clients: 60,
  timeoutSeconds: 30,
  out: "loadtest/reports",
} as const;

export const MAX_CLIENTS = 500; // RoomConfig.maxPlayers tops out at 500

export const STORM_USAGE = `Usage: npm run loadtest -- storm [options]

Signs in N guests, creates one space room with the first, then joins the other N-1 at once.
Reports join latency and time-to-full-visibility (p50/p95/p99/max), errors by code and the share
of clients that saw every player with the right name, none twice. Exits 0 only when visibility
is 100% and no join failed, 1 otherwise, 2 on bad options.

Options:
  --clients N         number of clients, 2-${MAX_CLIENTS} (default ${STORM_DEFAULTS.clients})
  --endpoint URL      server to test, e.g. http://127.0.0.1:2567 (default: none; starts its own
                      server on a free port of 127.0.0.1 and stops it at the end). Several
                      processes of one cluster: URL,URL,... (the room is created through the
                      first; joiners take turns over all of them)
  --timeout SECONDS   bound on the run, 1-3600 (default ${STORM_DEFAULTS.timeoutSeconds}); leaving the
                      rooms and stopping the server afterwards take at most 15 s more
  --out DIR           directory for the JSON, Markdown and SVG reports (default ${STORM_DEFAULTS.out})
  -h, --help          show this help
`;

export const USAGE = `Usage: npm run loadtest -- <command> [options]

Commands:
  storm     join storm: N guests join one space room at the same instant; measures join latency
            and time until every client sees all N players

${STORM_USAGE.slice(STORM_USAGE.indexOf("Options:")).replace("Options:", "Options of storm:")}`;

export interface StormOptions {
  clients: number;
  /** Undefined: start a server. Otherwise one URL per process; the first creates the room. */
  endpoint: string[] | undefined;
  timeoutSeconds: number;
  out: string;
}

export type Parsed =
  | { kind: "help"; text: string }
  | { kind: "storm"; options: StormOptions }
  | { kind: "error"; message: string };

export function parseCommandLine(argv: readonly string[]): Parsed {
  const [command, ...rest] = argv;
  if (command === undefined || command === "-h" || command === "--help" || command === "help") {
    return command === undefined ? { kind: "error", message: `missing command\n\n${USAGE}` } : { kind: "help", text: USAGE };
  }
  if (command !== "storm") return { kind: "error", message: `unknown command "${command}"\n\n${USAGE}` };
  return parseStormOptions(rest);
}

export function parseStormOptions(args: readonly string[]): Parsed {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        clients: { type: "string" },
        endpoint: { type: "string" },
        timeout: { type: "string" },
        out: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (err) {
    return { kind: "error", message: `${(err as Error).message}\nRun \`npm run loadtest -- storm --help\` for the options.` };
  }
  if (values["help"]) return { kind: "help", text: STORM_USAGE };

  const problems: string[] = [];
  const clients = parseInteger(values["clients"], STORM_DEFAULTS.clients);
  if (clients === undefined || clients < 2 || clients > MAX_CLIENTS) {
    problems.push(`--clients must be a whole number from 2 to ${MAX_CLIENTS}, got "${values["clients"]}"`);
  }
  const timeoutSeconds = parseInteger(values["timeout"], STORM_DEFAULTS.timeoutSeconds);
  if (timeoutSeconds === undefined || timeoutSeconds < 1 || timeoutSeconds > 3600) {
    problems.push(`--timeout must be a whole number of seconds from 1 to 3600, got "${values["timeout"]}"`);
  }
  const out = values["out"] === undefined ? STORM_DEFAULTS.out : String(values["out"]).trim();
  if (out === "") problems.push("--out must not be empty");
  let endpoint: string[] | undefined;
  if (values["endpoint"] !== undefined) {
    const raw = String(values["endpoint"]).split(",").map((e) => e.trim());
    const parsed = raw.map(parseEndpoint);
    if (parsed.some((e) => e === undefined) || raw.length === 0) {
      problems.push(`--endpoint must be http:// or https:// URLs such as http://127.0.0.1:2567 (comma-separated for several), got "${values["endpoint"]}"`);
    } else {
      endpoint = parsed as string[];
    }
  }
  if (problems.length > 0) return { kind: "error", message: `bad options:\n${problems.map((p) => `  ${p}`).join("\n")}` };
  return { kind: "storm", options: { clients: clients!, endpoint, timeoutSeconds: timeoutSeconds!, out } };
}

function parseInteger(raw: string | boolean | undefined, fallback: number): number | undefined {
  if (raw === undefined) return fallback;
  if (typeof raw !== "string" || !/^\d+$/.test(raw.trim())) return undefined;
  return Number(raw.trim());
}

/** The endpoint without a trailing slash, or undefined when it is not an http(s) URL. */
function parseEndpoint(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
  if (url.search || url.hash || url.username || url.password) return undefined;
  return url.href.replace(/\/+$/, "");
}
