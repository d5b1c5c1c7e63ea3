/** Command-line options of `npm run loadtest`: usage text and parsing with clear refusals. */
import { parseEndpoint, readOptions, wholeNumbers } from "./cliValues";
import { parseSoakOptions, type ParsedSoak } from "./soakOptions";
import { parseSwitchOptions, type ParsedSwitch } from "./switchOptions";

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
  switch    room switching: clients hop between rooms rapidly; verifies no ghost player remains
  soak      R rooms x P moving players for T seconds against Tavern and two Socket.IO baselines;
            patch latency, bytes per client per second, server CPU, memory and event-loop lag

Run \`npm run loadtest -- <command> --help\` for a command's options.
`;

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

/** The whole command line: a command with its options, help, or a refusal. */
export function parseCommandLine(argv: readonly string[]): Parsed | ParsedSoak | ParsedSwitch {
  const [command, ...rest] = argv;
  if (command === undefined) return { kind: "error", message: `missing command\n\n${USAGE}` };
  if (command === "-h" || command === "--help" || command === "help") return { kind: "help", text: USAGE };
  if (command === "storm") return parseStormOptions(rest);
  if (command === "soak") return parseSoakOptions(rest);
  if (command === "switch") return parseSwitchOptions(rest);
  return { kind: "error", message: `unknown command "${command}"\n\n${USAGE}` };
}

export function parseStormOptions(args: readonly string[]): Parsed {
  const read = readOptions("storm", args, ["clients", "endpoint", "timeout", "out"], STORM_USAGE);
  if (read.kind !== "values") return read;
  const { values } = read;

  const problems: string[] = [];
  const whole = wholeNumbers(values, problems);
  const clients = whole("clients", STORM_DEFAULTS.clients, 2, MAX_CLIENTS);
  const timeoutSeconds = whole("timeout", STORM_DEFAULTS.timeoutSeconds, 1, 3600, "a whole number of seconds");
  const out = values["out"] === undefined ? STORM_DEFAULTS.out : String(values["out"]).trim();
  if (out === "") problems.push("--out must not be empty");
  let endpoint: string[] | undefined;
  if (values["endpoint"] !== undefined) {
    const raw = String(values["endpoint"]).split(",");
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
