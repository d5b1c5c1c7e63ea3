/**
 * Binds the HTTP port before anything else is opened. A second `npm start` on a busy port must
 * fail here, before it touches the database another process owns; a bad HOST fails here too.
 */
import type { Server } from "node:http";
import { StartupFailure } from "./failure";

const HOST_ADVICE = "set HOST to 0.0.0.0 (every interface), 127.0.0.1 (this machine only) or an address of this machine";

export function bindPort(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off("listening", onListening);
      reject(new StartupFailure(describeListenError(err, port, host), { cause: err }));
    };
    const onListening = () => {
      server.off("error", onError);
      resolve();
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen(port, host);
  });
}

export function describeListenError(err: NodeJS.ErrnoException, port: number, host: string): string {
  switch (err.code) {
    case "EADDRINUSE":
      return `port ${port} on ${host} is already in use (is another Tavern running?): stop that program, or set PORT to a free port`;
    case "EACCES":
      return `no permission to listen on port ${port} (ports below 1024 need privileges): set PORT to 1024 or above`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
    case "EAI_FAIL":
      return `HOST ${JSON.stringify(host)} is not a name this machine can resolve: ${HOST_ADVICE}`;
    case "EADDRNOTAVAIL":
      return `HOST ${JSON.stringify(host)} is not an address of this machine: ${HOST_ADVICE}`;
    default:
      return `cannot listen on ${host}:${port} (${err.code ?? err.message}): check HOST and PORT`;
  }
}
