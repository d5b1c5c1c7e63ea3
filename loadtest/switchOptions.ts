/** Options of `npm run loadtest -- switch`: usage text and parsing with clear refusals. */
import { parseEndpoint, readOptions, wholeNumbers } from "./cliValues";

export const SWITCH_DEFAULTS = {
  clients: 40,
  rooms: 4,
  hops: 10,
  pauseMs: 50,
  timeoutSeconds: 60,
  out: "loadtest/reports",
} as const;

/** Every hopper may end up in one room beside its observer, and RoomConfig.maxPlayers tops out at 500. */
export const SWITCH_MAX_CLIENTS = 499;
export const SWITCH_MAX_ROOMS = 50;
export const SWITCH_MAX_HOPS = 1000;
export const SWITCH_MAX_PAUSE_MS = 10_000;
/** After the hops, how long clients' views (and then the server's) may take to match the truth. */
export const SETTLE_LIMIT_SECONDS = 10;

export const SWITCH_USAGE = `Usage: npm run loadtest -- switch [options]

Room switching: signs in R observers and N hoppers, creates R space rooms (one per observer, who
stays in it), spreads the hoppers over them, then every hopper does H hops: a consented leave of
its room and, without waiting for that leave to be confirmed, a join of another room by its code.
Afterwards it checks that every room, as every client in it sees it and as GET /admin/rooms and
/admin/rooms/:code/state show it, holds exactly the players the script put there (no ghost, nobody
missing or twice, all connected), and that once everyone left no room lists players and every
room's audit events close each seat they opened. Reports hop latency (leave call to next join
resolved) p50/p95/p99/max, errors by code, ghosts and settle time. Exits 0 only when every check
passed, 1 otherwise, 2 on bad options.

Options:
  --clients N         hoppers, 1-${SWITCH_MAX_CLIENTS} (default ${SWITCH_DEFAULTS.clients}); the R observers come on top
  --rooms R           rooms (and observers), 2-${SWITCH_MAX_ROOMS} (default ${SWITCH_DEFAULTS.rooms})
  --hops H            hops per hopper, 1-${SWITCH_MAX_HOPS} (default ${SWITCH_DEFAULTS.hops})
  --pause-ms MS       each hop waits a random 0..MS ms first, 0-${SWITCH_MAX_PAUSE_MS} (default ${SWITCH_DEFAULTS.pauseMs})
  --endpoint URL      server to test, e.g. http://127.0.0.1:2567 (default: none; starts its own
                      server on a free port of 127.0.0.1 and stops it at the end). The admin
                      checks then use ADMIN_USER (default admin) and ADMIN_PASSWORD from this
                      script's environment; without ADMIN_PASSWORD they are skipped (the report
                      says so) and only the clients' views are checked. That server's
                      HTTP_RATE_LIMIT_PER_MINUTE (default 120) applies to the N+R sign-ins
  --timeout SECONDS   bound on sign-in, room creation and the hops, 1-3600 (default ${SWITCH_DEFAULTS.timeoutSeconds});
                      afterwards the clients' views, the server check and the check after
                      leaving may each take ${SETTLE_LIMIT_SECONDS} s to come out clean, so a failing run takes
                      up to about a minute more
  --out DIR           directory for the JSON, Markdown and SVG reports (default ${SWITCH_DEFAULTS.out})
  -h, --help          show this help
`;

export interface SwitchOptions {
  /** Hoppers (observers not included). */
  clients: number;
  rooms: number;
  hops: number;
  /** Upper bound of the random pause before each hop. */
  pauseMs: number;
  /** Undefined: start a server. */
  endpoint: string | undefined;
  timeoutSeconds: number;
  out: string;
}

export type ParsedSwitch = { kind: "help"; text: string } | { kind: "switch"; options: SwitchOptions } | { kind: "error"; message: string };

export function parseSwitchOptions(args: readonly string[]): ParsedSwitch {
  const read = readOptions("switch", args, ["clients", "rooms", "hops", "pause-ms", "endpoint", "timeout", "out"], SWITCH_USAGE);
  if (read.kind !== "values") return read;
  const { values } = read;

  const problems: string[] = [];
  const whole = wholeNumbers(values, problems);
  const clients = whole("clients", SWITCH_DEFAULTS.clients, 1, SWITCH_MAX_CLIENTS);
  const rooms = whole("rooms", SWITCH_DEFAULTS.rooms, 2, SWITCH_MAX_ROOMS);
  const hops = whole("hops", SWITCH_DEFAULTS.hops, 1, SWITCH_MAX_HOPS);
  const pauseMs = whole("pause-ms", SWITCH_DEFAULTS.pauseMs, 0, SWITCH_MAX_PAUSE_MS, "a whole number of milliseconds");
  const timeoutSeconds = whole("timeout", SWITCH_DEFAULTS.timeoutSeconds, 1, 3600, "a whole number of seconds");
  const out = values["out"] === undefined ? SWITCH_DEFAULTS.out : String(values["out"]).trim();
  if (out === "") problems.push("--out must not be empty");
  let endpoint: string | undefined;
  if (values["endpoint"] !== undefined) {
    const raw = String(values["endpoint"]).trim();
    // One URL: unlike storm, switch does not spread its clients over the processes of a cluster.
    endpoint = raw.includes(",") ? undefined : parseEndpoint(raw);
    if (endpoint === undefined) {
      problems.push(`--endpoint must be one http:// or https:// URL such as http://127.0.0.1:2567, got "${values["endpoint"]}"`);
    }
  }
  if (problems.length > 0) return { kind: "error", message: `bad options:\n${problems.map((p) => `  ${p}`).join("\n")}` };
  return { kind: "switch", options: { clients, rooms, hops, pauseMs, endpoint, timeoutSeconds, out } };
}
