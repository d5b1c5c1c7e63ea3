/**
 * Webhooks for admins (behind the admin credentials): every game's endpoints (never a secret), and
 * one endpoint's delivery log, to see what a game's receiver was sent and what it answered.
 */
import type { Application, RequestHandler } from "express";
import { TavernError } from "@tavern/shared/errors";
import type { RoomServices } from "../services";

export const ADMIN_WEBHOOKS_PATH = "/admin/webhooks";

export function mountAdminWebhooks(app: Application, svc: RoomServices, adminAuth: RequestHandler): void {
  app.get(ADMIN_WEBHOOKS_PATH, adminAuth, async (_req, res) => {
    res.json({ webhooks: await svc.webhookEndpoints.listAll() });
  });

  app.get(`${ADMIN_WEBHOOKS_PATH}/:id/deliveries`, adminAuth, async (req, res) => {
    const id = String(req.params["id"]);
    if (!(await svc.webhookEndpoints.exists(id))) throw new TavernError("NOT_FOUND", `No webhook endpoint has the id ${id}.`);
    res.json({ endpointId: id, deliveries: await svc.webhookEndpoints.deliveries(id) });
  });
}
