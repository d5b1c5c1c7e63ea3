/**
 * Which browser pages may call Tavern from another origin. Colyseus answers every HTTP request
 * (admin routes included) with the grant its controller computes, by default the request's own
 * Origin reflected with `Allow-Credentials: true`: any site could then read admin answers with an
 * operator's saved basic-auth credentials. Here the grant goes only to the origins the operator
 * lists (CORS_ORIGINS), never with credentials (Tavern's tokens travel in the Authorization header,
 * not in cookies), and admin routes strip it from their answers. The page Tavern serves itself is
 * same-origin and needs no grant.
 */
import { matchMaker } from "@colyseus/core";
import type { Application, RequestHandler } from "express";

/** Paths whose answers never carry a CORS grant, whatever the origin. */
export const ADMIN_PATHS = ["/admin", "/metrics", "/colyseus"];

export function corsHeadersFor(origin: string | null, allowed: ReadonlySet<string>): Record<string, string> {
  if (allowed.size === 0) return {};
  // With origins listed, every answer depends on the Origin header, granted or not: without Vary a
  // shared cache would hand one origin's answer (and its grant, or lack of one) to another.
  if (!origin || !allowed.has(origin)) return { Vary: "Origin" };
  return {
    "Access-Control-Allow-Origin": origin,
    "Access-Control-Allow-Headers": "Content-Type, Authorization, Idempotency-Key",
    "Access-Control-Allow-Methods": "GET, POST, PUT, PATCH, DELETE, OPTIONS",
    "Access-Control-Max-Age": "600",
    Vary: "Origin",
  };
}

const stripGrant: RequestHandler = (_req, res, next) => {
  for (const name of res.getHeaderNames()) if (name.startsWith("access-control-")) res.removeHeader(name);
  next();
};

export function installCors(app: Application, origins: readonly string[]): void {
  const allowed = new Set(origins);
  // Typed as the permissive set it ships with; an empty set grants nothing by itself.
  (matchMaker.controller as { DEFAULT_CORS_HEADERS: Record<string, string> }).DEFAULT_CORS_HEADERS = {};
  matchMaker.controller.getCorsHeaders = (headers: Headers) => corsHeadersFor(headers.get("origin"), allowed);
  app.use(ADMIN_PATHS, stripGrant);
}
