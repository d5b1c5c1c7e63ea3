/**
 * Benchmark (not a test): how much memory a Tavern server holds, started the way `npm start`
 * starts it (the bundle and Node's flags from package.json). Each run starts a server on a fresh
 * data folder, waits idle, reads its resident memory; restarts it on the same folder (every start
 * after the first) and reads it again; then connects clients in rooms of 20 and reads it with
 * them connected, and once more after they all left (the server gives memory back after a quiet
 * spell: IDLE_MEMORY_RELEASE_SECONDS). The report takes medians over the runs. Peak is the process's high-water mark
 * (VmHWM), which a container's memory limit must allow for.
 *
 *   npm run bench:memory -- [--runs 3] [--idle-seconds 10] [--clients 1000] [--database-url postgres://...]
 *
 * With `--database-url` the server runs on that PostgreSQL database instead of the embedded PGlite
 * (it is migrated, not emptied). Exits 1 if a server failed to start or a client failed to join.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { createRoom, joinRoom, type SpacePeer } from "../space/target";
import { tavernTarget } from "../space/tavernTarget";
import { startServer, type LocalServer } from "../server";
import { summarize } from "../stats";
import { mapLimit } from "../clientKit";
import { startProgress } from "../progress";
import { startCommand } from "../../scripts/startCommand";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    "idle-seconds": { type: "string", default: "10" },
    clients: { type: "string", default: "1000" },
    "database-url": { type: "string" },
  },
});
const runs = Number(values.runs);
const idleSeconds = Number(values["idle-seconds"]);
const clients = Number(values.clients);
const databaseUrl = values["database-url"];
const ROOM_SIZE = 20;
if (
  !Number.isInteger(runs) ||
  runs < 1 ||
  runs > 10 ||
  !(idleSeconds >= 1 && idleSeconds <= 300) ||
  !Number.isInteger(clients) ||
  clients < 0 ||
  clients > 2000
) {
  process.stderr.write("bench:memory: --runs 1-10, --idle-seconds 1-300, --clients 0-2000\n");
  process.exit(2);
}
if (process.platform !== "linux") {
  process.stderr.write("bench:memory reads the server's /proc/<pid>/status: it runs on Linux only\n");
  process.exit(2);
}

interface Reading {
  rssMb: number;
  peakMb: number;
}

/** Resident memory now and its high-water mark, from the kernel's view of the process. */
function readMemory(pid: number): Reading {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
  return { rssMb: kb("VmRSS") / 1024, peakMb: kb("VmHWM") / 1024 };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const extraEnv: Record<string, string> = databaseUrl ? { DATABASE_URL: databaseUrl } : {};

async function idleReading(server: LocalServer): Promise<Reading> {
  await sleep(idleSeconds * 1000);
  return readMemory(server.pid);
}

/** Connects `count` clients in rooms of ROOM_SIZE; resolves once every one holds its room's view. */
async function connect(server: LocalServer, count: number): Promise<SpacePeer[]> {
  const target = tavernTarget(server.endpoint);
  const peers: SpacePeer[] = [];
  const progress = startProgress(() => `bench:memory connecting ${peers.length}/${count} clients`);
  try {
    const rooms = Math.ceil(count / ROOM_SIZE);
    await mapLimit([...Array(rooms).keys()], 4, async (room) => {
      const size = Math.min(ROOM_SIZE, count - room * ROOM_SIZE);
      const { peer, roomKey } = await createRoom(target, `m${room}-0`, ROOM_SIZE);
      peers.push(peer);
      for (let seat = 1; seat < size; seat++) peers.push(await joinRoom(target, roomKey, `m${room}-${seat}`));
    });
  } finally {
    progress.stop();
  }
  return peers;
}

interface Run {
  fresh: Reading;
  reopened: Reading;
  connected: Reading | null;
  left: Reading | null;
}

const command = startCommand();
const deadline = () => Date.now() + 120_000;
const results: Run[] = [];
let failed = false;
for (let run = 1; run <= runs; run++) {
  const first = await startServer(deadline(), extraEnv, [], { keepDataDir: true, idleMemoryRelease: true });
  const dataDir = first.dataDir;
  let reopenedServer: LocalServer | undefined;
  try {
    const fresh = await idleReading(first);
    await first.stop();
    reopenedServer = await startServer(deadline(), { ...extraEnv, DATA_DIR: dataDir }, [], { keepDataDir: false, idleMemoryRelease: true });
    const reopened = await idleReading(reopenedServer);
    let connected: Reading | null = null;
    let left: Reading | null = null;
    if (clients > 0) {
      const peers = await connect(reopenedServer, clients);
      connected = await idleReading(reopenedServer);
      await mapLimit(peers, 50, (peer) => peer.close());
      left = await idleReading(reopenedServer);
    }
    results.push({ fresh, reopened, connected, left });
    const clientReadings =
      connected && left ? `, ${clients} clients ${connected.rssMb.toFixed(0)} MB, after they left ${left.rssMb.toFixed(0)} MB` : "";
    process.stderr.write(
      `bench:memory run ${run}/${runs}: fresh ${fresh.rssMb.toFixed(0)} MB, reopened ${reopened.rssMb.toFixed(0)} MB${clientReadings}\n`,
    );
  } catch (err) {
    failed = true;
    process.stderr.write(`bench:memory run ${run}/${runs} FAILED: ${err instanceof Error ? err.message : String(err)}\n`);
  } finally {
    await first.stop();
    await reopenedServer?.stop();
  }
}

const median = (xs: number[]) => summarize(xs).p50 ?? NaN;
const mb = (x: number) => (Number.isNaN(x) ? "-" : x.toFixed(0));
const row = (label: string, readings: Reading[]) =>
  `| ${label} | ${mb(median(readings.map((r) => r.rssMb)))} | ${mb(median(readings.map((r) => r.peakMb)))} |`;
const connected = results.flatMap((r) => (r.connected ? [r.connected] : []));
const left = results.flatMap((r) => (r.left ? [r.left] : []));
const lines = [
  `Tavern's memory, medians of ${results.length} runs (${databaseUrl ? "PostgreSQL" : "embedded PGlite"}; \`node ${command.nodeArgs.join(" ")} ${command.entry}\`; idle ${idleSeconds} s before each reading):`,
  "",
  "| server | resident MB | peak MB |",
  "|---|---|---|",
  row(
    "idle, first start (a new data folder)",
    results.map((r) => r.fresh),
  ),
  row(
    "idle, started again on that folder",
    results.map((r) => r.reopened),
  ),
];
if (connected.length > 0) {
  lines.push(row(`${clients} clients connected (rooms of ${ROOM_SIZE}, idle)`, connected));
  lines.push(row(`idle again after they all left`, left));
  const perThousand = median(results.flatMap((r) => (r.connected ? [((r.connected.rssMb - r.reopened.rssMb) / clients) * 1000] : [])));
  lines.push("", `Resident memory per 1,000 connected clients: ${mb(perThousand)} MB.`);
}
process.stdout.write(`${lines.join("\n")}\n`);
process.exit(failed ? 1 : 0);
