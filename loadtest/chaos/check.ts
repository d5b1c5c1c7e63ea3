/**
 * The chaos run's verdict on one client after the network healed, as pure functions of plain
 * data (no SDK, no network), so the rules are unit-tested on their own: its view of its room
 * against where the script has everyone, the acknowledged chat lines of that room, its seat.
 */
import { compareViews, type Discrepancy, type ExpectedRoom, type RoomView } from "../switchCheck";

/**
 * A seat the server may rightly still hold for a player the script has elsewhere: its leave (or a
 * join the script saw fail) was never confirmed, so to the server the connection just dropped and
 * the seat waits, disconnected, for the reconnection grace. Until `untilMs` (epoch ms) only.
 */
export interface HeldSeat {
  code: string;
  playerId: string;
  untilMs: number;
}

/** A chat line the server acknowledged (its request got a reply): every client of the room must hold it. */
export interface AckedLine {
  code: string;
  playerId: string;
  text: string;
}

export type ConsistencyProblem =
  | Discrepancy
  | { kind: "chat-lost"; code: string; viewer: string; playerId: string; detail: string }
  | { kind: "hash-mismatch"; code: string; viewer: string; playerId: string; detail: string };

/**
 * The view without the seats (and avatars) the server may still hold: disconnected ones of
 * players with a HeldSeat in that room that has not expired. A held seat shown connected, or
 * after its grace, stays in and counts as a ghost.
 */
export function withoutHeldSeats(view: RoomView, held: readonly HeldSeat[], nowMs: number, truth: ExpectedRoom): RoomView {
  const members = new Set(truth.playerIds);
  const mayHold = new Set(held.filter((h) => h.code === view.code && h.untilMs > nowMs && !members.has(h.playerId)).map((h) => h.playerId));
  if (mayHold.size === 0 || view.players === null) return view;
  const dropped = new Set(view.players.filter((p) => mayHold.has(p.key) && !p.connected).map((p) => p.key));
  return {
    ...view,
    players: view.players.filter((p) => !(dropped.has(p.key) && !p.connected)),
    ...(view.avatarIds === undefined ? {} : { avatarIds: view.avatarIds.filter((id) => !dropped.has(id)) }),
  };
}

/** The acknowledged lines of the viewer's room that its state does not hold. */
export function missingChat(
  code: string,
  viewer: string,
  acked: readonly AckedLine[],
  lines: readonly { playerId: string; text: string }[],
): ConsistencyProblem[] {
  const held = new Set(lines.map((l) => `${l.playerId}\u0000${l.text}`));
  return acked
    .filter((a) => a.code === code && !held.has(`${a.playerId}\u0000${a.text}`))
    .map((a) => ({ kind: "chat-lost" as const, code, viewer, playerId: a.playerId, detail: `"${a.text}" acknowledged, not in state` }));
}

/** Everything wrong with one client's copy of its room, the hash aside (that needs the server). */
export function clientProblems(
  truth: ExpectedRoom,
  view: RoomView,
  held: readonly HeldSeat[],
  acked: readonly AckedLine[],
  chat: readonly { playerId: string; text: string }[] | null,
  nowMs: number,
): ConsistencyProblem[] {
  const found: ConsistencyProblem[] = compareViews([truth], [withoutHeldSeats(view, held, nowMs, truth)], () => [view.viewer]);
  if (chat !== null) found.push(...missingChat(truth.code, view.viewer, acked, chat));
  return found;
}
