/**
 * Benchmark (not a test): the join storm side by side on Tavern, the bare Colyseus room and the
 * Socket.IO baselines, at several sizes, in one run. Every server is started once, in its own
 * process; each round runs one storm per target in a rotating order (so no target always goes
 * first on a warm or cold machine), and the report takes medians over the rounds and prints
 * Tavern's ratios against bare Colyseus. Exits 1 if any storm failed (a client that did not see
 * everyone, a join error, a timeout), 2 on bad options.
 *
 *   npm run bench:storm -- [--sizes 100,300] [--rounds 3] [--targets tavern,colyseus,snapshot,events] [--cpu-prof DIR]
 *
 * `--cpu-prof DIR` profiles every server (Node's --cpu-prof): DIR/<target>/ gets its .cpuprofile
 * when the run ends (open it in Chrome's DevTools, Performance panel, or any cpuprofile viewer).
 */
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { LocalServer } from "../server";
import type { TargetName } from "../space/target";
import { TARGET_NAMES } from "../space/target";
import { summarize } from "../stats";
import { JoinStorm, type StormResult } from "../storm";
import { metricsOf, serverFor, targetAt } from "../targetServers";
import { TARGET_LABELS } from "../targetStyle";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "100,300" },
    rounds: { type: "string", default: "3" },
    targets: { type: "string", default: TARGET_NAMES.join(",") },
    "cpu-prof": { type: "string" },
  },
});
const sizes = values.sizes.split(",").map(Number);
const rounds = Number(values.rounds);
const targets = values.targets.split(",") as TargetName[];
const profileDir = values["cpu-prof"] === undefined ? undefined : resolve(values["cpu-prof"]);
const nodeArgsOf = (name: TargetName) => (profileDir === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${join(profileDir, name)}`]);
if (
  !sizes.every((n) => Number.isInteger(n) && n >= 2 && n <= 500) ||
  !Number.isInteger(rounds) ||
  rounds < 1 ||
  rounds > 20 ||
  !targets.every((t) => (TARGET_NAMES as readonly string[]).includes(t))
) {
  process.stderr.write(`bench:storm: --sizes are 2-500 (comma-separated), --rounds 1-20, --targets from ${TARGET_NAMES.join(",")}\n`);
  process.exit(2);
}

const STORM_TIMEOUT_MS = 60_000;

interface Measured {
  /** Storm start until every client saw all N players. */
  fullViewMs: number;
  serverCpuMs: number | null;
  /** Median over clients of the bytes received during the storm. */
  kbPerClient: number | null;
  /** The server's CPU while every client left afterwards (not part of the storm's numbers). */
  leaveCpuMs: number | null;
  /** This script's CPU during the storm, % of one core (near 100: the generator may be the bottleneck). */
  driverCpuPercent: number | null;
}

function measuredOf(result: StormResult): Measured | string {
  const failed = result.outcomes.filter((o) => o.visibilityProblems.length > 0 || o.error !== null);
  if (result.timedOut || result.aborted || failed.length > 0) {
    return (
      result.timedOut ??
      result.aborted ??
      `${failed.length} clients failed, first: ${failed[0]?.visibilityProblems[0] ?? failed[0]?.error?.code}`
    );
  }
  const bytes = summarize(result.outcomes.flatMap((o) => (o.bytesReceived === null ? [] : [o.bytesReceived]))).p50;
  return {
    fullViewMs: Math.max(...result.outcomes.map((o) => o.visibleMs ?? Infinity)),
    serverCpuMs: result.serverCpu?.cpuMs ?? null,
    leaveCpuMs: result.leaveServerCpuMs,
    kbPerClient: bytes === null ? null : bytes / 1024,
    driverCpuPercent: result.stormCpuPercent,
  };
}

const servers = new Map<TargetName, LocalServer>();
const samples = new Map<string, Measured[]>();
const failures: string[] = [];
const stopAll = () => Promise.all([...servers.values()].map((s) => s.stop()));
process.once("SIGINT", () => void stopAll().finally(() => process.exit(130)));

try {
  for (const name of targets) {
    const server = await serverFor(name, undefined, Date.now() + 60_000, nodeArgsOf(name));
    if (!server) throw new Error(`no server for ${name}`);
    servers.set(name, server);
  }
  for (const clients of sizes) {
    for (let round = 0; round < rounds; round++) {
      // Rotate the order each round: the first storm after a pause meets a colder machine.
      const order = targets.map((_, i) => targets[(i + round) % targets.length] as TargetName);
      for (const name of order) {
        const server = servers.get(name) as LocalServer;
        const metrics = metricsOf(name, server.endpoint, server);
        const storm = new JoinStorm({
          target: targetAt(name, server.endpoint),
          clients,
          deadline: Date.now() + STORM_TIMEOUT_MS,
          ...(metrics ? { metrics: [metrics] } : {}),
        });
        const outcome = measuredOf(await storm.run());
        if (typeof outcome === "string") failures.push(`${name} ${clients} clients round ${round + 1}: ${outcome}`);
        else samples.set(`${name}/${clients}`, [...(samples.get(`${name}/${clients}`) ?? []), outcome]);
        process.stderr.write(
          `bench:storm ${clients} clients round ${round + 1}/${rounds} ${name}: ${typeof outcome === "string" ? `FAILED ${outcome}` : `full view ${outcome.fullViewMs.toFixed(0)} ms, server CPU ${outcome.serverCpuMs?.toFixed(0) ?? "-"} ms`}\n`,
        );
      }
    }
  }
} finally {
  await stopAll();
}

const median = (xs: readonly (number | null)[]): number | null => summarize(xs.filter((x): x is number => x !== null)).p50;
const fmt = (x: number | null, digits = 0) => (x === null ? "-" : x.toFixed(digits));
const lines: string[] = [`Join storm, medians of ${rounds} rounds per target and size (servers in their own processes, one driver):`, ""];
lines.push(
  "| clients | target | full view ms | vs bare | server CPU ms | vs bare | KB/client | vs bare | driver CPU % | leave: server CPU ms |",
);
lines.push("|---|---|---|---|---|---|---|---|---|---|");
for (const clients of sizes) {
  const of = (name: TargetName) => samples.get(`${name}/${clients}`) ?? [];
  const bare = of("colyseus");
  const bareView = median(bare.map((m) => m.fullViewMs));
  const bareCpu = median(bare.map((m) => m.serverCpuMs));
  const bareKb = median(bare.map((m) => m.kbPerClient));
  const ratio = (x: number | null, base: number | null) => (x === null || base === null || base === 0 ? "-" : `${(x / base).toFixed(2)}x`);
  for (const name of targets) {
    const ms = of(name);
    const view = median(ms.map((m) => m.fullViewMs));
    const cpu = median(ms.map((m) => m.serverCpuMs));
    const kb = median(ms.map((m) => m.kbPerClient));
    lines.push(
      `| ${clients} | ${TARGET_LABELS[name]} | ${fmt(view)} | ${ratio(view, bareView)} | ${fmt(cpu)} | ${ratio(cpu, bareCpu)} | ${fmt(kb, 1)} | ${ratio(kb, bareKb)} | ${fmt(median(ms.map((m) => m.driverCpuPercent)))} | ${fmt(median(ms.map((m) => m.leaveCpuMs)))} |`,
    );
  }
}
if (failures.length > 0) lines.push("", `FAILED storms (${failures.length}):`, ...failures.map((f) => `  ${f}`));
if (profileDir !== undefined) lines.push("", `CPU profiles of the servers: ${profileDir}/<target>/*.cpuprofile`);
process.stdout.write(lines.join("\n") + "\n");
process.exitCode = failures.length > 0 ? 1 : 0;
