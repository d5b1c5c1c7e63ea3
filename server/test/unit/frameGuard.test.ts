import assert from "node:assert/strict";
import type { Client, Room } from "@colyseus/core";
import { pino } from "pino";
import { MALFORMED_FRAME_LIMIT, guardFrames, inspectFrame, quoteType } from "../../src/lifecycle/frameGuard";
import { Metrics } from "../../src/observability/metrics";
import { GARBAGE, dataFrame, requestFrame } from "../support/rawFrames";

const handled = (type: string) => type === "ping" || type === "chat";

describe("frame guard: inspectFrame", () => {
  it("passes frames of handled types with readable payloads, and frames that name no type", () => {
    assert.deepEqual(inspectFrame(dataFrame("chat", { value: { text: "hi" } }), handled), { kind: "pass" });
    assert.deepEqual(inspectFrame(requestFrame(7, "ping"), handled), { kind: "pass" });
    assert.deepEqual(inspectFrame(Uint8Array.from([10]), handled), { kind: "pass" }, "JOIN_ROOM");
    assert.deepEqual(inspectFrame(Uint8Array.from([18]), handled), { kind: "pass" }, "PING");
  });

  it("names unknown types (any length, '*', inherited names) without dispatching them", () => {
    for (const type of ["nope", "*", "x".repeat(200), "x".repeat(1000), "toString", "__proto__"]) {
      const verdict = inspectFrame(requestFrame(60_000, type), (t) => handled(t) || Object.hasOwn({}, t));
      assert.equal(verdict.kind, "unknown", type.slice(0, 20));
    }
  });

  it("calls unreadable frames malformed, keeping the request id to answer", () => {
    assert.deepEqual(inspectFrame(requestFrame(60_002, "ping", GARBAGE), handled), {
      kind: "malformed",
      requestId: 60_002,
      why: "payload is not msgpack",
    });
    assert.equal(inspectFrame(dataFrame("chat", GARBAGE), handled).kind, "malformed");
    assert.equal(inspectFrame(Uint8Array.from([13]), handled).kind, "malformed", "no type at all");
    assert.equal(inspectFrame(Uint8Array.from([13, 0xd9, 200, 0x61]), handled).kind, "malformed", "a type longer than the frame");
    assert.equal(inspectFrame(new Uint8Array(0), handled).kind, "malformed");
    // A uint32 request id (0xce) cut after its first byte: no id may be answered.
    assert.deepEqual(inspectFrame(Uint8Array.from([21, 0xce]), handled), {
      kind: "malformed",
      requestId: undefined,
      why: "bad request id",
    });
  });

  it("calls a message type that is not UTF-8 malformed, before anything decodes it (found by the fuzzer)", () => {
    const printed: unknown[] = [];
    const error = console.error;
    console.error = (...args: unknown[]) => printed.push(args);
    try {
      // Bytes that are never UTF-8, a truncated sequence, and the UTF-8-like encoding of a lone surrogate.
      for (const typeBytes of [
        [0xa4, 0xff, 0xfe, 0xc0, 0x80],
        [0xa2, 0xf8, 0x88],
        [0xa2, 0xc3, 0x61],
        [0xa3, 0xed, 0xa0, 0x80],
      ]) {
        const verdict = inspectFrame(Uint8Array.from([21, 0xcd, 0x10, 0x27, ...typeBytes]), handled);
        assert.deepEqual(verdict, { kind: "malformed", requestId: 10_000, why: "message type is not UTF-8 text" }, typeBytes.join(","));
      }
    } finally {
      console.error = error;
    }
    assert.deepEqual(printed, [], "nothing printed outside the logger");
    assert.equal(inspectFrame(dataFrame("ché 🐉", { value: {} }), handled).kind, "unknown", "UTF-8 beyond ASCII is still a type");
  });

  it("quotes a type bounded", () => {
    assert.equal(quoteType("ping"), '"ping"');
    assert.ok(quoteType("y".repeat(500)).length < 40);
  });
});

interface FakeClient {
  sessionId: string;
  sent: Array<[string, unknown]>;
  raw: Uint8Array[];
  closedWith: number[];
  send(type: string, body: unknown): void;
  enqueueRaw(bytes: Uint8Array): void;
  leave(code: number): void;
}

function fakeClient(): FakeClient {
  const c: FakeClient = {
    sessionId: "s1",
    sent: [],
    raw: [],
    closedWith: [],
    send: (type, body) => c.sent.push([type, body]),
    enqueueRaw: (bytes) => c.raw.push(bytes),
    leave: (code) => c.closedWith.push(code),
  };
  return c;
}

function guardedRoom(dispatch: (client: Client, buffer: Uint8Array) => void) {
  const lines: unknown[] = [];
  const logger = pino({ level: "warn" }, { write: (line: string) => lines.push(JSON.parse(line)) });
  const exceptions: string[] = [];
  const room = { _onMessage: dispatch, onMessageEvents: { events: { ping: [() => undefined] } as Record<string, unknown[]> } };
  guardFrames(room as unknown as Room, {
    roomType: "probe",
    metrics: new Metrics(),
    logger: () => logger,
    reportException: (_e, where) => exceptions.push(where),
  });
  const onMessage = (room as unknown as { _onMessage: (c: Client, b: Uint8Array) => void })._onMessage;
  return { onMessage, lines, exceptions };
}

describe("frame guard: guardFrames", () => {
  it("answers garbage, logs it once per window, and closes the sender past the limit", () => {
    const dispatched: Uint8Array[] = [];
    const { onMessage, lines } = guardedRoom((_c, b) => dispatched.push(b));
    const client = fakeClient();
    for (let i = 0; i < MALFORMED_FRAME_LIMIT; i++) onMessage(client as unknown as Client, dataFrame("ping", GARBAGE));
    assert.equal(client.sent.length, MALFORMED_FRAME_LIMIT);
    assert.ok(client.sent.every(([type, body]) => type === "error" && (body as { code: string }).code === "VALIDATION_ERROR"));
    assert.deepEqual(client.closedWith, []);
    assert.equal(lines.length, 1, "logged once for the burst, as JSON");
    onMessage(client as unknown as Client, dataFrame("ping", GARBAGE));
    assert.deepEqual(client.closedWith, [4002]);
    assert.equal(dispatched.length, 0, "nothing unreadable reached Colyseus");
    onMessage(client as unknown as Client, requestFrame(1, "ping"));
    assert.equal(dispatched.length, 1, "a readable frame is dispatched");
  });

  it("a throw while dispatching closes only that client and is reported", () => {
    const { onMessage, exceptions } = guardedRoom(() => {
      throw new Error("handler blew up");
    });
    const client = fakeClient();
    onMessage(client as unknown as Client, requestFrame(1, "ping"));
    assert.deepEqual(client.closedWith, [4002]);
    assert.deepEqual(exceptions, ["onMessage"]);
  });

  it("answers an unknown request with a Tavern rejection, not a close", () => {
    const { onMessage } = guardedRoom(() => assert.fail("unknown types are not dispatched"));
    const client = fakeClient();
    onMessage(client as unknown as Client, requestFrame(60_003, "z".repeat(300)));
    assert.equal(client.raw.length, 1);
    assert.equal(client.raw[0]![0], 22, "ROOM_RESPONSE");
    assert.deepEqual(client.closedWith, []);
  });
});
