/** Command-line options of `npm run loadtest`: usage text and parsing with clear refusals. */
import { parseChaosOptions, type ParsedChaos } from "./chaos/options";
import { parseEndpoint, parseTargets, readOptions, wholeNumbers } from "./cliValues";
import type { TargetName } from "./space/target";
import { parseSoakOptions, type ParsedSoak } from "./soakOptions";
import { parseSwitchOptions, type ParsedSwitch } from "./switchOptions";

export const STORM_DEFAULTS = {
  clients: 60,
  timeoutSeconds: 30,
  out: "loadtest/reports",
} as const;

export const MAX_CLIENTS = 500; // RoomConfig.maxPlayers tops out at 500

export const STORM_USAGE = `Usage: npm run loadtest -- storm [options]

Runs the same join storm against each target in turn, each on a server the script starts
(Tavern: unless given --endpoint):
  tavern    this server (Colyseus schema patches)
  colyseus  a bare Colyseus 0.18 room with the same map and movement and nothing else: a name and
            a position per player (loadtest/bare); what Tavern's guarantees cost shows against it
  snapshot  a plain Socket.IO server that sends the full room state as JSON on every change
  events    a plain Socket.IO server that sends every change as its own JSON event
N players are made ready (on Tavern: a guest sign-in each, not timed), the first creates one
space room, the other N-1 join it at the same instant. Join latency runs from the join call to
the client holding a room view with itself in it: on Tavern the HTTP matchmaking request,
WebSocket and join handshake; on the baselines the Socket.IO connection and the join request.
One report puts the targets side by side: join latency and time to full visibility
(p50/p95/p99/max), visibility (the share of clients that saw all N players with the right names,
none twice), join errors by code, connection drops, the server's CPU during the storm (from its
/metrics) and the bytes each client received.

Exit status: 0 when Tavern's storm passed (100% visibility, no join error, no timeout), 1
otherwise; the baselines' results are reported (and marked FAIL in the report when they fail)
but do not change the exit status. Without tavern in --targets, 0 only when every listed target
passed. 2 on bad options.

Options:
  --clients N         clients per target, 2-${MAX_CLIENTS} (default ${STORM_DEFAULTS.clients})
  --targets LIST      comma-separated, from tavern,colyseus,snapshot,events, run in that order
                      (default all four)
  --endpoint URL      the Tavern server to test (tavern only), e.g. http://127.0.0.1:2567 (default: none; starts
                      its own on a free port of 127.0.0.1 and stops it at the end). Several
                      processes of one cluster: URL,URL,... (the room is created through the
                      first; joiners take turns over all of them, and sign in where they join).
                      Its server CPU needs the admin password in ADMIN_PASSWORD (and ADMIN_USER if
                      not admin). The baselines are always started locally.
  --timeout SECONDS   bound on each target's run, 1-3600 (default ${STORM_DEFAULTS.timeoutSeconds}); leaving the
                      rooms and stopping the server afterwards take at most 15 s more
  --out DIR           directory for the JSON, Markdown and SVG reports (default ${STORM_DEFAULTS.out})
  -h, --help          show this help
`;

export const USAGE = `Usage: npm run loadtest -- <command> [options]

Commands:
  storm     join storm: N clients join one space room at the same instant, against Tavern, a bare
            Colyseus room and two Socket.IO baselines; join latency, time until every client sees all N players,
            server CPU and bytes per client
  switch    room switching: clients hop between rooms rapidly; verifies no ghost player remains
  soak      R rooms x P moving players for T seconds against Tavern, bare Colyseus and two Socket.IO baselines;
            patch latency, bytes per client per second, server CPU, memory and event-loop lag
  chaos     load under a bad network: joins, moves, chat and room switches through a proxy that
            delays, stalls and resets connections; after healing, checks visibility, seats, state
            hashes and acknowledged chat, with time-to-consistency percentiles

Run \`npm run loadtest -- <command> --help\` for a command's options.
`;

export interface StormOptions {
  clients: number;
  /** Run in this order, each on its own server. */
  targets: TargetName[];
  /** Undefined: start a server. Otherwise one URL per process; the first creates the room. */
  endpoint: string[] | undefined;
  timeoutSeconds: number;
  out: string;
}

export type Parsed = { kind: "help"; text: string } | { kind: "storm"; options: StormOptions } | { kind: "error"; message: string };

/** The whole command line: a command with its options, help, or a refusal. */
export function parseCommandLine(argv: readonly string[]): Parsed | ParsedSoak | ParsedSwitch | ParsedChaos {
  const [command, ...rest] = argv;
  if (command === undefined) return { kind: "error", message: `missing command\n\n${USAGE}` };
  if (command === "-h" || command === "--help" || command === "help") return { kind: "help", text: USAGE };
  if (command === "storm") return parseStormOptions(rest);
  if (command === "soak") return parseSoakOptions(rest);
  if (command === "switch") return parseSwitchOptions(rest);
  if (command === "chaos") return parseChaosOptions(rest);
  return { kind: "error", message: `unknown command "${command}"\n\n${USAGE}` };
}

export function parseStormOptions(args: readonly string[]): Parsed {
  const read = readOptions("storm", args, ["clients", "targets", "endpoint", "timeout", "out"], STORM_USAGE);
  if (read.kind !== "values") return read;
  const { values } = read;

  const problems: string[] = [];
  const whole = wholeNumbers(values, problems);
  const clients = whole("clients", STORM_DEFAULTS.clients, 2, MAX_CLIENTS);
  const timeoutSeconds = whole("timeout", STORM_DEFAULTS.timeoutSeconds, 1, 3600, "a whole number of seconds");
  const targets = parseTargets(values["targets"], problems);
  const out = values["out"] === undefined ? STORM_DEFAULTS.out : String(values["out"]).trim();
  if (out === "") problems.push("--out must not be empty");
  let endpoint: string[] | undefined;
  if (values["endpoint"] !== undefined) {
    const raw = String(values["endpoint"]).split(",");
    const parsed = raw.map(parseEndpoint);
    if (parsed.some((e) => e === undefined) || raw.length === 0) {
      problems.push(
        `--endpoint must be http:// or https:// URLs such as http://127.0.0.1:2567 (comma-separated for several), got "${values["endpoint"]}"`,
      );
    } else {
      endpoint = parsed as string[];
    }
  }
  if (problems.length > 0) return { kind: "error", message: `bad options:\n${problems.map((p) => `  ${p}`).join("\n")}` };
  return { kind: "storm", options: { clients, targets, endpoint, timeoutSeconds, out } };
}
