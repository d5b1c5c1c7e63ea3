/** Command-line options of `npm run loadtest -- soak`: usage text and parsing with clear refusals. */
import { parseEndpoint, parseTargets, readOptions, wholeNumbers } from "./cliValues";
import type { TargetName } from "./space/target";

export const SOAK_DEFAULTS = {
  rooms: 10,
  players: 10,
  seconds: 30,
  warmupSeconds: 5,
  inputRate: 10,
  joinConcurrency: 20,
  out: "loadtest/reports",
} as const;

export const MAX_SOAK_CLIENTS = 2000;
/** More threads than this only add context switches on the machines this runs on. */
export const MAX_SOAK_WORKERS = 16;

export const SOAK_USAGE = `Usage: npm run loadtest -- soak [options]

Fills R space rooms with P players each; every player walks in a random direction that changes
now and then, sending inputs at a steady rate. After a warm-up, a measured window records patch
latency (server send time to client decode), bytes per client per second, and the server's CPU,
memory and event-loop lag each second. The same workload runs against each target in turn:
  tavern    this server (Colyseus schema patches)
  colyseus  a bare Colyseus 0.18 room: the same map and movement, a name and position per player
  snapshot  a plain Socket.IO server that sends the full room state as JSON on every change
  events    a plain Socket.IO server that sends every change as its own JSON event
and one report compares them side by side. Exits 0 when every client of every target joined
and still saw exactly its room at the end, 1 otherwise, 2 on bad options.

Options:
  --rooms R             rooms, 1-200 (default ${SOAK_DEFAULTS.rooms})
  --players P           players per room, 1-500 (default ${SOAK_DEFAULTS.players}); R x P at most ${MAX_SOAK_CLIENTS}
  --seconds T           measured window, 1-3600 (default ${SOAK_DEFAULTS.seconds})
  --warmup S            seconds of movement before the window opens, 0-600 (default ${SOAK_DEFAULTS.warmupSeconds})
  --input-rate N        inputs per player per second, 1-60 (default ${SOAK_DEFAULTS.inputRate})
  --targets LIST        comma-separated, from tavern,colyseus,snapshot,events (default all four)
  --endpoint URL        the Tavern server to test (default: the script starts its own on a free
                        port of 127.0.0.1). Its metrics need the admin password in the
                        ADMIN_PASSWORD environment variable; without it the report has no server
                        CPU, memory or lag for Tavern. The baselines are always started locally.
  --join-concurrency N  joins in flight at once while filling the rooms, 1-500 (default ${SOAK_DEFAULTS.joinConcurrency})
  --decoders K          players per room that keep decoding updates, 1-500 (default: all). The
                        others only count the bytes they receive: decoding 1,000 clients' copies
                        saturates a load script that shares the server's machine. Latency and
                        the visibility check come from the decoding players.
  --workers K           worker threads that run the clients, 1-${MAX_SOAK_WORKERS} and at most R (default 1: every
                        client in the script's own thread). Each worker takes whole rooms; the
                        report merges their numbers and gives each worker's event-loop
                        utilization, with a warning when one was saturated. The workers share
                        the machine's cores with a locally started server.
  --timeout SECONDS     bound on each target's run (joining + warm-up + window), 1-7200
                        (default: 120 + warm-up + window)
  --out DIR             directory for the JSON, Markdown and SVG reports (default ${SOAK_DEFAULTS.out})
  -h, --help            show this help

The issue's scale: npm run loadtest -- soak --rooms 50 --players 20 --seconds 60 --workers 2
(every player decodes; add --decoders 2 when the machine cannot decode 1,000 copies)
`;

export interface SoakOptions {
  rooms: number;
  players: number;
  seconds: number;
  warmupSeconds: number;
  inputRate: number;
  targets: TargetName[];
  endpoint: string | undefined;
  joinConcurrency: number;
  /** Undefined: every player decodes. */
  decoders: number | undefined;
  /** Worker threads running the clients; 1 runs them in the script's own thread. */
  workers: number;
  timeoutSeconds: number;
  out: string;
}

export type ParsedSoak = { kind: "help"; text: string } | { kind: "soak"; options: SoakOptions } | { kind: "error"; message: string };

export function parseSoakOptions(args: readonly string[]): ParsedSoak {
  const read = readOptions(
    "soak",
    args,
    [
      "rooms",
      "players",
      "seconds",
      "warmup",
      "input-rate",
      "targets",
      "endpoint",
      "join-concurrency",
      "decoders",
      "workers",
      "timeout",
      "out",
    ],
    SOAK_USAGE,
  );
  if (read.kind !== "values") return read;
  const { values } = read;

  const problems: string[] = [];
  const whole = wholeNumbers(values, problems);
  const rooms = whole("rooms", SOAK_DEFAULTS.rooms, 1, 200);
  const players = whole("players", SOAK_DEFAULTS.players, 1, 500);
  if (rooms * players > MAX_SOAK_CLIENTS) problems.push(`--rooms x --players must be at most ${MAX_SOAK_CLIENTS}, got ${rooms * players}`);
  const seconds = whole("seconds", SOAK_DEFAULTS.seconds, 1, 3600);
  const warmupSeconds = whole("warmup", SOAK_DEFAULTS.warmupSeconds, 0, 600);
  const inputRate = whole("input-rate", SOAK_DEFAULTS.inputRate, 1, 60);
  const joinConcurrency = whole("join-concurrency", SOAK_DEFAULTS.joinConcurrency, 1, 500);
  const decoders = values["decoders"] === undefined ? undefined : whole("decoders", 1, 1, 500);
  const workers = whole("workers", 1, 1, MAX_SOAK_WORKERS);
  // A worker owns whole rooms, so every client of a room sees its room from the same thread.
  if (workers > rooms) problems.push(`--workers must be at most --rooms (${rooms}): a worker runs whole rooms, got ${workers}`);
  const timeoutSeconds = whole("timeout", 120 + warmupSeconds + seconds, 1, 7200);

  const targets = parseTargets(values["targets"], problems);
  let endpoint: string | undefined;
  if (values["endpoint"] !== undefined) {
    endpoint = parseEndpoint(String(values["endpoint"]));
    if (endpoint === undefined)
      problems.push(`--endpoint must be an http:// or https:// URL such as http://127.0.0.1:2567, got "${String(values["endpoint"])}"`);
  }
  const out = values["out"] === undefined ? SOAK_DEFAULTS.out : String(values["out"]).trim();
  if (out === "") problems.push("--out must not be empty");

  if (problems.length > 0) return { kind: "error", message: `bad options:\n${problems.map((p) => `  ${p}`).join("\n")}` };
  return {
    kind: "soak",
    options: {
      rooms,
      players,
      seconds,
      warmupSeconds,
      inputRate,
      targets,
      endpoint,
      joinConcurrency,
      decoders,
      workers,
      timeoutSeconds,
      out,
    },
  };
}
