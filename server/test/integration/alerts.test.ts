/**
 * docs/alerts.yml against a real server: the test drives a server into failures (refused joins,
 * clients reporting a state that does not match), scrapes /metrics before and after, and checks
 * that every metric an alert names is exported. With promtool installed (Debian's `prometheus`
 * package; .ci/run installs it), it also checks the rules' syntax and evaluates them on series
 * made of the real scrapes: each counter repeating the step it took in the scenario every
 * minute, each gauge held at its last value. The alerts the scenario must fire fire, with their
 * labels and annotations, and a healthy scrape fires none.
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ADMIN, createSpace, errorOf, httpJson, joinSpace, newPlayer, roomsLeftAfterEach, sleep } from "../support/harness";

const RULES = resolve("docs/alerts.yml");

interface AlertRule {
  name: string;
  expr: string;
  severity: string;
  summary: string;
  description: string;
}

/** The rules as alerts.yml writes them: one `expr:` line each, annotations as quoted strings. */
function readRules(): AlertRule[] {
  const rules: AlertRule[] = [];
  let current: Partial<AlertRule> | undefined;
  const quoted = (line: string) => JSON.parse(line.slice(line.indexOf(":") + 1).trim()) as string;
  for (const line of readFileSync(RULES, "utf8").split("\n")) {
    const t = line.trim();
    if (t.startsWith("- alert:")) rules.push((current = { name: t.slice("- alert:".length).trim() }) as AlertRule);
    else if (current && t.startsWith("expr:")) current.expr = t.slice("expr:".length).trim();
    else if (current && t.startsWith("severity:")) current.severity = t.slice("severity:".length).trim();
    else if (current && t.startsWith("summary:")) current.summary = quoted(t);
    else if (current && t.startsWith("description:")) current.description = quoted(t);
  }
  return rules;
}

/** Metric names an expression reads (a histogram's series by its base name). */
function metricsOf(expr: string): string[] {
  return [...new Set([...expr.matchAll(/\btavern_[a-z_]+/g)].map((m) => m[0].replace(/_bucket$/, "")))];
}

async function scrape(): Promise<string> {
  const auth = Buffer.from(`${ADMIN.user}:${ADMIN.password}`).toString("base64");
  const res = await httpJson("GET", "/metrics", undefined, { authorization: `Basic ${auth}` });
  assert.equal(res.status, 200);
  return String(res.body);
}

/** `name{labels}` → value, for the samples of the given metrics (histograms: their buckets, sums and counts). */
function samplesOf(text: string, names: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line.startsWith("#") || line.trim() === "") continue;
    const series = line.slice(0, line.lastIndexOf(" "));
    const name = series.split("{")[0]!;
    if (names.some((n) => name === n || name === `${n}_bucket` || name === `${n}_sum` || name === `${n}_count`)) {
      out.set(series, Number(line.slice(line.lastIndexOf(" ") + 1)));
    }
  }
  return out;
}

function isCounterLike(series: string): boolean {
  const name = series.split("{")[0]!;
  return /_total$|_bucket$|_sum$|_count$/.test(name);
}

/** promtool input series: counters take their scenario step every minute, gauges stay at their value. */
function inputSeries(before: Map<string, number>, after: Map<string, number>): Array<{ series: string; values: string }> {
  return [...after].map(([series, value]) => {
    const step = isCounterLike(series) ? Math.max(0, value - (before.get(series) ?? 0)) : 0;
    const start = isCounterLike(series) ? (before.get(series) ?? 0) : value;
    return { series: series.includes("{") ? series : `${series}{}`, values: `${start}+${step}x40` };
  });
}

const promtool = spawnSync("promtool", ["--version"]).status === 0;

describe("alert rules (docs/alerts.yml) against a real scrape", function () {
  this.timeout(60_000);
  const rooms = roomsLeftAfterEach();
  const rules = readRules();

  it("every rule names an exported metric, and a scenario's scrape fires exactly the alerts it should", async function () {
    assert.ok(rules.length >= 8, `rules read: ${rules.map((r) => r.name).join(", ")}`);
    for (const r of rules) assert.ok(r.expr && r.severity && r.summary && r.description, `${r.name} is complete`);
    const names = [...new Set(rules.flatMap((r) => metricsOf(r.expr)))];
    const before = await scrape();

    // The scenario, per "minute" of the series: three refused joins to two seated players, and a
    // client reporting a mismatch (reported five times: counted once, the rest are a flood).
    const host = await newPlayer("alert-host");
    const room = await createSpace(host, { maxPlayers: 2 });
    const second = await joinSpace(await newPlayer("alert-guest"), room.state.code);
    rooms.push(room, second);
    for (let i = 0; i < 3; i++) {
      const refused = await errorOf(joinSpace(await newPlayer(`alert-late-${i}`), room.state.code));
      assert.equal(refused.code, "ROOM_FULL");
    }
    for (let i = 0; i < 5; i++) await second.request("integrityMismatch");
    const malformed = await errorOf(second.request("integrityMismatch", { extra: 1 }));
    assert.equal(malformed.code, "VALIDATION_ERROR");
    await sleep(50);
    const after = await scrape();

    for (const name of names) assert.ok(after.includes(`# TYPE ${name} `), `${name} (named by an alert) is exported`);
    const counted = (text: string) =>
      [...samplesOf(text, ["tavern_client_integrity_mismatches_total"])].find(([s]) => s.includes('room_type="space"'))?.[1] ?? 0;
    assert.equal(counted(after) - counted(before), 1, "five reports from one connection count once");

    if (!promtool) {
      this.skip(); // promtool absent: the names are checked above; .ci/run installs it for the rest
    }
    execFileSync("promtool", ["check", "rules", RULES], { stdio: "pipe" });
    const beforeSamples = samplesOf(before, names);
    const afterSamples = samplesOf(after, names);
    const firing: Record<string, Record<string, string>> = {
      TavernJoinsRefusedOften: { room_type: "space" },
      TavernClientIntegrityMismatches: { room_type: "space" },
    };
    const expected = (healthy: boolean) =>
      rules.map((r) => {
        const labels = healthy ? undefined : firing[r.name];
        const fill = (text: string) => text.replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, l: string) => labels?.[l] ?? "");
        return {
          eval_time: "30m",
          alertname: r.name,
          exp_alerts: labels
            ? [
                {
                  exp_labels: { ...labels, severity: r.severity },
                  exp_annotations: { summary: fill(r.summary), description: fill(r.description) },
                },
              ]
            : [],
        };
      });
    const dir = mkdtempSync(join(tmpdir(), "tavern-alerts-"));
    try {
      const file = join(dir, "alerts.test.json");
      writeFileSync(
        file,
        JSON.stringify({
          rule_files: [RULES],
          evaluation_interval: "1m",
          tests: [
            { interval: "1m", input_series: inputSeries(beforeSamples, afterSamples), alert_rule_test: expected(false) },
            { interval: "1m", input_series: inputSeries(beforeSamples, beforeSamples), alert_rule_test: expected(true) },
          ],
        }),
      );
      const run = spawnSync("promtool", ["test", "rules", file], { encoding: "utf8" });
      assert.equal(run.status, 0, `promtool test rules:\n${run.stdout}\n${run.stderr}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
