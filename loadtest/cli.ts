/**
 * `npm run loadtest -- <command> [options]`. Exit codes: 0 passed, 1 failed (or could not run),
 * 2 bad command line, 130 interrupted.
 */
import { runChaos } from "./chaos/run";
import { parseCommandLine } from "./options";
import { runSoak } from "./soakRun";
import { runStorm } from "./stormRun";
import { runSwitch } from "./switchRun";

async function main(): Promise<number> {
  const parsed = parseCommandLine(process.argv.slice(2));
  switch (parsed.kind) {
    case "help":
      process.stdout.write(parsed.text);
      return 0;
    case "error":
      process.stderr.write(`loadtest: ${parsed.message}\n`);
      return 2;
    case "storm":
      return runStorm(parsed.options);
    case "soak":
      return runSoak(parsed.options);
    case "switch":
      return runSwitch(parsed.options);
    case "chaos":
      return runChaos(parsed.options);
  }
}

process.exitCode = await main();
// Everything is closed by now, so the process ends by itself; if something still holds it, say so.
setTimeout(() => {
  // This check's own timer is one of the Timeouts listed.
  const holders = process.getActiveResourcesInfo().filter((kind) => kind !== "TTYWrap");
  process.stderr.write(`loadtest: something kept the process alive after the run (${holders.join(", ")}); exiting\n`);
  process.exit();
}, 5000).unref();
