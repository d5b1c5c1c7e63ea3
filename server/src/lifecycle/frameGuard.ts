/**
 * The first reader of every frame a client sends to a room (every Tavern room type and the lobby).
 * Colyseus answers a bad frame in ways that hurt: an unregistered message type is echoed into the
 * close reason (a reason over 123 bytes makes `ws` throw inside its listener), malformed msgpack
 * prints a plain-text stack trace per frame, and a request of an unknown type is answered with a
 * raw `{ name, message }`. The guard reads the frame's header and payload first, answers anything
 * it will not pass on with a Tavern `{ code, message }`, and closes a client that keeps sending
 * garbage. A frame it passes on is dispatched by Colyseus as before; a throw while dispatching
 * closes the client that sent the frame, never the room or the process.
 */
import { CloseCode, getMessageBytes, Protocol, type Client, type Room } from "@colyseus/core";
import { decode } from "@colyseus/schema";
import { unpack } from "msgpackr";
import type { ErrorBody } from "@tavern/shared/errors";
import type { Logger } from "../logger";
import type { Metrics } from "../observability/metrics";

const CODE_MASK = 0b0001_1111;
/** ResponseStatus.REJECTED: the SDK rejects `room.request()` with the payload as the reason. */
const REJECTED = 1;
/** A message type longer than this is not one of ours; it is never echoed back whole. */
const MAX_TYPE_LENGTH = 64;
/** Malformed frames a client may send within one window before it is closed. */
export const MALFORMED_FRAME_LIMIT = 5;
/** The window for the limit above, and the least time between two log lines about one client. */
export const MALFORMED_WINDOW_MS = 10_000;

/** What the guard learned from a frame's first bytes. */
export type FrameVerdict =
  | { kind: "pass" }
  | { kind: "unknown"; requestId: number | undefined; type: string }
  | { kind: "malformed"; requestId: number | undefined; why: string };

/** Frame kinds that name a message type and may carry a msgpack payload. */
const TYPED_FRAMES = new Set<number>([Protocol.ROOM_DATA, Protocol.ROOM_REQUEST, Protocol.ROOM_DATA_BYTES]);

/**
 * Reads a frame's header the way Colyseus will, without throwing: which message type it names and
 * whether its payload decodes. `isHandled` says whether the room answers that type.
 */
export function inspectFrame(buffer: Uint8Array, isHandled: (type: string) => boolean): FrameVerdict {
  if (!(buffer instanceof Uint8Array) || buffer.byteLength === 0) return { kind: "malformed", requestId: undefined, why: "empty frame" };
  const code = buffer[0]! & CODE_MASK;
  if (!TYPED_FRAMES.has(code)) return { kind: "pass" };
  const it = { offset: 1 };
  let requestId: number | undefined;
  let type: string;
  try {
    if (code === Protocol.ROOM_REQUEST) {
      requestId = decode.number(buffer, it);
      // An id cut off by the frame's end reads as some number: answering it could settle another request of the client's.
      const idCut = it.offset > buffer.byteLength;
      if (idCut || !Number.isSafeInteger(requestId) || requestId < 0)
        return { kind: "malformed", requestId: undefined, why: "bad request id" };
    }
    if (it.offset >= buffer.byteLength) return { kind: "malformed", requestId, why: "no message type" };
    const isString = decode.stringCheck(buffer, it);
    if (isString) {
      // Colyseus's decoder stops at the frame's end without a word: a declared length past it is ours to catch.
      const { start, end } = stringBounds(buffer, it.offset);
      if (end > buffer.byteLength) return { kind: "malformed", requestId, why: "truncated message type" };
      // On a byte that is not UTF-8 it prints a line to the console for every such frame (and decodes
      // the encoding of a lone surrogate as one): checked here first, so such a type never reaches it.
      if (!isUtf8(buffer.subarray(start, end))) return { kind: "malformed", requestId, why: "message type is not UTF-8 text" };
    }
    const raw = isString ? decode.string(buffer, it) : decode.number(buffer, it);
    if (it.offset > buffer.byteLength || (typeof raw === "number" && !Number.isFinite(raw))) {
      return { kind: "malformed", requestId, why: "truncated message type" };
    }
    type = String(raw);
    if (code === Protocol.ROOM_DATA_BYTES) return isHandled(`_$b${type}`) ? { kind: "pass" } : { kind: "unknown", requestId, type };
    if (buffer.byteLength > it.offset) unpack(buffer.subarray(it.offset, buffer.byteLength));
  } catch {
    return { kind: "malformed", requestId, why: "payload is not msgpack" };
  }
  if (type === "*" || type.length > MAX_TYPE_LENGTH || !isHandled(type)) return { kind: "unknown", requestId, type };
  return { kind: "pass" };
}

/** Where the bytes of a string that starts at `offset` begin and end, by its declared length (Colyseus writes str16/str32 lengths little-endian). */
function stringBounds(buffer: Uint8Array, offset: number): { start: number; end: number } {
  const prefix = buffer[offset]!;
  const byte = (i: number) => buffer[offset + i] ?? 0;
  const span = (header: number, length: number) => ({ start: offset + header, end: offset + header + length });
  if (prefix >= 0xa0 && prefix <= 0xbf) return span(1, prefix & 0x1f);
  if (prefix === 0xd9) return span(2, byte(1));
  if (prefix === 0xda) return span(3, byte(1) | (byte(2) << 8));
  return span(5, (byte(1) | (byte(2) << 8) | (byte(3) << 16)) + byte(4) * 2 ** 24);
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function isUtf8(bytes: Uint8Array): boolean {
  try {
    utf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** A message type as it may appear in a reply: bounded, so no client text grows a frame or a log line. */
export function quoteType(type: string): string {
  return JSON.stringify(type.length > 32 ? `${type.slice(0, 32)}…` : type);
}

export interface FrameGuardDeps {
  roomType: string;
  metrics: Metrics;
  /** Read on every use: rooms replace their logger once they know their code. */
  logger: () => Logger;
  /** Counted and logged like a room's other exceptions. */
  reportException: (err: unknown, where: string) => void;
}

interface MalformedCount {
  windowStartsAt: number;
  count: number;
  loggedAt: number;
}

/** The room internals the guard wraps (not in Colyseus's public typings). */
interface RoomInternals {
  _onMessage(client: Client, buffer: Uint8Array): void;
  onMessageEvents: { events: Record<string, unknown[] | undefined> };
}

/** Installs the guard on a room; call from onCreate, before any client joins. */
export function guardFrames(room: Room, deps: FrameGuardDeps): void {
  const internals = room as unknown as RoomInternals;
  const dispatch = internals._onMessage.bind(room);
  const malformed = new WeakMap<Client, MalformedCount>();
  const isHandled = (type: string) => {
    const handlers = internals.onMessageEvents.events;
    return Object.hasOwn(handlers, type) && (handlers[type]?.length ?? 0) > 0;
  };

  const reply = (client: Client, requestId: number | undefined, body: ErrorBody) => {
    if (requestId === undefined) client.send("error", body);
    else client.enqueueRaw(getMessageBytes[Protocol.ROOM_RESPONSE](requestId, REJECTED, body));
  };

  const onMalformed = (client: Client, requestId: number | undefined, why: string, length: number) => {
    deps.metrics.malformedFrames.inc({ room_type: deps.roomType });
    const now = Date.now();
    let seen = malformed.get(client);
    if (!seen || now - seen.windowStartsAt >= MALFORMED_WINDOW_MS) {
      seen = { windowStartsAt: now, count: 0, loggedAt: seen?.loggedAt ?? 0 };
      malformed.set(client, seen);
    }
    seen.count++;
    if (now - seen.loggedAt >= MALFORMED_WINDOW_MS) {
      seen.loggedAt = now;
      deps
        .logger()
        .warn({ sessionId: client.sessionId, why, bytes: length }, "malformed frame from a client (logged once per connection per 10 s)");
    }
    if (seen.count > MALFORMED_FRAME_LIMIT) {
      client.leave(CloseCode.WITH_ERROR);
      return;
    }
    reply(client, requestId, { code: "VALIDATION_ERROR", message: `The server could not read this message (${why}).` });
  };

  internals._onMessage = (client: Client, buffer: Uint8Array) => {
    try {
      const verdict = inspectFrame(buffer, isHandled);
      if (verdict.kind === "malformed") return onMalformed(client, verdict.requestId, verdict.why, buffer?.byteLength ?? 0);
      if (verdict.kind === "unknown") {
        return reply(client, verdict.requestId, {
          code: "UNKNOWN_REQUEST",
          message: `This room does not handle messages of type ${quoteType(verdict.type)}.`,
        });
      }
      dispatch(client, buffer);
    } catch (err) {
      // Whatever this frame made fail, only its sender pays for it.
      deps.reportException(err, "onMessage");
      try {
        client.leave(CloseCode.WITH_ERROR);
      } catch (closeErr) {
        deps.reportException(closeErr, "onMessage");
      }
    }
  };
}
