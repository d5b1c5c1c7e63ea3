/**
 * HTTP routes of a GM's campaign: list my sessions, export one, import one. The caller is the
 * guest whose token comes in the Authorization header.
 */
import express, { type Application, type Request, type RequestHandler, type Response } from "express";
import { rateLimit } from "express-rate-limit";
import { TavernError } from "@tavern/shared/errors";
import type { PlayerIdentity } from "../auth/guestTokens";
import type { ImportLimits } from "../config";
import type { RoomServices } from "../services";
import { exportSession, importSession } from "../rooms/table/campaign";
import { bearerToken } from "./bearer";
import { sendError } from "./errors";
import type { PlatformLimiters } from "./platformLimits";

export function mountCampaign(app: Application, svc: RoomServices, limiters: PlatformLimiters): void {
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

  const limits = svc.config.importLimits;
  // Who may import and how often is decided on the headers, and a declared size too: such a refusal never reads the body.
  app.post("/api/sessions/import", importer(svc), ...importRateLimits(limits, limiters), bodyWithin(limits.maxBytes), async (req, res) => {
    const bounds = { maxEntities: limits.maxEntities, maxUpdates: limits.maxUpdates };
    res.status(201).json(await importSession(svc.sessions, svc.codes, req.body, importerOf(res).playerId, bounds));
  });
}

/** The caller's token, checked before the body: an unknown caller cannot make the server read 10 MB. */
function importer(svc: RoomServices): RequestHandler {
  return async (req, res, next) => {
    try {
      res.locals["importer"] = await svc.tokens.verify(bearerToken(req));
    } catch (err) {
      refuseUnread(res);
      throw err;
    }
    next();
  };
}

function importerOf(res: Response): PlayerIdentity {
  return res.locals["importer"] as PlayerIdentity;
}

function importRateLimits(limits: ImportLimits, limiters: PlatformLimiters): RequestHandler[] {
  const hourly = (name: string, limit: number, message: string, keyGenerator?: (req: Request, res: Response) => string) =>
    rateLimit({
      windowMs: 3_600_000,
      limit,
      standardHeaders: "draft-7",
      legacyHeaders: false,
      ...(keyGenerator ? { keyGenerator } : {}),
      ...limiters.storeOptions(`import-rl:${name}`),
      handler: (_req, res) => {
        refuseUnread(res);
        sendError(res, "RATE_LIMITED", message);
      },
    });
  return [
    // Guests cost nothing to make: one address stays bounded however many it signs in.
    hourly(
      "ip",
      limits.perIpPerHour,
      `At most ${limits.perIpPerHour} imports an hour come from one address (IMPORT_RATE_PER_IP_PER_HOUR): try again later.`,
    ),
    hourly(
      "player",
      limits.perPlayerPerHour,
      `At most ${limits.perPlayerPerHour} imports an hour per player (IMPORT_RATE_PER_PLAYER_PER_HOUR): try again later.`,
      (_req, res) => importerOf(res).playerId,
    ),
  ];
}

/**
 * The JSON body, refused as soon as it is known to be too large: by its declared length before a
 * byte is read, or (chunked, or inflated from gzip) when the count passes the limit.
 */
function bodyWithin(maxBytes: number): RequestHandler {
  const json = express.json({ limit: maxBytes });
  const tooLarge = () =>
    new TavernError("VALIDATION_ERROR", `An import is at most ${maxBytes} bytes (IMPORT_MAX_BYTES); this request's body is larger.`, {
      limit: "IMPORT_MAX_BYTES",
      max: maxBytes,
    });
  return (req, res, next) => {
    const declared = Number(req.headers["content-length"]);
    const identity = (req.headers["content-encoding"] ?? "identity").toLowerCase() === "identity";
    if (identity && declared > maxBytes) {
      refuseUnread(res);
      return next(tooLarge());
    }
    json(req, res, (err?: unknown) => {
      if ((err as { type?: string } | undefined)?.type === "entity.too.large") return next(tooLarge());
      next(err);
    });
  };
}

/** A refusal before the body is read ends the connection, so the rest of the upload is not waited for. */
function refuseUnread(res: Response): void {
  res.set("Connection", "close");
}
