/**
 * What every load command needs around its run: on Ctrl-C or SIGTERM, and when the run overstays
 * its bound, stop the progress line and the server it started before exiting, so no server
 * process is ever left behind.
 */
import type { ProgressLine } from "./progress";
import type { LocalServer } from "./server";

export class RunGuard {
  /** The server to stop on the way out (the one running now, if several run in turn). */
  server: LocalServer | undefined;
  progress: ProgressLine | undefined;
  private readonly hardStop: NodeJS.Timeout | undefined;
  private readonly onSignal = (signal: NodeJS.Signals) => this.bail(`\nloadtest: ${signal}, stopping\n`, 130);

  /** hardStopAfterMs: give up (exit 1) if the run is still going then. */
  constructor(hardStopAfterMs?: number) {
    if (hardStopAfterMs !== undefined) {
      this.hardStop = setTimeout(
        () =>
          this.bail(`loadtest: still running ${Math.round(hardStopAfterMs / 1000)}s after it started, past its timeout; giving up\n`, 1),
        hardStopAfterMs,
      );
    }
    process.once("SIGINT", this.onSignal);
    process.once("SIGTERM", this.onSignal);
  }

  /** Call once the run has cleaned up after itself. */
  release(): void {
    clearTimeout(this.hardStop);
    process.removeListener("SIGINT", this.onSignal);
    process.removeListener("SIGTERM", this.onSignal);
  }

  private bail(message: string, code: number): void {
    this.progress?.stop();
    process.stderr.write(message);
    void (this.server?.stop() ?? Promise.resolve()).finally(() => process.exit(code));
  }
}
