/**
 * A game's webhook endpoints over the platform API, under /api/v1/games/webhooks, with a key that
 * has the scope `webhooks:manage`: register (the signing secret is in this reply only), list,
 * read one, enable or disable, delete, and read an endpoint's delivery log. A key restricted to a
 * room registers endpoints of that room only. docs/WEBHOOKS.md describes the deliveries.
 */
import { Router, type Application, type Request } from "express";
import type { z } from "zod";
import { TavernError } from "@tavern/shared/errors";
import { isRoomCode, normalizeRoomCode } from "@tavern/shared/roomCodes";
import { createWebhookBodySchema, updateWebhookBodySchema } from "@tavern/shared/webhooks";
import { checkEndpointUrl } from "../domain/webhooks/endpointUrl";
import { describeZodError } from "../domain/validation";
import type { AuditKind } from "../persistence/auditLog";
import type { RoomServices } from "../services";
import { GAME_API_BASE } from "./gameApi";
import { callerOf, type PlatformLimiters } from "./platformLimits";
import { authenticate, metered } from "./platformRoute";

export const WEBHOOK_API_BASE = `${GAME_API_BASE}/webhooks`;

/** The routes (relative to /api/v1/games), for the OpenAPI document. */
export const WEBHOOK_API_ROUTES: ReadonlyArray<{ method: string; path: string }> = [
  { method: "post", path: "/webhooks" },
  { method: "get", path: "/webhooks" },
  { method: "get", path: "/webhooks/:id" },
  { method: "patch", path: "/webhooks/:id" },
  { method: "delete", path: "/webhooks/:id" },
  { method: "get", path: "/webhooks/:id/deliveries" },
];

const parse = <S extends z.ZodType>(schema: S, body: unknown): z.output<S> => {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) throw new TavernError("VALIDATION_ERROR", describeZodError(parsed.error));
  return parsed.data;
};

export function mountWebhookApi(app: Application, svc: RoomServices, limiters: PlatformLimiters): void {
  const router = Router();
  // Webhook routes are about no one room: a room-restricted key is held to its room at registration.
  const manage = authenticate(svc, "webhooks:manage", () => undefined);
  const route = (path: string) => metered(svc, `/webhooks${path}`);
  const idOf = (req: Request) => String(req.params["id"]);
  const audit = (req: Request, kind: AuditKind, details: Record<string, unknown>) =>
    svc.audit.record({
      roomId: "",
      roomType: "platform",
      code: "",
      kind,
      playerId: "",
      details: { apiKeyId: callerOf(req).keyId, ...details },
    });

  router.post("/", route(""), manage, limiters.tier("statusWrites"), async (req, res) => {
    const body = parse(createWebhookBodySchema, req.body);
    const url = checkEndpointUrl(body.url);
    if (!url.ok) throw new TavernError("VALIDATION_ERROR", `url ${url.problem}.`, { field: "url" });
    const caller = callerOf(req);
    let roomCode: string | null = null;
    if (body.roomCode !== undefined) {
      roomCode = normalizeRoomCode(body.roomCode);
      if (!isRoomCode(roomCode))
        throw new TavernError("VALIDATION_ERROR", `roomCode: "${body.roomCode}" is not a room code.`, { field: "roomCode" });
    }
    if (caller.roomCode !== null) {
      if (roomCode !== null && roomCode !== caller.roomCode) {
        throw new TavernError("PERMISSION_DENIED", `This key may reach room ${caller.roomCode} only.`, { roomCode: caller.roomCode });
      }
      roomCode = caller.roomCode;
    }
    const registered = await svc.webhookEndpoints.register({ lineage: caller.lineage, url: url.url, events: body.events, roomCode });
    audit(req, "webhook-registered", { endpointId: registered.id, url: registered.url, events: registered.events, roomCode });
    res.status(201).json(registered);
  });

  router.get("/", route(""), manage, limiters.tier("reads"), async (req, res) => {
    res.json({ webhooks: await svc.webhookEndpoints.list(callerOf(req).lineage) });
  });

  router.get("/:id", route("/:id"), manage, limiters.tier("reads"), async (req, res) => {
    res.json(await svc.webhookEndpoints.owned(idOf(req), callerOf(req).lineage));
  });

  router.patch("/:id", route("/:id"), manage, limiters.tier("statusWrites"), async (req, res) => {
    const { enabled } = parse(updateWebhookBodySchema, req.body);
    const view = await svc.webhookEndpoints.setEnabled(idOf(req), callerOf(req).lineage, enabled);
    audit(req, enabled ? "webhook-enabled" : "webhook-disabled", { endpointId: view.id });
    // Deliveries held while it was disabled are due now.
    if (enabled) svc.webhookOutbox.onStored?.();
    res.json(view);
  });

  router.delete("/:id", route("/:id"), manage, limiters.tier("statusWrites"), async (req, res) => {
    await svc.webhookEndpoints.remove(idOf(req), callerOf(req).lineage);
    audit(req, "webhook-deleted", { endpointId: idOf(req) });
    res.status(204).end();
  });

  router.get("/:id/deliveries", route("/:id/deliveries"), manage, limiters.tier("reads"), async (req, res) => {
    const endpoint = await svc.webhookEndpoints.owned(idOf(req), callerOf(req).lineage);
    res.json({ endpoint, deliveries: await svc.webhookEndpoints.deliveries(endpoint.id) });
  });

  app.use(WEBHOOK_API_BASE, router);
}
