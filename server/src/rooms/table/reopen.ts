/**
 * Joining a table by the code of a stored session whose room is not open (the server restarted,
 * or every player left) opens the room from the database first, then the join proceeds into it.
 */
import { matchMaker } from "@colyseus/core";
import type { RoomServices } from "../../services";
import type { ReopenByCode } from "../../lifecycle/joinGate";

export function reopenStoredSession(svc: Pick<RoomServices, "sessions" | "codes">): ReopenByCode {
  return async (code) => {
    const sessionId = await svc.sessions.idForCode(code);
    if (!sessionId) return false;
    try {
      await matchMaker.createRoom("table", { sessionId });
    } catch (err) {
      // Two players reopening at once: the other one's room holds the code now, and the join finds it.
      if (await svc.codes.resolve(code)) return true;
      throw err;
    }
    return true;
  };
}
