/**
 * Table sessions, for admins: which sessions a player is GM of, and GM recovery: a GM who lost
 * their identity (a new browser, cleared storage, a guest token long expired) is handed their
 * session under their new player id. Only while no room holds the session: an open room keeps
 * its GM in memory and would write it back. Audited.
 */
import type { Application, RequestHandler } from "express";
import { z } from "zod";
import { matchMaker } from "@colyseus/core";
import { TavernError } from "@tavern/shared/errors";
import { describeZodError } from "../domain/validation";
import type { RoomServices } from "../services";

const handOverSchema = z.object({ playerId: z.string().min(1).max(64) }).strict();

export function mountAdminSessions(app: Application, svc: RoomServices, adminAuth: RequestHandler): void {
  app.get("/admin/sessions", adminAuth, async (req, res) => {
    const gm = typeof req.query["gm"] === "string" ? req.query["gm"] : "";
    if (!gm) throw new TavernError("VALIDATION_ERROR", "Say whose sessions: /admin/sessions?gm=PLAYER_ID.");
    res.json({ sessions: await svc.sessions.listByGm(gm) });
  });

  app.post("/admin/sessions/:id/gm", adminAuth, async (req, res) => {
    const parsed = handOverSchema.safeParse(req.body ?? {});
    if (!parsed.success) throw new TavernError("VALIDATION_ERROR", describeZodError(parsed.error));
    const id = String(req.params["id"]);
    const stored = await svc.sessions.load(id);
    if (!stored) throw new TavernError("NOT_FOUND", `No session has the id ${id}.`);
    const roomId = await svc.codes.resolve(stored.meta.code);
    const [open] = roomId ? await matchMaker.query({ roomId }) : [];
    if (open) {
      throw new TavernError("INVALID_PHASE", `The session is open in room ${stored.meta.code}: hand it over once that room has closed.`, {
        code: stored.meta.code,
      });
    }
    const previousGmPlayerId = stored.meta.gmPlayerId;
    await svc.sessions.setGm(id, parsed.data.playerId);
    svc.audit.record({
      roomId: "",
      roomType: "table",
      code: stored.meta.code,
      kind: "gm-handed-over",
      playerId: parsed.data.playerId,
      details: { sessionId: id, previousGmPlayerId, by: "admin" },
    });
    res.json({ id, code: stored.meta.code, gmPlayerId: parsed.data.playerId, previousGmPlayerId });
  });
}
