/**
 * A game's webhook endpoints over the platform API, under /api/v1/games/webhooks, with a key that
 * has the scope `webhooks:manage`: register (the signing secret is in this reply only), list,
 * read one, enable or disable, delete, and read an endpoint's delivery log. A key restricted to a
 * room registers endpoints of that room only. docs/WEBHOOKS.md describes the deliveries.
 */
import { Router, type Application, type Request, type RequestHandler } from "express";
import type { z } from "zod";
import { TavernError } from "@tavern/shared/errors";
import { isRoomCode, normalizeRoomCode } from "@tavern/shared/roomCodes";
import type { ApiKeyScope } from "@tavern/shared/platform";
import {
  createWebhookBodySchema,
  updateWebhookBodySchema,
  type RegisteredWebhook,
  type WebhookDeliveriesReply,
  type WebhookEndpointView,
  type WebhookListReply,
} from "@tavern/shared/webhooks";
import { checkEndpointUrl } from "../domain/webhooks/endpointUrl";
import { describeZodError } from "../domain/validation";
import type { AuditKind } from "../persistence/auditLog";
import type { RoomServices } from "../services";
import { GAME_API_BASE } from "./gameApi";
import { callerOf, type LimitTier, type PlatformLimiters } from "./platformLimits";
import { authenticate, metered } from "./platformRoute";

export interface WebhookApiRoute {
  method: "get" | "post" | "patch" | "delete";
  /** Relative to GAME_API_BASE. */
  path: string;
  scope: ApiKeyScope;
  tier: LimitTier;
}

const SCOPE = "webhooks:manage" satisfies ApiKeyScope;

/** The routes with what they need: the router is built from this, the OpenAPI test checks the document against it. */
export const WEBHOOK_API_ROUTES = [
  { method: "post", path: "/webhooks", scope: SCOPE, tier: "statusWrites" },
  { method: "get", path: "/webhooks", scope: SCOPE, tier: "reads" },
  { method: "get", path: "/webhooks/:id", scope: SCOPE, tier: "reads" },
  { method: "patch", path: "/webhooks/:id", scope: SCOPE, tier: "statusWrites" },
  { method: "delete", path: "/webhooks/:id", scope: SCOPE, tier: "statusWrites" },
  { method: "get", path: "/webhooks/:id/deliveries", scope: SCOPE, tier: "reads" },
] as const satisfies readonly WebhookApiRoute[];

const parse = <S extends z.ZodType>(schema: S, body: unknown): z.output<S> => {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) throw new TavernError("VALIDATION_ERROR", describeZodError(parsed.error));
  return parsed.data;
};

export function mountWebhookApi(app: Application, svc: RoomServices, limiters: PlatformLimiters): void {
  app.use(GAME_API_BASE, webhookApiRouter(svc, limiters));
}

type RouteOf<M extends WebhookApiRoute["method"]> = Extract<(typeof WEBHOOK_API_ROUTES)[number], { method: M }>["path"];

/** The webhook API's router (relative to GAME_API_BASE); the OpenAPI test reads its route list. */
export function webhookApiRouter(svc: RoomServices, limiters: PlatformLimiters): Router {
  const router = Router();
  /** Metering, the key with the route's scope (webhook routes are about no one room: a room-restricted key is held to its room at registration), its tier. */
  const guards = (method: WebhookApiRoute["method"], path: string): RequestHandler[] => {
    const route = WEBHOOK_API_ROUTES.find((r) => r.method === method && r.path === path);
    if (!route) throw new Error(`${method} ${path} is not in WEBHOOK_API_ROUTES`);
    return [metered(svc, path), authenticate(svc, route.scope, () => undefined), limiters.tier(route.tier)];
  };
  const on = {
    get: (path: RouteOf<"get">, handler: RequestHandler) => router.get(path, ...guards("get", path), handler),
    post: (path: RouteOf<"post">, handler: RequestHandler) => router.post(path, ...guards("post", path), handler),
    patch: (path: RouteOf<"patch">, handler: RequestHandler) => router.patch(path, ...guards("patch", path), handler),
    delete: (path: RouteOf<"delete">, handler: RequestHandler) => router.delete(path, ...guards("delete", path), handler),
  };
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

  on.post("/webhooks", async (req, res) => {
    const body = parse(createWebhookBodySchema, req.body);
    const url = checkEndpointUrl(body.url, svc.config.webhooks);
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
    const registered: RegisteredWebhook = await svc.webhookEndpoints.register({
      lineage: caller.lineage,
      url: url.url,
      events: body.events,
      roomCode,
    });
    audit(req, "webhook-registered", { endpointId: registered.id, url: registered.url, events: registered.events, roomCode });
    res.status(201).json(registered);
  });

  on.get("/webhooks", async (req, res) => {
    const reply: WebhookListReply = { webhooks: await svc.webhookEndpoints.list(callerOf(req).lineage) };
    res.json(reply);
  });

  on.get("/webhooks/:id", async (req, res) => {
    const reply: WebhookEndpointView = await svc.webhookEndpoints.owned(idOf(req), callerOf(req).lineage);
    res.json(reply);
  });

  on.patch("/webhooks/:id", async (req, res) => {
    const { enabled } = parse(updateWebhookBodySchema, req.body);
    const view: WebhookEndpointView = await svc.webhookEndpoints.setEnabled(idOf(req), callerOf(req).lineage, enabled);
    audit(req, enabled ? "webhook-enabled" : "webhook-disabled", { endpointId: view.id });
    // Deliveries held while it was disabled are due now.
    if (enabled) svc.webhookOutbox.onStored?.();
    res.json(view);
  });

  on.delete("/webhooks/:id", async (req, res) => {
    await svc.webhookEndpoints.remove(idOf(req), callerOf(req).lineage);
    audit(req, "webhook-deleted", { endpointId: idOf(req) });
    res.status(204).end();
  });

  on.get("/webhooks/:id/deliveries", async (req, res) => {
    const endpoint = await svc.webhookEndpoints.owned(idOf(req), callerOf(req).lineage);
    const reply: WebhookDeliveriesReply = { endpoint, deliveries: await svc.webhookEndpoints.deliveries(endpoint.id) };
    res.json(reply);
  });

  return router;
}
