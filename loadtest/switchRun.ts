/** `npm run loadtest -- switch`: starts a server unless given one, runs the hops, writes the report. */
import type { AdminCredentials } from "./adminClient";
import { startProgress, type ProgressLine } from "./progress";
import { startServer, type LocalServer } from "./server";
import { RunGuard } from "./runGuard";
import { RoomSwitch } from "./switch";
import { SETTLE_LIMIT_SECONDS, type SwitchOptions } from "./switchOptions";
import { buildSwitchReport, renderSwitchSummary, writeSwitchReports } from "./switchReport";

/**
 * After --timeout: the last hop leaves (5 s), three bounded waits (clients settling, the server
 * check, the final check) that may each overrun by one admin request (5 s), the final leaves
 * (5 s) and stopping the server (5 s).
 */
const CLEANUP_GRACE_MS = 3 * (SETTLE_LIMIT_SECONDS + 5) * 1000 + 15_000;

/** Runs the room-switching test; 0 when every check passed, 1 when one failed or the run could not happen. */
export async function runSwitch(options: SwitchOptions, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const deadline = Date.now() + options.timeoutSeconds * 1000;
  let server: LocalServer | undefined;
  let run: RoomSwitch | undefined;
  let progress: ProgressLine | undefined;

  const guard = new RunGuard(options.timeoutSeconds * 1000 + CLEANUP_GRACE_MS);

  const status = () => {
    if (!run) return "loadtest switch: starting the server";
    const p = run.progress;
    const planned = options.clients * options.hops;
    const counts =
      p.phase === "sign-in"
        ? `signed in ${p.signedIn}/${options.clients + options.rooms}`
        : `hops ${p.hopsDone}/${planned}  mismatches ${p.mismatches}`;
    return `loadtest switch [${p.phase}]  ${counts}  errors ${p.errors}${p.drops ? `  drops ${p.drops}` : ""}`;
  };

  try {
    progress = guard.progress = startProgress(status);
    if (options.endpoint === undefined) server = guard.server = await startServer(deadline);
    const endpoint = options.endpoint ?? server!.endpoint;
    // Our own server got a password we chose; a server given with --endpoint: its admin's, if we were told.
    const password = server ? server.adminPassword : env["ADMIN_PASSWORD"];
    const admin: AdminCredentials | undefined = password ? { user: env["ADMIN_USER"] || "admin", password } : undefined;
    run = new RoomSwitch({
      endpoint,
      clients: options.clients,
      rooms: options.rooms,
      hops: options.hops,
      pauseMs: options.pauseMs,
      deadline,
      settleLimitMs: SETTLE_LIMIT_SECONDS * 1000,
      admin,
      skippedWhy: "ADMIN_PASSWORD is not set, so the admin API (checks b and c) could not be read",
    });
    const result = await run.run().finally(() => progress?.stop());
    const report = buildSwitchReport(result, server?.log());
    const files = writeSwitchReports(report, options.out);
    process.stdout.write(renderSwitchSummary(report, files) + "\n");
    return report.passed ? 0 : 1;
  } catch (err) {
    progress?.stop();
    process.stderr.write(`loadtest: switch could not run: ${(err as Error).message}\n`);
    return 1;
  } finally {
    await server?.stop();
    guard.release();
  }
}
