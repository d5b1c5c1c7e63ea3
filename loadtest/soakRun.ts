/**
 * `npm run loadtest -- soak`: runs the same soak against each target in turn (each on a server
 * started for it, or Tavern at --endpoint), then writes one report comparing them.
 */
import { startProgress, type ProgressLine } from "./progress";
import { RunGuard } from "./runGuard";
import type { LocalServer } from "./server";
import { Soak, type SoakProgress, type SoakResult } from "./space/soak";
import { SoakPool } from "./space/soakPool";
import type { SpaceTarget, TargetName } from "./space/target";
import type { SoakOptions } from "./soakOptions";
import { buildSoakReport, renderSoakSummary, writeSoakReports } from "./soakReport";
import type { SamplerSettings } from "./serverSampler";
import { metricsOf, serverFor, targetAt } from "./targetServers";

const SAMPLE_EVERY_MS = 1000;
const CLEANUP_GRACE_MS = 30_000; // leaving every room and stopping a server

export async function runSoak(options: SoakOptions): Promise<number> {
  const results: SoakResult[] = [];
  let progress: ProgressLine | undefined;
  let server: LocalServer | undefined;
  // Each target's run is bounded by --timeout already (the soak stops at its deadline); cleanup is short.
  const guard = new RunGuard(options.targets.length * (options.timeoutSeconds * 1000 + CLEANUP_GRACE_MS));
  try {
    for (const name of options.targets) {
      const deadline = Date.now() + options.timeoutSeconds * 1000;
      let soak: Soak | SoakPool | undefined;
      progress = guard.progress = startProgress(() => statusLine(name, soak, options));
      try {
        server = guard.server = await serverFor(name, options.endpoint, deadline);
        const { target, sampler } = targetOf(name, options, server);
        const settings = {
          target,
          rooms: options.rooms,
          playersPerRoom: options.players,
          seconds: options.seconds,
          warmupSeconds: options.warmupSeconds,
          inputsPerSecond: options.inputRate,
          joinConcurrency: options.joinConcurrency,
          ...(options.decoders === undefined ? {} : { decodersPerRoom: options.decoders }),
          deadline,
          ...(sampler ? { sampler } : {}),
        };
        // One worker would only add a thread hop: --workers 1 keeps every client in this thread, as before.
        soak = options.workers > 1 ? new SoakPool({ ...settings, workers: options.workers }) : new Soak(settings);
        results.push(await soak.run());
      } catch (err) {
        progress.stop();
        process.stderr.write(`loadtest: soak against ${name} could not run: ${(err as Error).message}\n`);
        return 1;
      } finally {
        progress.stop();
        await server?.stop();
        server = undefined;
      }
    }
    const report = buildSoakReport(results);
    const files = writeSoakReports(report, options.out);
    process.stdout.write(renderSoakSummary(report, files) + "\n");
    return report.passed ? 0 : 1;
  } finally {
    guard.release();
  }
}

function targetOf(
  name: TargetName,
  options: SoakOptions,
  server: LocalServer | undefined,
): { target: SpaceTarget; sampler?: SamplerSettings } {
  const endpoint = server?.endpoint ?? options.endpoint;
  if (endpoint === undefined) throw new Error(`no endpoint for ${name}`);
  const metrics = metricsOf(name, endpoint, server);
  return { target: targetAt(name, endpoint), ...(metrics ? { sampler: { ...metrics, intervalMs: SAMPLE_EVERY_MS } } : {}) };
}

function statusLine(name: TargetName, soak: { readonly progress: SoakProgress } | undefined, options: SoakOptions): string {
  if (!soak) return `loadtest soak ${name}: starting the server`;
  const p = soak.progress;
  const clients = options.rooms * options.players;
  const detail =
    p.phase === "measure"
      ? `second ${p.secondsMeasured}/${options.seconds}  latency p99 last second ${p.lastSecondP99 === null ? "-" : p.lastSecondP99.toFixed(1)} ms`
      : `joined ${p.joined}/${clients}`;
  return `loadtest soak ${name} [${p.phase}]  ${detail}  errors ${p.errors}${p.drops ? `  drops ${p.drops}` : ""}`;
}
