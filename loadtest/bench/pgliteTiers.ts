/**
 * Benchmark (not a test): what running PGlite's WebAssembly on V8's baseline compiler only (as
 * Tavern does, server/src/persistence/database.ts) costs in query time and saves in memory,
 * against V8's default (baseline, then the optimising compiler for hot functions). Each round
 * runs the same workload in two fresh child processes, one per setting, in alternating order:
 * open an in-memory database with Tavern's start parameters, then insert and read back rows the
 * size of audit entries. Prints the medians and the ratio.
 *
 *   npm run bench:pglite -- [--rounds 3] [--statements 2000]
 */
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { parseArgs, promisify } from "node:util";
import { PGLITE_START_PARAMS } from "../../server/src/persistence/database";
import { summarize } from "../stats";

const { values } = parseArgs({
  options: { rounds: { type: "string", default: "3" }, statements: { type: "string", default: "2000" } },
});
const rounds = Number(values.rounds);
const statements = Number(values.statements);
if (!Number.isInteger(rounds) || rounds < 1 || rounds > 20 || !Number.isInteger(statements) || statements < 10 || statements > 100_000) {
  process.stderr.write("bench:pglite: --rounds 1-20, --statements 10-100000\n");
  process.exit(2);
}

interface Timing {
  startMs: number;
  writeMs: number;
  readMs: number;
  peakMb: number;
  rssMb: number;
}

const SETTINGS = {
  "baseline only (Tavern)": ["--no-wasm-tier-up", "--no-wasm-dynamic-tiering"],
  "V8 default (tier-up)": [],
} as const;
type Setting = keyof typeof SETTINGS;

const pglite = pathToFileURL(createRequire(import.meta.url).resolve("@electric-sql/pglite")).href;
// The child times itself and prints one JSON line; the numbers are its own, not the spawn's.
const script = `
const { PGlite } = await import(${JSON.stringify(pglite)});
const { readFileSync } = await import("node:fs");
const [params, count] = [JSON.parse(process.argv[1]), Number(process.argv[2])];
const t0 = performance.now();
const db = await PGlite.create(undefined, { startParams: params });
await db.query("create table audit (id serial primary key, room text, kind text, detail jsonb, at timestamptz default now())");
const t1 = performance.now();
for (let i = 0; i < count; i++) {
  await db.query("insert into audit (room, kind, detail) values ($1, $2, $3)", ["ROOM" + (i % 50), "join", JSON.stringify({ player: "p" + i, seat: i % 20 })]);
}
const t2 = performance.now();
for (let i = 0; i < count; i++) {
  await db.query("select id, kind, detail from audit where room = $1 order by id desc limit 5", ["ROOM" + (i % 50)]);
}
const t3 = performance.now();
const status = readFileSync("/proc/self/status", "utf8");
const kb = (f) => Number(new RegExp("^" + f + ":\\\\s+(\\\\d+)", "m").exec(status)?.[1] ?? NaN);
await db.close();
console.log(JSON.stringify({ startMs: t1 - t0, writeMs: t2 - t1, readMs: t3 - t2, peakMb: kb("VmHWM") / 1024, rssMb: kb("VmRSS") / 1024 }));
`;

const run = promisify(execFile);
async function measure(setting: Setting): Promise<Timing> {
  const args = [...SETTINGS[setting], "--input-type=module", "-e", script, JSON.stringify(PGLITE_START_PARAMS), String(statements)];
  const { stdout } = await run(process.execPath, args, { timeout: 300_000 });
  return JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as Timing;
}

const samples = new Map<Setting, Timing[]>();
const names = Object.keys(SETTINGS) as Setting[];
for (let round = 0; round < rounds; round++) {
  for (const setting of round % 2 === 0 ? names : [...names].reverse()) {
    const timing = await measure(setting);
    samples.set(setting, [...(samples.get(setting) ?? []), timing]);
    process.stderr.write(
      `bench:pglite round ${round + 1}/${rounds} ${setting}: start ${timing.startMs.toFixed(0)} ms, writes ${timing.writeMs.toFixed(0)} ms, reads ${timing.readMs.toFixed(0)} ms\n`,
    );
  }
}

const median = (setting: Setting, field: keyof Timing) => summarize((samples.get(setting) ?? []).map((t) => t[field])).p50 ?? NaN;
const [ours, optimised] = names as [Setting, Setting];
const lines = [
  `PGlite, ${statements} inserts then ${statements} indexed reads, medians of ${rounds} rounds (each in a fresh process):`,
  "",
  "| V8 compiler | start + schema ms | inserts ms | reads ms | peak MB | resident at end MB |",
  "|---|---|---|---|---|---|",
];
for (const setting of names) {
  const cell = (field: keyof Timing) => median(setting, field).toFixed(0);
  lines.push(`| ${setting} | ${cell("startMs")} | ${cell("writeMs")} | ${cell("readMs")} | ${cell("peakMb")} | ${cell("rssMb")} |`);
}
const ratio = (field: keyof Timing) => (median(ours, field) / median(optimised, field)).toFixed(2);
lines.push(
  "",
  `Baseline only against the default: inserts ${ratio("writeMs")}x the time, reads ${ratio("readMs")}x, peak ${ratio("peakMb")}x.`,
);
process.stdout.write(`${lines.join("\n")}\n`);
