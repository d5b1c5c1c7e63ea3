/**
 * Command line of a Socket.IO baseline server:
 *   node_modules/.bin/node --import tsx loadtest/baseline/server.ts --mode snapshot|events --port N
 * Prints one line when it listens; SIGTERM or SIGINT closes it and exits 0.
 */
import { parseArgs } from "node:util";
import { startBaseline } from "./app";
import { BASELINE_MODES, type BaselineMode } from "./wire";

const USAGE = "Usage: server.ts --mode snapshot|events --port N (0-65535; 0 picks a free port)";

function parseOptions(argv: string[]): { mode: BaselineMode; port: number } {
  const { values } = parseArgs({ args: argv, options: { mode: { type: "string" }, port: { type: "string" } } });
  const mode = BASELINE_MODES.find((m) => m === values.mode);
  const port = Number(values.port);
  if (!mode) throw new Error(`--mode must be one of ${BASELINE_MODES.join(", ")}`);
  if (values.port === undefined || !/^\d+$/.test(values.port) || port > 65535) throw new Error("--port must be 0-65535");
  return { mode, port };
}

async function main(): Promise<void> {
  let options: { mode: BaselineMode; port: number };
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    process.exit(2);
  }
  const server = await startBaseline(options);
  console.log(`baseline ${options.mode} listening on ${server.endpoint}`);
  const stop = (): void => {
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error("baseline close failed:", error);
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

main().catch((error: unknown) => {
  console.error("baseline failed to start:", error);
  process.exit(1);
});
