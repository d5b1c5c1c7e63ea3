/**
 * Command line of the bare Colyseus server:
 *   node_modules/.bin/node --import tsx loadtest/bare/server.ts --port N
 * One room type, `space` (room.ts), Colyseus's own matchmaking and WebSocket transport with their
 * defaults, and GET /metrics (prom-client's Node defaults, unprefixed, plus the lag histogram the
 * soak reads), open: a throwaway server bound to 127.0.0.1 for one load run. Prints one line when
 * it listens; SIGTERM or SIGINT closes it and exits 0.
 */
import { parseArgs } from "node:util";
import { defineRoom, defineServer } from "@colyseus/core";
import { WebSocketTransport } from "@colyseus/ws-transport";
import { httpEndpoints } from "../baseline/httpEndpoints";
import { BareSpaceRoom } from "./room";

const USAGE = "Usage: server.ts --port N (1-65535)";

function parsePort(argv: string[]): number {
  const { values } = parseArgs({ args: argv, options: { port: { type: "string" } } });
  const port = Number(values.port);
  if (values.port === undefined || !/^\d+$/.test(values.port) || port < 1 || port > 65535) throw new Error("--port must be 1-65535");
  return port;
}

async function main(): Promise<void> {
  let port: number;
  try {
    port = parsePort(process.argv.slice(2));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    process.exit(2);
  }
  const endpoints = httpEndpoints();
  const server = defineServer({
    transport: new WebSocketTransport(),
    greet: false,
    // Signals are handled below, so a stop closes the server the same way every time.
    gracefullyShutdown: false,
    rooms: { space: defineRoom(BareSpaceRoom) },
    express: (app) => {
      app.get(["/metrics", "/healthz"], (req, res) => endpoints.handle(req, res));
    },
  });
  await server.listen(port, "127.0.0.1");
  console.log(`bare colyseus listening on http://127.0.0.1:${port}`);
  const stop = (): void => {
    endpoints.close();
    server.gracefullyShutdown(false).then(
      () => process.exit(0),
      (error: unknown) => {
        console.error("bare colyseus close failed:", error);
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

main().catch((error: unknown) => {
  console.error("bare colyseus failed to start:", error);
  process.exit(1);
});
