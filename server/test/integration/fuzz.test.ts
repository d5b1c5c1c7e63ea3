/**
 * The protocol fuzzer: random, mutated and hand-built input for every request each room type
 * answers (lobby, space, table; from the host or GM, a plain player and a spectator), derived from
 * the wire contract. After every input: the room still answers a valid request, every
 * reply is success or a Tavern `{ code, message }` (never a raw Colyseus fault, never
 * INTERNAL_ERROR), a closed connection was closed for a documented reason, no exception was caught
 * inside a room and nothing was printed outside the logger.
 *
 * FUZZ_RUNS   inputs per room type (default small enough for `npm test`; `npm run fuzz` runs more)
 * FUZZ_SEED   replay a run (every run prints its seed); FUZZ_PATH with it replays a failure's path
 * FUZZ_ROOMS  a comma-separated subset of lobby,space,table
 * FUZZ_KEEP_GOING=1  record every distinct finding and fail at the end, instead of at the first
 * FUZZ_REPORT=full   the report also counts replies per request type
 */
import fc from "fast-check";
import { harness } from "../support/harness";
import { ConsoleWatch, RoomFixture, Stats, fuzzCase, type FuzzCase, type RoomKind } from "../support/fuzzFixture";
import { Live } from "../support/fuzzValues";

const RUNS = Number(process.env["FUZZ_RUNS"] ?? 100);
const SEED = Number(process.env["FUZZ_SEED"] ?? (Date.now() ^ (Math.random() * 0x7fffffff)) | 0);
const PATH = process.env["FUZZ_PATH"];
const KEEP_GOING = process.env["FUZZ_KEEP_GOING"] === "1";
const FULL_REPORT = process.env["FUZZ_REPORT"] === "full";
const KINDS: RoomKind[] = (process.env["FUZZ_ROOMS"] ?? "lobby,space,table,cabo").split(",").map((k) => k.trim() as RoomKind);

/** A message type that is not UTF-8: Colyseus's decoder printed a console line for each such frame. */
const NOT_UTF8_TYPE: FuzzCase = {
  kind: "raw",
  as: "host",
  frame: {
    label: "broken-type",
    first: 21,
    id: { kind: "number", value: 1_000_001 },
    type: { kind: "bytes", bytes: [0xa4, 0xff, 0xfe, 0xc0, 0x80] },
  },
};
/** A frame over maxPayload: the socket's error went to the console as a plain stack trace. */
const OVERSIZE: FuzzCase = {
  kind: "raw",
  as: "host",
  frame: {
    label: "oversize",
    first: 13,
    type: { kind: "string", value: "chat" },
    payload: { kind: "filler", prefix: [0xc5, 0xff, 0xff], length: 9000 },
  },
};

/** Inputs that once found a defect: run first, every time, before the random ones. */
const REGRESSIONS: Readonly<Record<RoomKind, FuzzCase[]>> = {
  lobby: [NOT_UTF8_TYPE, OVERSIZE].map((c) => ({ ...c, as: "guest" })),
  cabo: [NOT_UTF8_TYPE, OVERSIZE],
  space: [
    NOT_UTF8_TYPE,
    OVERSIZE,
    // A diagonal walk reaches fractional positions, which were sent as float32 and broke stateHash.
    { kind: "request", as: "host", via: "request", type: "move", source: "valid", payload: { dx: 0.6, dy: 0.8 } },
  ],
  table: [
    NOT_UTF8_TYPE,
    // A hand-over with a hidden actor in the table: the new GM must rebuild the whole document at once.
    { kind: "request", as: "host", via: "request", type: "transferHost", source: "valid", payload: { playerId: new Live("playerId", 1) } },
    // A fractional initiative was sent as float32: the GM's rebuilt document no longer hashed to `hash`.
    {
      kind: "request",
      as: "host",
      via: "request",
      type: "encounter",
      source: "valid",
      payload: { type: "addCombatant", source: { kind: "character", id: new Live("entityId", 0) } },
    },
    {
      kind: "request",
      as: "host",
      via: "request",
      type: "encounter",
      source: "valid",
      payload: { type: "setInitiative", combatantId: new Live("combatantId", 0), initiative: 12.3 },
    },
  ],
};

/** Reports go straight to stdout: console output during a run counts as the server's. */
function report(text: string): void {
  process.stdout.write(`${text}\n`);
}

describe("fuzz: every room answers whatever a client sends with a Tavern reply", function () {
  this.timeout(60_000); // booting the shared server; each room type sets its own below
  const watch = new ConsoleWatch();

  before(async () => {
    await harness();
    watch.install();
  });

  after(() => watch.restore());

  for (const kind of KINDS) {
    it(`${kind}: ${RUNS} inputs, each followed by a valid request that must still be answered`, async function () {
      this.timeout(60_000 + RUNS * 1000);
      const { tavern } = await harness();
      const maxPayloadBytes = tavern.services.config.maxPayloadBytes;
      const stats = new Stats();
      const rotateEvery = Math.max(100, Math.ceil(RUNS / 2));
      const fixture = new RoomFixture(kind, stats, watch, maxPayloadBytes, rotateEvery, Math.abs(SEED), KEEP_GOING);
      const started = Date.now();
      report(`fuzz ${kind}: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS}${PATH ? ` FUZZ_PATH=${PATH}` : ""}`);
      try {
        await fc.assert(
          fc.asyncProperty(fuzzCase(kind, maxPayloadBytes), (c) => fixture.run(c)),
          {
            numRuns: RUNS,
            seed: SEED,
            ...(PATH ? { path: PATH } : {}),
            examples: REGRESSIONS[kind].map((c): [FuzzCase] => [c]),
          },
        );
      } finally {
        report(stats.report(kind, Date.now() - started, SEED, FULL_REPORT));
        await fixture.close();
      }
      if (stats.findings.size > 0) {
        throw new Error(`${stats.findings.size} distinct finding(s):\n${[...stats.findings.values()].map((f) => f.example).join("\n\n")}`);
      }
    });
  }
});
