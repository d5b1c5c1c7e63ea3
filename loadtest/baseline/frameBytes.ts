/**
 * Counts the bytes a Socket.IO client receives, at the WebSocket frame level: every incoming
 * message's payload, so Engine.IO's open packet and pings, Socket.IO's packet prefixes
 * (`42["state",...]`), acks and the JSON itself all count. That is the same place Tavern's count
 * is taken (each WebSocket message of the Colyseus client), so targets compare like for like.
 * Frame headers (2-10 bytes each) and TCP/IP overhead are not counted, on any target.
 */
import type { Socket } from "socket.io-client";
import { payloadBytes } from "../payloadBytes";

/** The part of a WebSocket we use: the standard EventTarget API, which both `ws` and WHATWG have. */
interface FrameSource {
  addEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
  addEventListener(type: "close", listener: () => void): void;
}

export interface FrameCounter {
  bytes(): number;
  /** Settles when the WebSocket has closed (never rejects). */
  closed: Promise<void>;
}

/**
 * Must be called in the same tick as io(): engine.io-client creates the WebSocket synchronously
 * there, and no frame can be delivered before this listener is added.
 */
export function countIncomingFrames(socket: Socket): FrameCounter {
  // engine.io-client keeps the WebSocket in the transport's protected `ws` field; there is no
  // public accessor, so read it structurally and fail loudly if a new version moves it.
  const ws = (socket.io.engine?.transport as unknown as { ws?: unknown } | undefined)?.ws;
  if (!isFrameSource(ws)) {
    throw new Error("countIncomingFrames: no WebSocket on the engine.io transport (transports must be ['websocket'])");
  }
  let total = 0;
  ws.addEventListener("message", (event) => {
    total += payloadBytes(event.data);
  });
  const closed = new Promise<void>((resolve) => ws.addEventListener("close", () => resolve()));
  return { bytes: () => total, closed };
}

function isFrameSource(value: unknown): value is FrameSource {
  return typeof value === "object" && value !== null && typeof (value as FrameSource).addEventListener === "function";
}
