/** The type of the room behind a code (GET /api/rooms/:code): codes do not say which type they open. */
import { isErrorBody, type ErrorBody } from "@tavern/shared/errors";
import { ROOM_TYPES, type RoomSummary, type RoomType } from "@tavern/shared/protocol";

/** Throws an ErrorBody. */
export async function lookupRoomType(endpoint: string, code: string): Promise<RoomType> {
  let res: Response;
  try {
    res = await fetch(`${endpoint}/api/rooms/${encodeURIComponent(code.trim())}`);
  } catch (err) {
    throw { code: "INTERNAL_ERROR", message: `The server cannot be reached (${String(err)}).` } satisfies ErrorBody;
  }
  const body: unknown = await res.json().catch(() => undefined);
  if (!res.ok)
    throw isErrorBody(body) ? body : ({ code: "INTERNAL_ERROR", message: `Room lookup failed (${res.status}).` } satisfies ErrorBody);
  const summary = body as RoomSummary;
  if (!(ROOM_TYPES as readonly string[]).includes(summary.type)) {
    throw {
      code: "NOT_FOUND",
      message: `Room ${summary.code} is of a type this client does not know (${summary.type}).`,
    } satisfies ErrorBody;
  }
  return summary.type as RoomType;
}
