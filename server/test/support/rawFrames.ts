/**
 * Hand-built client frames, for attacks the SDK would never send: any message type, any payload
 * bytes (valid msgpack or not), sent straight down a joined room's socket.
 */
import { pack, unpack } from "msgpackr";

const ROOM_DATA = 13;
const ROOM_REQUEST = 21;

/** A msgpack-like string header plus UTF-8 bytes, the way Colyseus encodes a message type (its str16 length is little-endian). */
function typeBytes(type: string): number[] {
  const utf8 = [...Buffer.from(type, "utf8")];
  if (utf8.length < 32) return [0xa0 | utf8.length, ...utf8];
  if (utf8.length < 256) return [0xd9, utf8.length, ...utf8];
  return [0xda, utf8.length & 0xff, utf8.length >> 8, ...utf8];
}

function varint(n: number): number[] {
  // Colyseus's number encoding: positive fixint below 128, uint16 (0xcd, little-endian) above.
  return n < 128 ? [n] : [0xcd, n & 0xff, n >> 8];
}

/** The bytes of a payload: a value packed as msgpack, or raw bytes as given. */
export type Payload = { value: unknown } | { bytes: number[] } | undefined;

function payloadBytes(payload: Payload): number[] {
  if (payload === undefined) return [];
  return "bytes" in payload ? payload.bytes : [...pack(payload.value)];
}

export function dataFrame(type: string, payload?: Payload): Uint8Array {
  return Uint8Array.from([ROOM_DATA, ...typeBytes(type), ...payloadBytes(payload)]);
}

export function requestFrame(requestId: number, type: string, payload?: Payload): Uint8Array {
  return Uint8Array.from([ROOM_REQUEST, ...varint(requestId), ...typeBytes(type), ...payloadBytes(payload)]);
}

/** Bytes msgpack never produces (0xc1) after a valid prefix: unreadable by any decoder. */
export const GARBAGE: Payload = { bytes: [0xc1, 0xc1, 0xc1] };

export interface RawSocket {
  connection: { send(data: Uint8Array): void };
}

export function sendRaw(room: RawSocket, frame: Uint8Array): void {
  room.connection.send(frame);
}

const ROOM_RESPONSE = 22;
const ERROR_FRAME = 11;

export interface RawReply {
  /** 0 OK, 1 REJECTED, 2 ERROR (Colyseus ResponseStatus). */
  status: number;
  payload: unknown;
}

/**
 * Records replies to hand-built requests (ids at or above `fromId`, which the SDK's own counter
 * never reaches in a test) and Colyseus ERROR frames, while the SDK keeps handling everything.
 */
export function captureRawReplies(
  room: { connection: { events: unknown } },
  fromId = 60_000,
): { replies: Map<number, RawReply>; errorFrames: number } {
  const seen = { replies: new Map<number, RawReply>(), errorFrames: 0 };
  const events = room.connection.events as { onmessage?: (event: { data: unknown }) => void };
  const original = events.onmessage;
  events.onmessage = (event) => {
    const bytes = new Uint8Array(event.data as ArrayBuffer);
    if (bytes[0] === ERROR_FRAME) seen.errorFrames++;
    if (bytes[0] === ROOM_RESPONSE && bytes[1] === 0xcd) {
      const id = bytes[2]! | (bytes[3]! << 8);
      if (id >= fromId) {
        seen.replies.set(id, { status: bytes[4]!, payload: bytes.byteLength > 5 ? unpack(bytes.subarray(5)) : undefined });
        return;
      }
    }
    original?.(event);
  };
  return seen;
}
