import type { IncomingMessage, Server, ServerResponse } from "node:http";

/**
 * Answers 503 while the server starts (the port is bound before the rooms and routes exist), so an
 * early health check gets an answer instead of a connection that hangs. It steps aside as soon as
 * the real request handler is attached, and is removed once the server is ready.
 */
export function answerWhileStarting(server: Server): () => void {
  const handler = (_req: IncomingMessage, res: ServerResponse) => {
    if (server.listenerCount("request") > 1) return;
    res.writeHead(503, { "retry-after": "1", "content-type": "text/plain" }).end("starting\n");
  };
  server.on("request", handler);
  return () => server.off("request", handler);
}
