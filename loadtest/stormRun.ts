/**
 * `npm run loadtest -- storm`: runs the same join storm against each target in turn (each on a
 * server started for it, or Tavern at --endpoint), then writes one report comparing them.
 */
import type { StormOptions } from "./options";
import { startProgress, type ProgressLine } from "./progress";
import { buildReport, type TargetRun } from "./report";
import { RunGuard } from "./runGuard";
import type { LocalServer } from "./server";
import type { TargetName } from "./space/target";
import { emptyStormResult, JoinStorm } from "./storm";
import { renderSummary, writeReports } from "./stormRender";
import { metricsOf, serverFor, targetAt } from "./targetServers";

const CLEANUP_GRACE_MS = 15_000; // leaving the rooms and stopping the server, after --timeout

export async function runStorm(options: StormOptions): Promise<number> {
  const runs: TargetRun[] = [];
  const guard = new RunGuard(options.targets.length * (options.timeoutSeconds * 1000 + CLEANUP_GRACE_MS));
  try {
    for (const name of options.targets) runs.push(await runOne(name, options, guard));
    const report = buildReport(runs);
    const files = writeReports(report, options.out);
    process.stdout.write(renderSummary(report, files) + "\n");
    return report.passed ? 0 : 1;
  } catch (err) {
    process.stderr.write(`loadtest: storm could not report: ${(err as Error).message}\n`);
    return 1;
  } finally {
    guard.release();
  }
}

/** One target's storm; a server that does not start is reported as that target's failure, and the next target runs. */
async function runOne(name: TargetName, options: StormOptions, guard: RunGuard): Promise<TargetRun> {
  const deadline = Date.now() + options.timeoutSeconds * 1000;
  let server: LocalServer | undefined;
  let storm: JoinStorm | undefined;
  const progress: ProgressLine = (guard.progress = startProgress(() => statusLine(name, storm, options.clients)));
  try {
    server = guard.server = await serverFor(name, options.endpoint?.[0], deadline);
    // No server started: Tavern at --endpoint, one URL per process (the room is created on the first).
    const endpoints = server ? [server.endpoint] : (options.endpoint ?? []);
    const [first, ...others] = endpoints.map((endpoint) => targetAt(name, endpoint));
    if (!first) throw new Error(`no endpoint for ${name}`);
    const metrics = endpoints.flatMap((endpoint) => metricsOf(name, endpoint, server) ?? []);
    storm = new JoinStorm({
      target: first,
      joinTargets: [first, ...others],
      clients: options.clients,
      deadline,
      // Every process or none: the CPU of part of a cluster would read as the whole.
      ...(metrics.length === endpoints.length ? { metrics } : {}),
    });
    const result = await storm.run();
    return { result, serverLog: server?.log() };
  } catch (err) {
    const result = emptyStormResult(name, server?.endpoint ?? options.endpoint?.join(",") ?? "-", options.clients);
    result.aborted = (err as Error).message;
    return { result, serverLog: server?.log() };
  } finally {
    progress.stop();
    await server?.stop();
    guard.server = undefined;
  }
}

function statusLine(name: TargetName, storm: JoinStorm | undefined, clients: number): string {
  if (!storm) return `loadtest storm ${name}: starting the server`;
  const p = storm.progress;
  const counts =
    p.phase === "prepare"
      ? `prepared ${p.prepared}/${clients}`
      : `joined ${p.joined}/${clients}  fully visible ${p.fullyVisible}/${clients}`;
  return `loadtest storm ${name} [${p.phase}]  ${counts}  errors ${p.errors}${p.drops ? `  drops ${p.drops}` : ""}`;
}
