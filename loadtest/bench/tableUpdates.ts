/**
 * Benchmark (not a test): how fast a table session applies GM updates, for sessions of 10, 100
 * and 1,000 entities, measured side by side in one run. Each update is what a GM does at the
 * table: a few ops on one entity (HP, a condition, a note). Prints updates per second and the
 * p50/p99 of apply+validate+hash (both hashes) and of the schema sync that follows.
 *
 *   npm run bench -- [--updates 2000]
 */
import { parseArgs } from "node:util";
import { emptyTable, newActor, newCharacter, newItem, type TableDoc } from "@tavern/shared/table/document";
import type { Operation } from "@tavern/shared/table/operations";
import { TableState } from "@tavern/shared/table/state";
import { dnd5eLitePlugin } from "../../server/src/domain/table/plugins/dnd5e-lite";
import { TableSession } from "../../server/src/domain/table/session";
import { nativeDigest } from "../../server/src/rooms/table/docHash";
import { TableStateSync } from "../../server/src/rooms/table/stateSync";
import { SeatViews } from "../../server/src/lifecycle/seatViews";
import { summarize } from "../stats";

const { values } = parseArgs({ options: { updates: { type: "string", default: "2000" }, help: { type: "boolean", short: "h" } } });
if (values.help) {
  console.log("npm run bench -- [--updates N]   GM update apply+hash timings for 10, 100 and 1000 entities");
  process.exit(0);
}
const updates = Number(values.updates);
if (!Number.isInteger(updates) || updates < 10) {
  console.error(`--updates must be a whole number of at least 10 (got "${values.updates}")`);
  process.exit(2);
}

function session(entities: number): TableDoc {
  const doc = emptyTable("Bench", dnd5eLitePlugin.id, dnd5eLitePlugin.defaults.session());
  const characters: TableDoc["characters"] = {};
  const actors: TableDoc["actors"] = {};
  const items: TableDoc["items"] = {};
  for (let i = 0; i < entities; i++) {
    if (i % 10 === 0)
      characters[`c${i}`] = newCharacter({
        name: `Hero ${i}`,
        hp: 30,
        maxHp: 30,
        x: i % 24,
        y: i % 16,
        plugin: dnd5eLitePlugin.defaults.character(),
      });
    else if (i % 3 === 0) items[`i${i}`] = newItem({ name: `Item ${i}` });
    else
      actors[`a${i}`] = newActor({
        name: `Monster ${i}`,
        hp: 50,
        maxHp: 50,
        x: i % 24,
        y: i % 16,
        plugin: dnd5eLitePlugin.defaults.actor(),
      });
  }
  return { ...doc, characters, actors, items };
}

function gmUpdate(doc: TableDoc, n: number): Operation[] {
  const ids = Object.keys(doc.actors);
  const id = ids[n % ids.length]!;
  const conditions = (doc.actors[id]!.plugin["conditions"] as string[]) ?? [];
  return [
    { op: "inc", path: `actors.${id}.hp`, value: n % 2 === 0 ? -1 : 1 },
    conditions.includes("prone")
      ? { op: "pull", path: `actors.${id}.plugin.conditions`, value: "prone" }
      : { op: "push", path: `actors.${id}.plugin.conditions`, value: "prone" },
    { op: "set", path: `actors.${id}.notes`, value: `update ${n}` },
  ];
}

const rows: string[] = [];
for (const entities of [10, 100, 1000]) {
  const table = new TableSession(session(entities), { version: 0, publicVersion: 0 }, dnd5eLitePlugin, nativeDigest);
  const sync = new TableStateSync(new TableState(), new SeatViews());
  sync.sync(table.doc, table.stamp);
  const apply: number[] = [];
  const syncMs: number[] = [];
  // Warm up the JIT and the canonical-form cache before measuring.
  for (let n = 0; n < 200; n++) table.accept(table.prepare(gmUpdate(table.doc, n), { authorId: "gm", kind: "bench" }));
  const started = performance.now();
  for (let n = 0; n < updates; n++) {
    const t0 = performance.now();
    const prepared = table.prepare(gmUpdate(table.doc, n), { authorId: "gm", kind: "bench", baseVersion: table.version });
    table.accept(prepared);
    const t1 = performance.now();
    sync.sync(prepared.doc, table.stamp);
    const t2 = performance.now();
    apply.push(t1 - t0);
    syncMs.push(t2 - t1);
  }
  const seconds = (performance.now() - started) / 1000;
  const a = summarize(apply);
  const s = summarize(syncMs);
  const f = (v: number | null) => (v === null ? "-" : v.toFixed(3));
  rows.push(`| ${entities} | ${updates} | ${Math.round(updates / seconds)} | ${f(a.p50)} | ${f(a.p99)} | ${f(s.p50)} | ${f(s.p99)} |`);
  process.stdout.write(`  ${entities} entities done\n`);
}
console.log("\nGM update apply (ops + validation + hash + public hash) and schema sync, in ms, one process:");
console.log("| entities | updates | updates/s | apply+hash p50 | apply+hash p99 | sync p50 | sync p99 |");
console.log("|---:|---:|---:|---:|---:|---:|---:|");
for (const row of rows) console.log(row);
