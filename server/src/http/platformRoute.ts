/**
 * What every platform API route does before its own work: count and time the request by key,
 * route and outcome, and authenticate its API key with the scope the route needs (and, for routes
 * about one room, the key's room restriction).
 */
import type { Request, Response } from "express";
import { TavernError } from "@tavern/shared/errors";
import type { ApiKeyScope } from "@tavern/shared/platform";
import { normalizeRoomCode } from "@tavern/shared/roomCodes";
import type { RoomServices } from "../services";
import { bearerToken } from "./bearer";

/** The room a route is about: its `:code` parameter. Routes about no one room (webhooks) pass `() => undefined`. */
export const roomCodeParam = (req: Request): string | undefined => normalizeRoomCode(String(req.params["code"] ?? ""));

export function authenticate(svc: RoomServices, scope: ApiKeyScope, roomOf: (req: Request) => string | undefined = roomCodeParam) {
  return async (req: Request, res: Response, next: () => void): Promise<void> => {
    const caller = await svc.apiKeys.authenticate(bearerToken(req));
    (req as Request & { apiCaller: typeof caller }).apiCaller = caller;
    res.locals["apiKeyId"] = caller.keyId;
    if (!caller.scopes.has(scope)) {
      throw new TavernError("PERMISSION_DENIED", `This key may not do this: it needs the scope ${scope}.`, { scope });
    }
    const code = roomOf(req);
    if (code !== undefined && caller.roomCode !== null && caller.roomCode !== code) {
      throw new TavernError("PERMISSION_DENIED", `This key may reach room ${caller.roomCode} only.`, { roomCode: caller.roomCode });
    }
    next();
  };
}

/** Counts the request by key, route and outcome, and times it. */
export function metered(svc: RoomServices, route: string) {
  return (_req: Request, res: Response, next: () => void) => {
    const stop = svc.metrics.platformLatency.startTimer({ route });
    res.on("finish", () => {
      stop();
      const outcome = res.get("Idempotent-Replayed") ? "replayed" : res.statusCode < 400 ? "ok" : String(res.statusCode);
      svc.metrics.platformRequests.inc({ api_key: String(res.locals["apiKeyId"] ?? "none"), route, outcome });
    });
    next();
  };
}
