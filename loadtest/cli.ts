/**
 * `npm run loadtest -- <command> [options]`. Exit codes: 0 passed, 1 failed (or could not run),
 * 2 bad command line, 130 interrupted.
 */
import { parseCommandLine, type StormOptions } from "./options";
import { startProgress, type ProgressLine } from "./progress";
import { buildReport, renderSummary, writeReports } from "./report";
import { startServer, type LocalServer } from "./server";
import { JoinStorm } from "./storm";

const CLEANUP_GRACE_MS = 15_000; // leaving rooms and stopping the server, after --timeout

async function main(): Promise<number> {
  const parsed = parseCommandLine(process.argv.slice(2));
  if (parsed.kind === "help") {
    process.stdout.write(parsed.text);
    return 0;
  }
  if (parsed.kind === "error") {
    process.stderr.write(`loadtest: ${parsed.message}\n`);
    return 2;
  }
  return runStorm(parsed.options);
}

async function runStorm(options: StormOptions): Promise<number> {
  const deadline = Date.now() + options.timeoutSeconds * 1000;
  let server: LocalServer | undefined;
  let storm: JoinStorm | undefined;
  let progress: ProgressLine | undefined;

  const interrupted = (signal: NodeJS.Signals) => {
    progress?.stop();
    process.stderr.write(`\nloadtest: ${signal}, stopping\n`);
    void (server?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  };
  const hardStop = setTimeout(() => {
    progress?.stop();
    process.stderr.write(`loadtest: still running ${CLEANUP_GRACE_MS / 1000}s after the timeout, giving up\n`);
    void (server?.stop() ?? Promise.resolve()).finally(() => process.exit(1));
  }, options.timeoutSeconds * 1000 + CLEANUP_GRACE_MS);
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);

  const status = () => {
    if (!storm) return "loadtest storm: starting the server";
    const p = storm.progress;
    const n = options.clients;
    const counts = p.phase === "sign-in" ? `signed in ${p.signedIn}/${n}` : `joined ${p.joined}/${n}  fully visible ${p.fullyVisible}/${n}`;
    return `loadtest storm [${p.phase}]  ${counts}  errors ${p.errors}${p.drops ? `  drops ${p.drops}` : ""}`;
  };

  try {
    progress = startProgress(status);
    if (options.endpoint === undefined) server = await startServer(deadline);
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
    clearTimeout(hardStop);
    process.removeListener("SIGINT", interrupted);
    process.removeListener("SIGTERM", interrupted);
  }
}

process.exitCode = await main();
// Everything is closed by now, so the process ends by itself; if something still holds it, say so.
setTimeout(() => {
  process.stderr.write("loadtest: something kept the process alive after the run; exiting\n");
  process.exit();
}, 5000).unref();
