/**
 * The HTTP API: guest sign-in, room lookup by code, room creation, public room list, health.
 * Every error answers with `{ code, message }` from the shared error list.
 */
import express, { type Application } from "express";
import { rateLimit } from "express-rate-limit";
import { matchMaker } from "@colyseus/core";
import { TavernError, errorCodeFromNumber } from "@tavern/shared/errors";
import { isRoomCode, normalizeRoomCode } from "@tavern/shared/roomCodes";
import { ROOM_TYPES, createRoomBodySchema, guestBodySchema, type RoomListingMetadata } from "@tavern/shared/protocol";
import { describeZodError } from "../domain/validation";
import { CALLER_OPTION, type Caller } from "../lifecycle/joinGate";
import type { RoomServices } from "../services";
import { sendError } from "./errors";
import { bearerToken } from "./bearer";
import { storedSummary, toSummary } from "./roomSummary";
import { mountCampaign } from "./campaign";
import { mountAccountApi } from "./accountApi";
import { mountGameApi } from "./gameApi";
import { mountWebhookApi } from "./webhookApi";
import { mountApiDocs } from "./openapi/docsRoutes";
import type { PlatformLimiters } from "./platformLimits";

export function mountApi(app: Application, svc: RoomServices, limiters: PlatformLimiters): void {
  const limiter = rateLimit({
    windowMs: 60_000,
    limit: svc.config.httpRateLimitPerMinute,
    standardHeaders: "draft-7",
    legacyHeaders: false,
    ...limiters.storeOptions("http-rl"),
    handler: (_req, res) => sendError(res, "RATE_LIMITED", "Too many requests: try again in a minute."),
  });

  // Before the API's small JSON body limit: imports carry whole sessions.
  mountCampaign(app, svc, limiters);

  // Browser pages of other origins get a CORS grant only when listed in CORS_ORIGINS (http/cors.ts).
  app.use("/api", express.json({ limit: "16kb" }));

  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok", uptimeSeconds: Math.round(process.uptime()), node: process.version });
  });

  app.post("/api/auth/guest", limiter, async (req, res) => {
    const parsed = guestBodySchema.safeParse(req.body ?? {});
    if (!parsed.success) return sendError(res, "VALIDATION_ERROR", describeZodError(parsed.error));
    const { name, deviceId, character } = parsed.data;
    res.status(201).json(await svc.tokens.issue(name, { deviceId, character }));
  });

  app.get("/api/rooms", async (_req, res) => {
    const listings = await matchMaker.query({ private: false, unlisted: false });
    res.json({
      rooms: listings.filter((l) => (ROOM_TYPES as readonly string[]).includes(l.name)).map(toSummary),
    });
  });

  app.get("/api/rooms/:code", async (req, res) => {
    const code = normalizeRoomCode(String(req.params["code"] ?? ""));
    if (!isRoomCode(code)) return sendError(res, "NOT_FOUND", `"${req.params["code"]}" is not a room code.`);
    const roomId = await svc.codes.resolve(code);
    const [listing] = roomId ? await matchMaker.query({ roomId }) : [];
    if (listing) return res.json(toSummary(listing));
    // A stored table session opens when someone joins by its code.
    if (await svc.sessions.idForCode(code)) return res.json(storedSummary(code));
    sendError(res, "NOT_FOUND", `No room has the code ${code}.`);
  });

  app.post("/api/rooms", limiter, async (req, res) => {
    const me = await svc.tokens.verify(bearerToken(req));
    const parsed = createRoomBodySchema.safeParse(req.body ?? {});
    if (!parsed.success) return sendError(res, "VALIDATION_ERROR", describeZodError(parsed.error));
    const { type, config } = parsed.data;
    if (!(ROOM_TYPES as readonly string[]).includes(type)) {
      return sendError(res, "VALIDATION_ERROR", `Unknown room type "${type}" (known: ${ROOM_TYPES.join(", ")}).`);
    }
    try {
      const caller: Caller = { playerId: me.playerId, ip: req.ip };
      const listing = await matchMaker.createRoom(type, { config: config ?? {}, [CALLER_OPTION]: caller });
      const meta = listing.metadata as RoomListingMetadata;
      res.status(201).json({ roomId: listing.roomId, code: meta.code, type });
    } catch (err) {
      const mapped = errorCodeFromNumber((err as { code?: number }).code ?? 0);
      if (mapped) throw new TavernError(mapped, (err as Error).message);
      throw err;
    }
  });

  mountAccountApi(app, svc, limiters);
  mountGameApi(app, svc, limiters);
  mountWebhookApi(app, svc, limiters);
  mountApiDocs(app);

  app.use("/api", (_req, res) => sendError(res, "NOT_FOUND", "No such API endpoint."));
}
