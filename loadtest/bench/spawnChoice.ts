/**
 * Benchmark (not a test): what choosing spawn points costs a join storm into one space room
 * (server/src/domain/space/spawn.ts, called once per join with every avatar already there). Each
 * size runs a storm of that many joins in turn, avatars staying where they spawned, and prints
 * the median time of the rounds.
 *
 *   npm run bench:spawn -- [--sizes 100,300] [--rounds 7]
 */
import { parseArgs } from "node:util";
import { SPACE_MAP } from "@tavern/shared/spaceMap";
import { chooseSpawn, type Point } from "../../server/src/domain/space/spawn";
import { summarize } from "../stats";

const { values } = parseArgs({ options: { sizes: { type: "string", default: "100,300" }, rounds: { type: "string", default: "7" } } });
const sizes = String(values.sizes).split(",").map(Number);
const rounds = Number(values.rounds);
if (!sizes.every((n) => Number.isInteger(n) && n >= 1 && n <= 5000) || !Number.isInteger(rounds) || rounds < 1 || rounds > 100) {
  process.stderr.write("bench:spawn: --sizes a list of 1-5000, --rounds 1-100\n");
  process.exit(2);
}

function storm(joins: number): Point[] {
  const avatars: Point[] = [];
  for (let i = 0; i < joins; i++) avatars.push(chooseSpawn(SPACE_MAP, avatars));
  return avatars;
}

storm(Math.max(...sizes)); // warm-up: compiled code and the open-tile cache, as in a running server
for (const size of sizes) {
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    storm(size);
    times.push(performance.now() - started);
  }
  const { p50 } = summarize(times);
  process.stdout.write(
    `spawn choice for a storm of ${size} joins: ${p50?.toFixed(1)} ms (median of ${rounds}; ${(((p50 ?? 0) / size) * 1000).toFixed(0)} µs a join)\n`,
  );
}
