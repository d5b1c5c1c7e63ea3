/**
 * The baselines' plain HTTP routes: GET /healthz and GET /metrics (prom-client's Node defaults,
 * unprefixed, so `process_cpu_user_seconds_total` reads the same on every target). Unauthenticated
 * on purpose: a throwaway server bound to 127.0.0.1 for one load run. Socket.IO answers its own
 * /socket.io/ path before these handlers are reached.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { collectDefaultMetrics, Registry } from "prom-client";
import { startLoopLagProbe } from "../../server/src/observability/loopLag";

export function httpEndpoints(): {
  handle: (req: IncomingMessage, res: ServerResponse) => void;
  registry: Registry;
  /** Stops the lag probe and empties the registry. */
  close: () => void;
} {
  // A registry of its own: two baselines started in one test process must not share one.
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // Tavern's own lag histogram, so the soak reads the same measure on every target.
  const lag = startLoopLagProbe(registry, "event_loop_lag_seconds");

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method === "GET" && path === "/healthz") {
      res.writeHead(200, { "content-type": "text/plain" }).end("ok\n");
    } else if (req.method === "GET" && path === "/metrics") {
      registry.metrics().then(
        (text) => res.writeHead(200, { "content-type": registry.contentType }).end(text),
        (error: unknown) => res.writeHead(500, { "content-type": "text/plain" }).end(`${String(error)}\n`),
      );
    } else {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
    }
  };
  const close = () => {
    lag.stop();
    registry.clear();
  };
  return { handle, registry, close };
}
