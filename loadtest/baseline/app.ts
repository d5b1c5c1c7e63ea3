/**
 * Starts one Socket.IO baseline server (in this process): HTTP routes, Socket.IO on the same HTTP
 * server, rooms with their ticks. The CLI (server.ts) and the tests both start it through here.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import { broadcasterFor } from "./broadcast";
import { handleConnection } from "./connection";
import { httpEndpoints } from "./httpEndpoints";
import { RoomDirectory } from "./roomDirectory";
import type { BaselineIo } from "./serverTypes";
import type { BaselineMode } from "./wire";

export interface BaselineOptions {
  mode: BaselineMode;
  /** 0 picks a free port. */
  port: number;
  host?: string;
}

export interface RunningBaseline {
  endpoint: string;
  close(): Promise<void>;
}

export async function startBaseline({ mode, port, host = "127.0.0.1" }: BaselineOptions): Promise<RunningBaseline> {
  const http = httpEndpoints();
  const httpServer = createServer(http.handle);
  const io: BaselineIo = new Server(httpServer, {
    // The adapters speak WebSocket only, like Tavern's clients; no long-polling fallback to serve.
    transports: ["websocket"],
    // Off, as in Colyseus's ws transport: bytes on the wire are then the same as bytes decoded.
    perMessageDeflate: false,
    serveClient: false,
  });
  const broadcaster = broadcasterFor(mode, io);
  const rooms = new RoomDirectory(broadcaster);
  io.on("connection", (socket) => handleConnection(socket, rooms, broadcaster));

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(port, host, () => {
      httpServer.off("error", reject);
      resolve();
    });
  });
  const { port: actualPort } = httpServer.address() as AddressInfo;

  let closing: Promise<void> | undefined;
  return {
    endpoint: `http://${host}:${actualPort}`,
    close() {
      closing ??= (async () => {
        rooms.closeAll();
        // Disconnects every socket, then closes the HTTP server (which also drops idle
        // keep-alive connections of /metrics scrapers).
        await io.close();
        http.close();
      })();
      return closing;
    },
  };
}
