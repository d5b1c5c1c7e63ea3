/** `npm run loadtest -- storm`: starts a server unless given one, runs the storm, writes the report. */
import type { StormOptions } from "./options";
import { startProgress, type ProgressLine } from "./progress";
import { buildReport, renderSummary, writeReports } from "./report";
import { startServer, type LocalServer } from "./server";
import { RunGuard } from "./runGuard";
import { JoinStorm } from "./storm";

const CLEANUP_GRACE_MS = 15_000; // leaving rooms and stopping the server, after --timeout

export async function runStorm(options: StormOptions): Promise<number> {
  const deadline = Date.now() + options.timeoutSeconds * 1000;
  let server: LocalServer | undefined;
  let storm: JoinStorm | undefined;
  let progress: ProgressLine | undefined;
  const guard = new RunGuard(options.timeoutSeconds * 1000 + CLEANUP_GRACE_MS);

  const status = () => {
    if (!storm) return "loadtest storm: starting the server";
    const p = storm.progress;
    const n = options.clients;
    const counts = p.phase === "sign-in" ? `signed in ${p.signedIn}/${n}` : `joined ${p.joined}/${n}  fully visible ${p.fullyVisible}/${n}`;
    return `loadtest storm [${p.phase}]  ${counts}  errors ${p.errors}${p.drops ? `  drops ${p.drops}` : ""}`;
  };

  try {
    progress = guard.progress = startProgress(status);
    if (options.endpoint === undefined) server = guard.server = await startServer(deadline);
    const endpoints = options.endpoint ?? [server!.endpoint];
    storm = new JoinStorm({ endpoint: endpoints[0]!, joinEndpoints: endpoints, clients: options.clients, deadline });
    const result = await storm.run().finally(() => progress?.stop());
    const report = buildReport(result, server?.log());
    const files = writeReports(report, options.out);
    process.stdout.write(renderSummary(report, files) + "\n");
    return report.passed ? 0 : 1;
  } catch (err) {
    progress?.stop();
    process.stderr.write(`loadtest: storm could not run: ${(err as Error).message}\n`);
    return 1;
  } finally {
    await server?.stop();
    guard.release();
  }
}
