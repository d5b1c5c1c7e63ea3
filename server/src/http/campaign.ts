/**
 * HTTP routes of a GM's campaign: list my sessions, export one, import one. The caller is the
 * guest whose token comes in the Authorization header.
 */
import express, { type Application } from "express";
import type { RoomServices } from "../services";
import { exportSession, importSession } from "../table/campaign";
import { bearerToken } from "./bearer";

/** Exports of big sessions outgrow the API's usual body limit. */
const IMPORT_BODY_LIMIT = "20mb";

export function mountCampaign(app: Application, svc: RoomServices): void {
  app.get("/api/sessions", async (req, res) => {
    const me = await svc.tokens.verify(bearerToken(req));
    res.json({ sessions: await svc.sessions.listByGm(me.playerId) });
  });

  app.get("/api/sessions/:id/export", async (req, res) => {
    const me = await svc.tokens.verify(bearerToken(req));
    const data = await exportSession(svc.sessions, String(req.params["id"]), me.playerId);
    res.setHeader("Content-Disposition", `attachment; filename="tavern-session-${data.session.code}.json"`);
    res.json(data);
  });

  app.post("/api/sessions/import", express.json({ limit: IMPORT_BODY_LIMIT }), async (req, res) => {
    const me = await svc.tokens.verify(bearerToken(req));
    res.status(201).json(await importSession(svc.sessions, svc.codes, req.body, me.playerId));
  });
}
