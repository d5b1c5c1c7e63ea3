/** Options of `npm run loadtest -- chaos`: usage text and parsing with clear refusals. */
import { parseEndpoint, readOptions, wholeNumbers } from "../cliValues";

export const CHAOS_DEFAULTS = {
  clients: 200,
  rooms: 4,
  seconds: 30,
  jitterMinMs: 100,
  jitterMaxMs: 400,
  resetRate: 0.02,
  timeoutSeconds: 180,
  out: "loadtest/reports",
} as const;

export const CHAOS_MAX_CLIENTS = 499;
export const CHAOS_MAX_ROOMS = 50;
export const CHAOS_MAX_SECONDS = 600;
export const CHAOS_MAX_JITTER_MS = 5000;
/** After healing, how long every client may take to be consistent before what is left counts as violations. */
export const CONSISTENCY_LIMIT_SECONDS = 20;

export const CHAOS_USAGE = `Usage: npm run loadtest -- chaos [options]

Load under a bad network: starts Tavern (unless given --endpoint) and a fault-injecting TCP proxy
in front of it (loadtest/chaos/proxy.ts), and sends everything through the proxy: guest sign-ins,
matchmaking and the rooms' WebSockets. With faults on for --seconds: R rooms are created, N
clients join them at once, move, chat (acknowledged requests), and a fifth of them switch rooms;
connections get 100-400 ms of latency each way (--jitter), bandwidth caps, bursts, half-open
stalls and resets (--reset-rate), and dropped clients come back through the SDK's reconnection.
Then the network heals and every client must become consistent within ${CONSISTENCY_LIMIT_SECONDS} s: it sees exactly
the connected clients the script believes are in its room (no ghost, nobody twice), a dropped
client that came back holds its own seat, its state hash matches the server's, and every chat
line the server acknowledged in its room is in its state. Reports time-to-consistency
percentiles (heal -> consistent), the proxy's counters and every violation by kind. Exits 0 with
no violation, 1 otherwise, 2 on bad options.

Options:
  --clients N         clients, 2-${CHAOS_MAX_CLIENTS} (default ${CHAOS_DEFAULTS.clients}); the first R create the rooms
  --rooms R           rooms, 1-${CHAOS_MAX_ROOMS} (default ${CHAOS_DEFAULTS.rooms}), at most --clients
  --seconds S         how long the faults last, 1-${CHAOS_MAX_SECONDS} (default ${CHAOS_DEFAULTS.seconds})
  --jitter MIN-MAX    one-way latency range in ms, 0-${CHAOS_MAX_JITTER_MS} (default ${CHAOS_DEFAULTS.jitterMinMs}-${CHAOS_DEFAULTS.jitterMaxMs})
  --reset-rate F      share of the open connections reset each second, 0-1 (default ${CHAOS_DEFAULTS.resetRate})
  --seed N            seed of the proxy's fault schedule and the script's choices, 0-4294967295
                      (default: a random one, printed in the report, so a run can be repeated)
  --endpoint URL      a Tavern server to proxy to, e.g. http://127.0.0.1:2567 (default: none; starts
                      its own on a free port of 127.0.0.1 and stops it at the end). Its
                      RECONNECT_GRACE_SECONDS should be the default 30, and its rate limits high
                      enough for the sign-ins and joins
  --tolerate KINDS    violation kinds (comma-separated, e.g. seat-not-returned) that are counted
                      and reported but do not fail the run: for a known, open finding, so that the
                      run still fails on every other kind (default: none)
  --timeout SECONDS   bound on the whole run, 10-3600 (default ${CHAOS_DEFAULTS.timeoutSeconds})
  --out DIR           directory for the JSON and Markdown reports (default ${CHAOS_DEFAULTS.out})
  -h, --help          show this help
`;

export interface ChaosOptions {
  clients: number;
  rooms: number;
  seconds: number;
  jitterMinMs: number;
  jitterMaxMs: number;
  resetRate: number;
  seed: number;
  /** Undefined: start a server. */
  endpoint: string | undefined;
  timeoutSeconds: number;
  out: string;
  /** Violation kinds reported without failing the run (known findings). */
  tolerate: string[];
}

export type ParsedChaos = { kind: "help"; text: string } | { kind: "chaos"; options: ChaosOptions } | { kind: "error"; message: string };

/** `random` picks the seed when none is given (injectable for tests). */
export function parseChaosOptions(args: readonly string[], random: () => number = Math.random): ParsedChaos {
  const names = ["clients", "rooms", "seconds", "jitter", "reset-rate", "seed", "endpoint", "timeout", "out", "tolerate"];
  const read = readOptions("chaos", args, names, CHAOS_USAGE);
  if (read.kind !== "values") return read;
  const { values } = read;

  const problems: string[] = [];
  const whole = wholeNumbers(values, problems);
  const clients = whole("clients", CHAOS_DEFAULTS.clients, 2, CHAOS_MAX_CLIENTS);
  const rooms = whole("rooms", CHAOS_DEFAULTS.rooms, 1, CHAOS_MAX_ROOMS);
  if (rooms > clients) problems.push(`--rooms (${rooms}) must not exceed --clients (${clients}): each room has a creator`);
  const seconds = whole("seconds", CHAOS_DEFAULTS.seconds, 1, CHAOS_MAX_SECONDS, "a whole number of seconds");
  const timeoutSeconds = whole("timeout", CHAOS_DEFAULTS.timeoutSeconds, 10, 3600, "a whole number of seconds");
  const seed = whole("seed", Math.floor(random() * 2 ** 32), 0, 2 ** 32 - 1);

  let jitterMinMs: number = CHAOS_DEFAULTS.jitterMinMs;
  let jitterMaxMs: number = CHAOS_DEFAULTS.jitterMaxMs;
  if (values["jitter"] !== undefined) {
    const match = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(String(values["jitter"]));
    const [min, max] = match ? [Number(match[1]), Number(match[2])] : [NaN, NaN];
    if (!(min <= max && max <= CHAOS_MAX_JITTER_MS)) {
      problems.push(
        `--jitter must be MIN-MAX in ms with 0 <= MIN <= MAX <= ${CHAOS_MAX_JITTER_MS}, such as 100-400, got "${String(values["jitter"])}"`,
      );
    } else {
      [jitterMinMs, jitterMaxMs] = [min, max];
    }
  }

  let resetRate: number = CHAOS_DEFAULTS.resetRate;
  if (values["reset-rate"] !== undefined) {
    const raw = String(values["reset-rate"]).trim();
    const value = /^(\d+(\.\d*)?|\.\d+)$/.test(raw) ? Number(raw) : NaN;
    if (!(value >= 0 && value <= 1)) problems.push(`--reset-rate must be a fraction per second from 0 to 1, such as 0.02, got "${raw}"`);
    else resetRate = value;
  }

  const out = values["out"] === undefined ? CHAOS_DEFAULTS.out : String(values["out"]).trim();
  if (out === "") problems.push("--out must not be empty");
  let endpoint: string | undefined;
  if (values["endpoint"] !== undefined) {
    const raw = String(values["endpoint"]).trim();
    endpoint = raw.includes(",") ? undefined : parseEndpoint(raw);
    if (endpoint === undefined || !endpoint.startsWith("http://")) {
      // The proxy forwards plain TCP: it cannot stand in front of TLS without terminating it.
      problems.push(`--endpoint must be one http:// URL such as http://127.0.0.1:2567, got "${String(values["endpoint"])}"`);
      endpoint = undefined;
    }
  }
  const tolerate =
    values["tolerate"] === undefined
      ? []
      : String(values["tolerate"])
          .split(",")
          .map((k) => k.trim())
          .filter((k) => k !== "");
  for (const kind of tolerate)
    if (!/^[a-z-]{1,40}$/.test(kind)) problems.push(`--tolerate takes violation kinds such as seat-not-returned, got "${kind}"`);
  if (problems.length > 0) return { kind: "error", message: `bad options:\n${problems.map((p) => `  ${p}`).join("\n")}` };
  return {
    kind: "chaos",
    options: { clients, rooms, seconds, jitterMinMs, jitterMaxMs, resetRate, seed, endpoint, timeoutSeconds, out, tolerate },
  };
}
