/**
 * Admin inspection over HTTP, behind the admin credentials: every room with its code, players and
 * phase; one room's state with its version and hash; a room's audit events. Rooms are reached
 * through the matchmaker, so this works whichever process holds a room.
 */
import type { Application, RequestHandler } from "express";
import { matchMaker } from "@colyseus/core";
import { isRoomCode, normalizeRoomCode } from "@tavern/shared/roomCodes";
import type { AdminRoomSnapshot } from "../lifecycle/adminSnapshot";
import type { RoomServices } from "../services";
import { sendError } from "./errors";
import { toSummary } from "./roomSummary";

export function mountAdmin(app: Application, svc: RoomServices, adminAuth: RequestHandler): void {
  app.get("/admin/rooms", adminAuth, async (_req, res) => {
    const listings = await matchMaker.query({});
    res.json({
      rooms: listings
        .filter((l) => l.name !== "lobby")
        .map((l) => ({ ...toSummary(l), clients: l.clients, maxClients: l.maxClients, locked: Boolean(l.locked), processId: l.processId })),
    });
  });

  /** A room by id or by code. */
  const findRoomId = async (key: string): Promise<string | undefined> => {
    const code = normalizeRoomCode(key);
    if (isRoomCode(code)) {
      const byCode = await svc.codes.resolve(code);
      if (byCode) return byCode;
    }
    const [listing] = await matchMaker.query({ roomId: key });
    return listing?.roomId;
  };

  app.get("/admin/rooms/:room/state", adminAuth, async (req, res) => {
    const roomId = await findRoomId(String(req.params["room"]));
    if (!roomId) return sendError(res, "NOT_FOUND", `No open room is ${req.params["room"]}.`);
    const snapshot = (await matchMaker.remoteRoomCall(roomId, "adminSnapshot")) as AdminRoomSnapshot;
    res.json(snapshot);
  });

  app.get("/admin/rooms/:room/events", adminAuth, async (req, res) => {
    const key = String(req.params["room"]);
    // Closed rooms keep their events: an id that no open room has is looked up as it is.
    const roomId = (await findRoomId(key)) ?? key;
    res.json({ roomId, events: await svc.audit.forRoom(roomId) });
  });
}
