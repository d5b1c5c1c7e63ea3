/** The typed Socket.IO server and socket of the baselines (events from wire.ts). */
import type { Server, Socket } from "socket.io";
import type { ClientToServerEvents, ServerToClientEvents } from "./wire";

// One process with the default in-memory adapter: no server-to-server events. Seats live in each
// connection's closure (connection.ts), so nothing is kept in socket.data either.
type Nothing = Record<string, never>;

export type BaselineIo = Server<ClientToServerEvents, ServerToClientEvents, Nothing, Nothing>;
export type BaselineSocket = Socket<ClientToServerEvents, ServerToClientEvents, Nothing, Nothing>;
