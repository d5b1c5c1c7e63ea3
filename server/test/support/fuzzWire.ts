/**
 * The fuzzer's view of the wire: hand-built frames of every shape (random bytes after a valid
 * header, random headers, truncated frames, unknown and very long message types, request ids at
 * the edges of their encoding), and a monitor that reads every frame the server sends a client
 * and names whatever is not a Tavern answer: a raw Colyseus `{ name, message }`, an ERROR frame,
 * an INTERNAL_ERROR, a frame that does not decode.
 */
import { Protocol } from "@colyseus/core";
import { decode, encode } from "@colyseus/schema";
import fc from "fast-check";
import { pack, unpack } from "msgpackr";
import { isErrorBody, type ErrorBody } from "@tavern/shared/errors";
import { exoticValue, materialize, nastyString, randomValue, type Pools } from "./fuzzValues";

// ----- frames ----------------------------------------------------------------------------------

/** A number field as Colyseus encodes it (any value), or bytes as given (a broken encoding). */
export type NumberField = { kind: "number"; value: number } | { kind: "bytes"; bytes: number[] };
export type TypeField = { kind: "string"; value: string } | NumberField;
export type PayloadField =
  { kind: "value"; value: unknown } | { kind: "bytes"; bytes: number[] } | { kind: "filler"; prefix: number[]; length: number };

export interface RawFrame {
  /** Which generator made it: counted apart in the report. */
  label: string;
  /** The first byte: a protocol code, with modifier bits or not. */
  first: number;
  /** Request frames: the request id. */
  id?: NumberField;
  type?: TypeField;
  payload?: PayloadField;
  /** Keep only the first `keep` bytes of the encoded frame (a truncated frame). */
  keep?: number;
}

function numberBytes(n: number): number[] {
  const buffer = new Uint8Array(16);
  const it = { offset: 0 };
  encode.number(buffer, n, it);
  return [...buffer.subarray(0, it.offset)];
}

/** A message type the way Colyseus writes one (its str16/str32 lengths are little-endian). */
export function stringBytes(s: string): number[] {
  const utf8 = [...Buffer.from(s, "utf8")];
  const n = utf8.length;
  if (n < 0x20) return [0xa0 | n, ...utf8];
  if (n < 0x100) return [0xd9, n, ...utf8];
  if (n < 0x10000) return [0xda, n & 0xff, n >> 8, ...utf8];
  return [0xdb, n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24, ...utf8];
}

function fieldBytes(field: TypeField | NumberField): number[] {
  if (field.kind === "bytes") return field.bytes;
  if (field.kind === "number") return numberBytes(field.value);
  return stringBytes(field.value);
}

export function encodeFrame(frame: RawFrame, pools: Pools): Uint8Array {
  const bytes = [frame.first];
  if (frame.id) bytes.push(...fieldBytes(frame.id));
  if (frame.type) bytes.push(...fieldBytes(frame.type));
  const payload = frame.payload;
  if (payload?.kind === "bytes") bytes.push(...payload.bytes);
  else if (payload?.kind === "filler") bytes.push(...payload.prefix, ...new Array<number>(payload.length).fill(0x61));
  else if (payload?.kind === "value") bytes.push(...pack(materialize(payload.value, pools)));
  const out = Uint8Array.from(bytes);
  return frame.keep === undefined ? out : out.subarray(0, Math.min(frame.keep, out.byteLength));
}

/**
 * The request id a server must answer for this frame, when it carries one whole: a ROOM_REQUEST
 * whose id decodes completely to a non-negative safe integer.
 */
export function expectedReplyId(bytes: Uint8Array): number | undefined {
  if ((bytes[0]! & 0x1f) !== Protocol.ROOM_REQUEST || bytes.byteLength < 2) return undefined;
  const it = { offset: 1 };
  const id = decode.number(bytes, it);
  if (typeof id !== "number" || !Number.isSafeInteger(id) || id < 0 || it.offset > bytes.byteLength) return undefined;
  return id;
}

const TYPED_CODES = [Protocol.ROOM_REQUEST, Protocol.ROOM_DATA] as const;

/** Request ids at the edges of each encoding, and ones that are not ids at all. */
const EDGE_IDS: readonly number[] = [
  0,
  1,
  127,
  128,
  255,
  256,
  65_535,
  65_536,
  2 ** 31 - 1,
  2 ** 32 - 1,
  2 ** 32,
  Number.MAX_SAFE_INTEGER,
  2 ** 53,
  2 ** 64,
  -1,
  -32,
  -33,
  -(2 ** 31),
  -(2 ** 53),
  0.5,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
];
const BROKEN_NUMBERS: readonly number[][] = [
  [0xc1],
  [0xcd, 0x01],
  [0xcf, 1, 2, 3],
  [0xcb, 0, 0, 0, 0, 0, 0, 0xf8, 0x7f],
  [0xcb, 0, 0, 0, 0, 0, 0, 0xf0, 0x7f],
  [0xca, 0, 0, 0xc0, 0x7f],
  [0xa3, 0x61],
  [0x90],
  [0xc0],
];

/** Message types no room answers, some of them long. */
export const unknownType: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "*",
    "__proto__",
    "constructor",
    "toString",
    "hasOwnProperty",
    "valueOf",
    "PING",
    "Ping",
    "ping ",
    "",
    "move\u0000",
    "🐉",
    "_$bping",
    "undefined",
    "13",
  ),
  nastyString,
  fc.constantFrom(33, 64, 65, 100, 123, 124, 200, 1000, 4000).map((n) => "t".repeat(n)),
  fc.string({ minLength: 1, maxLength: 20 }),
);

const randomBytes = (maxLength: number) => fc.uint8Array({ maxLength }).map((a) => [...a]);

/** Raw frames of every shape, for rooms answering `types`. */
export function rawFrame(types: readonly string[], maxPayloadBytes: number): fc.Arbitrary<RawFrame> {
  const code = fc.constantFrom(...TYPED_CODES);
  const known = fc.constantFrom(...types);
  const plainId = fc.integer({ min: 1_000_000, max: 2_000_000 }).map((value): NumberField => ({ kind: "number", value }));
  const idFor = (first: number) => (first === Protocol.ROOM_REQUEST ? plainId : fc.constant(undefined));
  const framed = <T>(
    label: string,
    rest: (first: number) => fc.Arbitrary<T>,
    make: (first: number, id: NumberField | undefined, rest: T) => RawFrame,
  ) => code.chain((first) => fc.tuple(idFor(first), rest(first)).map(([id, r]) => make(first, id, r))).map((f) => ({ ...f, label }));

  return fc.oneof(
    // A valid header, then random bytes.
    framed(
      "random-bytes",
      () => fc.tuple(known, randomBytes(64)),
      (first, id, [type, bytes]) => ({
        label: "",
        first,
        ...(id ? { id } : {}),
        type: { kind: "string", value: type },
        payload: { kind: "bytes", bytes },
      }),
    ),
    // A valid header, then msgpack that JSON has no word for (bigints, dates, binary, ...).
    framed(
      "exotic-msgpack",
      () => fc.tuple(known, fc.oneof(exoticValue, randomValue)),
      (first, id, [type, value]) => ({
        label: "",
        first,
        ...(id ? { id } : {}),
        type: { kind: "string", value: type },
        payload: { kind: "value", value },
      }),
    ),
    // A random first byte (any protocol code, with or without modifier bits), then random bytes.
    fc
      .tuple(fc.integer({ min: 0, max: 255 }), randomBytes(32))
      .map(([first, bytes]): RawFrame => ({ label: "random-header", first, payload: { kind: "bytes", bytes } })),
    // A whole valid-looking frame cut short, anywhere.
    framed(
      "truncated",
      () => fc.tuple(known, randomValue, fc.nat({ max: 64 })),
      (first, id, [type, value, keep]) => ({
        label: "",
        first,
        ...(id ? { id } : {}),
        type: { kind: "string", value: type },
        payload: { kind: "value", value },
        keep,
      }),
    ),
    // Types no room answers, of any length; numeric types; type encodings that lie about their length.
    framed(
      "unknown-type",
      () => fc.tuple(unknownType, randomValue),
      (first, id, [type, value]) => ({
        label: "",
        first,
        ...(id ? { id } : {}),
        type: { kind: "string", value: type },
        payload: { kind: "value", value },
      }),
    ),
    framed(
      "numeric-type",
      () => fc.constantFrom(...EDGE_IDS),
      (first, id, value) => ({ label: "", first, ...(id ? { id } : {}), type: { kind: "number", value } }),
    ),
    framed(
      "broken-type",
      () =>
        fc.oneof(
          fc.constantFrom(...BROKEN_NUMBERS),
          // Declared longer than the frame, or bytes that are not UTF-8.
          fc.constantFrom<number[]>(
            [0xd9, 200, 0x61],
            [0xda, 0xff, 0xff, 0x61],
            [0xdb, 0xff, 0xff, 0xff, 0x7f, 0x61],
            [0xa4, 0xff, 0xfe, 0xc0, 0x80],
            [0xa3, 0xed, 0xa0, 0x80],
            [0xa2, 0xf8, 0x88],
          ),
        ),
      (first, id, bytes) => ({ label: "", first, ...(id ? { id } : {}), type: { kind: "bytes", bytes } }),
    ),
    // Request ids at the edges of their encoding, and broken ones.
    fc
      .tuple(
        fc.oneof(
          fc.constantFrom(...EDGE_IDS).map((value): NumberField => ({ kind: "number", value })),
          fc.constantFrom(...BROKEN_NUMBERS).map((bytes): NumberField => ({ kind: "bytes", bytes })),
        ),
        known,
      )
      .map(([id, type]): RawFrame => ({ label: "edge-id", first: Protocol.ROOM_REQUEST, id, type: { kind: "string", value: type } })),
    // Other frame kinds a client may send: raw bytes messages, inputs, join/ping/leave, empty.
    fc
      .tuple(
        fc.constantFrom(
          Protocol.ROOM_DATA_BYTES,
          Protocol.ROOM_INPUT_RELIABLE,
          Protocol.ROOM_INPUT_UNRELIABLE,
          Protocol.JOIN_ROOM,
          Protocol.PING,
          Protocol.ROOM_STATE,
          Protocol.ROOM_RESPONSE,
        ),
        fc.oneof(known, unknownType),
        randomBytes(16),
      )
      .map(([first, type, bytes]): RawFrame => ({
        label: "other-kind",
        first,
        type: { kind: "string", value: type },
        payload: { kind: "bytes", bytes },
      })),
    fc.constant<RawFrame>({ label: "empty", first: 0, keep: 0 }),
    // Past the transport's payload limit: the socket is closed (1009), nothing else may happen.
    fc.tuple(code, known).map(([first, type]): RawFrame => ({
      label: "oversize",
      first,
      ...(first === Protocol.ROOM_REQUEST ? { id: { kind: "number" as const, value: 1_500_000 } } : {}),
      type: { kind: "string", value: type },
      payload: { kind: "filler", prefix: [0xc5, 0xff, 0xff], length: maxPayloadBytes + 16 },
    })),
  );
}

// ----- what the server sends back -------------------------------------------------------------

export interface RawReply {
  status: number;
  payload: unknown;
}

interface SocketEvents {
  onmessage?: (event: { data: unknown }) => void;
  onclose?: (event: { code: number; reason: string }) => void;
}

/** The parts of an SDK room the monitor reads (the SDK does not type its connection's events). */
export interface MonitoredRoom {
  connection: { events: unknown; isOpen: boolean; send(data: Uint8Array): void };
}

const ERROR_BODY_KEYS = new Set(["code", "message", "details"]);

/** Why a value is not a Tavern error answer a client may get, or undefined when it is one. */
export function errorBodyProblem(value: unknown): string | undefined {
  if (!isErrorBody(value)) return `not a Tavern { code, message }: ${preview(value)}`;
  const extra = Object.keys(value).filter((key) => !ERROR_BODY_KEYS.has(key));
  if (extra.length > 0) return `an error body with keys ${extra.join(", ")}: ${preview(value)}`;
  if (value.code === "INTERNAL_ERROR") return `INTERNAL_ERROR: ${value.message}`;
  return undefined;
}

export function preview(value: unknown, max = 200): string {
  let text: string;
  try {
    text = JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? `${v}n` : v)) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/**
 * Reads every frame the server sends one client, before the SDK does. Replies to hand-built
 * requests (ids registered with expect()) are taken off the wire here; all else goes on to the SDK.
 */
export class Wire {
  /** Everything the server sent that no Tavern client should ever get. */
  readonly findings: string[] = [];
  /** `error` messages (refused plain sends and unreadable frames), in order. */
  readonly errors: ErrorBody[] = [];
  /** Every error answer, replies and messages alike, with the time it arrived. */
  readonly answers: Array<{ at: number; body: ErrorBody }> = [];
  /** The close code, once the server closed this connection. */
  closeCode: number | undefined;
  /** The largest frame this client sent since resetSent(): what a 1009 close is judged by. */
  largestSent = 0;
  private readonly waiting = new Map<number, (reply: RawReply) => void>();

  constructor(
    private readonly room: MonitoredRoom,
    private readonly label: () => string,
  ) {
    const events = room.connection.events as SocketEvents;
    const onmessage = events.onmessage;
    const onclose = events.onclose;
    events.onmessage = (event) => {
      if (this.read(new Uint8Array(event.data as ArrayBuffer))) onmessage?.(event);
    };
    events.onclose = (event) => {
      this.closeCode ??= event.code;
      onclose?.(event);
    };
    // The SDK's own frames count too: it mangles a long type's frame into a larger one.
    const connection = room.connection;
    const send = connection.send.bind(connection);
    connection.send = (data: Uint8Array) => {
      this.largestSent = Math.max(this.largestSent, data.byteLength);
      send(data);
    };
  }

  resetSent(): void {
    this.largestSent = 0;
  }

  get isOpen(): boolean {
    return this.room.connection.isOpen && this.closeCode === undefined;
  }

  send(bytes: Uint8Array): boolean {
    if (!this.isOpen) return false;
    this.room.connection.send(bytes);
    return true;
  }

  /** Waits for the reply to a hand-built request; undefined after `timeoutMs` or once the socket closed. */
  expect(id: number, timeoutMs: number): Promise<RawReply | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(undefined), timeoutMs);
      const poll = setInterval(() => {
        if (!this.isOpen) finish(undefined);
      }, 20);
      const finish = (reply: RawReply | undefined) => {
        clearTimeout(timer);
        clearInterval(poll);
        this.waiting.delete(id);
        resolve(reply);
      };
      this.waiting.set(id, finish);
    });
  }

  private note(problem: string): void {
    this.findings.push(`${this.label()}: ${problem}`);
  }

  /** Checks one server frame; true when the SDK should see it too. */
  private read(bytes: Uint8Array): boolean {
    const code = bytes[0]!;
    try {
      if (code === Protocol.ERROR) {
        this.note(`a raw Colyseus ERROR frame (${bytes.byteLength} bytes)`);
        return true;
      }
      if (code === Protocol.ROOM_RESPONSE) {
        const it = { offset: 1 };
        const id = decode.number(bytes, it);
        const status = bytes[it.offset++]!;
        const payload = bytes.byteLength > it.offset ? unpack(bytes.subarray(it.offset)) : undefined;
        if (status === 2) this.note(`a raw Colyseus fault instead of a Tavern reply: ${preview(payload)}`);
        else if (status === 1) {
          const problem = errorBodyProblem(payload);
          if (problem) this.note(`request rejected with ${problem}`);
          else this.answers.push({ at: Date.now(), body: payload as ErrorBody });
        } else if (status !== 0) this.note(`a reply with unknown status ${status}`);
        const waiter = typeof id === "number" ? this.waiting.get(id) : undefined;
        if (waiter) {
          waiter({ status, payload });
          return false;
        }
        return true;
      }
      if (code === Protocol.ROOM_DATA) {
        const it = { offset: 1 };
        const type = decode.stringCheck(bytes, it) ? decode.string(bytes, it) : decode.number(bytes, it);
        const payload = bytes.byteLength > it.offset ? unpack(bytes.subarray(it.offset)) : undefined;
        if (type === "error") {
          const problem = errorBodyProblem(payload);
          if (problem) this.note(`an error message with ${problem}`);
          else {
            this.errors.push(payload as ErrorBody);
            this.answers.push({ at: Date.now(), body: payload as ErrorBody });
          }
        }
      }
    } catch (err) {
      this.note(`a frame the client cannot read (${(err as Error).message})`);
    }
    return true;
  }
}
