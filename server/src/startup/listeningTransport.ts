/**
 * The WebSocket transport on an HTTP server that is already listening. main.ts binds the port
 * before it opens the database (see bindPort.ts), so by the time Colyseus is told to listen the
 * socket is bound: listen() only reports it.
 */
import type { Server } from "node:http";
import { WebSocketTransport, type TransportOptions } from "@colyseus/ws-transport";

export class ListeningTransport extends WebSocketTransport {
  constructor(server: Server, options: TransportOptions) {
    // attachToServer, not { server }: the constructor starts the ping of idle clients on the
    // "listening" event, which has already happened; attachToServer starts it at once.
    super({ ...options, noServer: true });
    this.attachToServer(server);
    // This process owns the server (attachToServer assumes a shared one): shutdown closes it.
    this.shouldShutdownServer = true;
  }

  override listen(_port: number, _hostname?: string, _backlog?: number, listeningListener?: () => void): this {
    listeningListener?.();
    return this;
  }
}
