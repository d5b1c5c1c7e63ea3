/**
 * What happens before a seat is reserved (the static onAuth of every room type): the guest token
 * is verified, and a join by code is checked so that an unknown code, a code of another room type
 * or a full room gets a clear answer instead of the matchmaker's generic "no rooms found".
 */
import { matchMaker, ServerError } from "@colyseus/core";
import { TavernError, JOIN_ERROR_NUMBERS } from "@tavern/shared/errors";
import { isRoomCode, normalizeRoomCode } from "@tavern/shared/roomCodes";
import { joinOptionsSchema } from "@tavern/shared/protocol";
import type { PlayerIdentity } from "../auth/guestTokens";
import type { RoomServices } from "../services";
import { describeZodError } from "../domain/validation";

/**
 * The option key under which the join gate tells a room who asked for it. Whatever a client puts
 * there is overwritten, so a room reads only what the gate wrote: the creator of a room created
 * over the matchmaker, and the address a creation is rate-limited by.
 */
export const CALLER_OPTION = "tavernCaller";

export interface Caller {
  playerId: string;
  /** The client's address as the transport saw it (undefined for in-process calls). */
  ip: string | undefined;
}

/** The caller the gate (or the HTTP API) wrote into a room's options, if any. */
export function callerOf(options: unknown): Caller | undefined {
  if (!options || typeof options !== "object") return undefined;
  const value = (options as Record<string, unknown>)[CALLER_OPTION];
  if (!value || typeof value !== "object") return undefined;
  const { playerId, ip } = value as Record<string, unknown>;
  if (typeof playerId !== "string" || playerId === "") return undefined;
  return { playerId, ip: typeof ip === "string" ? ip : undefined };
}

/** What a room receives as `client.auth`: the identity and when the seat was asked for. */
export interface JoinAuth extends PlayerIdentity {
  requestedAt: number;
}

/**
 * Called when a join names a code no live room has; a room type whose rooms outlive the process
 * (stored table sessions) opens the room for that code here and answers true.
 */
export type ReopenByCode = (code: string) => Promise<boolean>;

type GateServices = Pick<RoomServices, "tokens" | "codes" | "metrics">;

/** The onAuth of a lifecycle room type: `roomType` is the name it is registered under. */
export function joinGate(svc: GateServices, roomType: string, reopen?: ReopenByCode) {
  return (token: string, options: unknown, context: { ip?: string | undefined } | undefined): Promise<JoinAuth> =>
    authorizeJoin(svc, roomType, token, options, context, reopen);
}

async function authorizeJoin(
  svc: GateServices,
  roomType: string,
  token: string,
  options: unknown,
  context: { ip?: string | undefined } | undefined,
  reopen?: ReopenByCode,
): Promise<JoinAuth> {
  const requestedAt = Date.now();
  try {
    const identity = await svc.tokens.verify(token);
    if (!options || typeof options !== "object" || Array.isArray(options)) {
      throw new TavernError("VALIDATION_ERROR", "Join options must be an object.");
    }
    const opts = options as Record<string, unknown>;
    await checkJoinTarget(svc.codes, roomType, opts, reopen);
    // The matchmaker filters rooms on `code`: a join that names none matches no room (an absent
    // filter would match any room, private ones included). A create ignores it.
    if (opts["code"] === undefined) opts["code"] = "";
    opts[CALLER_OPTION] = { playerId: identity.playerId, ip: context?.ip } satisfies Caller;
    return { ...identity, requestedAt };
  } catch (err) {
    // Refused before any room saw the join (no token, an unknown code, a locked room): counted
    // with the rooms' own refusals, so the refused-joins alert sees a client guessing codes.
    svc.metrics.joins.inc({ room_type: roomType, outcome: err instanceof TavernError ? err.code : "INTERNAL_ERROR" });
    if (err instanceof TavernError) throw new ServerError(JOIN_ERROR_NUMBERS[err.code], err.message);
    throw err;
  }
}

async function checkJoinTarget(
  codes: GateServices["codes"],
  roomType: string,
  options: Record<string, unknown>,
  reopen?: ReopenByCode,
): Promise<void> {
  const parsed = joinOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new TavernError("VALIDATION_ERROR", `Invalid join options: ${describeZodError(parsed.error)}`);
  }
  if (parsed.data.code === undefined) return;
  const code = normalizeRoomCode(parsed.data.code);
  if (!isRoomCode(code)) {
    throw new TavernError("NOT_FOUND", `"${parsed.data.code}" is not a room code (codes are 6 letters and digits).`);
  }
  // The matchmaker filters on this very object: normalizing it here makes "abc-def" find ABCDEF.
  options["code"] = code;
  let roomId = await codes.resolve(code);
  let [listing] = roomId ? await matchMaker.query({ roomId }) : [];
  if (roomId && !listing && (await isStaleClaim(roomId))) {
    await codes.release(code);
    roomId = undefined;
  }
  if (!roomId && reopen && (await reopen(code))) {
    roomId = await codes.resolve(code);
    [listing] = roomId ? await matchMaker.query({ roomId }) : [];
  }
  if (!listing) throw new TavernError("NOT_FOUND", `No room has the code ${code}.`);
  if (listing.name !== roomType) {
    throw new TavernError("NOT_FOUND", `Room ${code} is a ${listing.name} room, not a ${roomType} room.`);
  }
  if (listing.locked) throw new TavernError("ROOM_FULL", `Room ${code} is not accepting anyone right now.`);
}

const STALE_CLAIM_RECHECK_MS = 1000;

/**
 * A code whose room is in no listing: either the room is being created this very moment (its
 * listing follows within milliseconds), or the process that held it died without releasing the
 * code (SIGKILL, crash). Asking again a moment later tells them apart.
 */
async function isStaleClaim(roomId: string): Promise<boolean> {
  await new Promise((resolve) => setTimeout(resolve, STALE_CLAIM_RECHECK_MS));
  const [listing] = await matchMaker.query({ roomId });
  return listing === undefined;
}
