/**
 * Records everything an SDK room receives, from the first frame of its connection on: the raw
 * bytes, and after each state frame what the room's own decoder then holds (every refId it has
 * registered, every map entry index it has been sent). A leak test reads these to prove that a
 * client never received a value, and that the numbering of what it did receive has no holes
 * where something it may not see was counted.
 */
import { Protocol } from "@colyseus/core";
import { MapSchema, type Decoder } from "@colyseus/schema";
import { Room } from "@colyseus/sdk";

export interface Reception {
  /** Every frame, in arrival order, as sent (protocol byte first). */
  frames: Uint8Array[];
  /** Protocol code of each frame (modifier bits stripped), same order. */
  codes: number[];
  /** Every refId the decoder held after any frame. */
  refIds: Set<number>;
  /** Map refId -> every entry index the decoder held for it after any frame. */
  mapIndexes: Map<number, Set<number>>;
}

/** What the SDK room holds of its decoder; not part of its typed surface. */
interface DecodingRoom {
  serializer?: { decoder?: Decoder };
  onMessageCallback(event: { data: ArrayBuffer | Uint8Array }): void;
}

const receptions = new WeakMap<object, Reception>();

/** Protocol code of a frame: its first byte without modifier bits. */
export function frameCode(frame: Uint8Array): number {
  return (frame[0] ?? 0) & 0x3f;
}

export const STATE_CODES: ReadonlySet<number> = new Set([Protocol.ROOM_STATE, Protocol.ROOM_STATE_PATCH]);

/**
 * Starts recording every SDK room's frames (rooms created afterwards, from their connection on).
 * Returns the function that stops recording.
 */
export function recordAllRooms(): () => void {
  const prototype = Room.prototype as unknown as DecodingRoom;
  const original = prototype.onMessageCallback;
  prototype.onMessageCallback = function (this: DecodingRoom, event) {
    const frame = event.data instanceof ArrayBuffer ? new Uint8Array(event.data.slice(0)) : event.data.slice();
    let reception = receptions.get(this);
    if (!reception) {
      reception = { frames: [], codes: [], refIds: new Set(), mapIndexes: new Map() };
      receptions.set(this, reception);
    }
    reception.frames.push(frame);
    reception.codes.push(frameCode(frame));
    original.call(this, event);
    if (STATE_CODES.has(frameCode(frame))) noteDecoded(this, reception);
  };
  return () => {
    prototype.onMessageCallback = original;
  };
}

export function receptionOf(room: object): Reception {
  const reception = receptions.get(room);
  if (!reception) throw new Error("nothing recorded for this room: was recordAllRooms() called before it joined?");
  return reception;
}

function noteDecoded(room: DecodingRoom, reception: Reception): void {
  const refs = room.serializer?.decoder?.root.refs;
  if (!refs) return;
  for (const [refId, ref] of refs) {
    reception.refIds.add(refId);
    if (ref instanceof MapSchema) {
      let seen = reception.mapIndexes.get(refId);
      if (!seen) reception.mapIndexes.set(refId, (seen = new Set()));
      for (const index of ref.$indexes.keys()) seen.add(index);
    }
  }
}

/** Numbers missing from 0..max of a set: what a client can count that it never received. */
export function holes(numbers: Iterable<number>): number[] {
  const sorted = [...numbers].sort((a, b) => a - b);
  const max = sorted.at(-1) ?? -1;
  const present = new Set(sorted);
  const missing: number[] = [];
  for (let n = 0; n <= max; n++) if (!present.has(n)) missing.push(n);
  return missing;
}

/** Every place `needle` occurs in any of the frames, as "frame <i> (<code>)". */
export function occurrences(frames: readonly Uint8Array[], needle: string): string[] {
  const bytes = Buffer.from(needle, "utf8");
  const found: string[] = [];
  frames.forEach((frame, i) => {
    if (Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength).includes(bytes)) found.push(`frame ${i} (code ${frameCode(frame)})`);
  });
  return found;
}
