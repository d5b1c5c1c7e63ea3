/** `npm run loadtest -- chaos`: starts a server unless given one, and the proxy; runs; writes the report. */
import { startProgress, type ProgressLine } from "../progress";
import { RunGuard } from "../runGuard";
import { startServer, type LocalServer } from "../server";
import { CONSISTENCY_LIMIT_SECONDS, type ChaosOptions } from "./options";
import { ChaosProxy } from "./proxy";
import { buildChaosReport, renderChaosSummary, writeChaosReports } from "./report";
import { ChaosRun } from "./scenario";
import type { FaultConfig } from "./schedule";

/** Tavern's default RECONNECT_GRACE_SECONDS: our own server runs with it, and --endpoint's should. */
const GRACE_SECONDS = 30;
/** Leaving every room and stopping the server and the proxy after the run's --timeout. */
const CLEANUP_GRACE_MS = 20_000;

/** The faults of a run: the latency and reset rate given, and stalls, bursts and a bandwidth cap of their own. */
export function faultsOf(options: ChaosOptions): FaultConfig {
  return {
    latencyMinMs: options.jitterMinMs,
    latencyMaxMs: options.jitterMaxMs,
    // A slow mobile link's worth per direction: the join storm's full states queue behind it.
    bandwidthBytesPerSecond: 256 * 1024,
    burstRate: 0.1,
    burstMinMs: 200,
    burstMaxMs: 1000,
    stallRate: 0.02,
    stallMinMs: 1000,
    stallMaxMs: 4000,
    resetRate: options.resetRate,
  };
}

export async function runChaos(options: ChaosOptions): Promise<number> {
  const deadline = Date.now() + options.timeoutSeconds * 1000;
  const guard = new RunGuard(options.timeoutSeconds * 1000 + CLEANUP_GRACE_MS);
  let server: LocalServer | undefined;
  let proxy: ChaosProxy | undefined;
  let run: ChaosRun | undefined;
  let progress: ProgressLine | undefined;
  // The SDK narrates every reconnection attempt (console.info) and every connection closed while
  // joining (console.warn); under these faults that is hundreds of lines burying the report.
  const { info, warn } = console;
  console.info = console.warn = () => {};

  const status = () => {
    if (!run) return "loadtest chaos: starting the server and the proxy";
    const p = run.progress;
    const c = proxy?.counters;
    return (
      `loadtest chaos [${p.phase}]  signed in ${p.signedIn}/${options.clients}  in room ${p.inRoom}  reconnecting ${p.reconnecting}  lost ${p.lost}` +
      `  drops ${p.drops}  switches ${p.switches}  chat ${p.chatsAcked}  consistent ${p.consistent}` +
      (c ? `  resets ${c.resets}  stalls ${c.stalls}  open ${c.open}` : "")
    );
  };

  try {
    progress = guard.progress = startProgress(status);
    if (options.endpoint === undefined)
      server = guard.server = await startServer(deadline, { RECONNECT_GRACE_SECONDS: String(GRACE_SECONDS) });
    const target = new URL(options.endpoint ?? server!.endpoint);
    proxy = await ChaosProxy.start({
      targetHost: target.hostname,
      targetPort: Number(target.port || 80),
      seed: options.seed,
      faults: faultsOf(options),
    });
    run = new ChaosRun({
      endpoint: proxy.endpoint,
      proxy,
      clients: options.clients,
      rooms: options.rooms,
      faultSeconds: options.seconds,
      seed: options.seed,
      graceSeconds: GRACE_SECONDS,
      consistencyLimitMs: CONSISTENCY_LIMIT_SECONDS * 1000,
      deadline,
    });
    const result = await run.run().finally(() => progress?.stop());
    const report = buildChaosReport(options, result, { ...proxy.counters }, server?.log());
    const files = writeChaosReports(report, options.out);
    process.stdout.write(renderChaosSummary(report, files) + "\n");
    return report.passed ? 0 : 1;
  } catch (err) {
    progress?.stop();
    process.stderr.write(`loadtest: chaos could not run: ${(err as Error).message}\n`);
    return 1;
  } finally {
    await proxy?.close();
    await server?.stop();
    Object.assign(console, { info, warn });
    guard.release();
  }
}
