import basicAuth from "express-basic-auth";
import type { RequestHandler } from "express";

/** HTTP Basic auth for the monitor and admin endpoints (never served open). */
export function adminAuth(user: string, password: string): RequestHandler {
  return basicAuth({
    authorizer: (u: string, p: string) => basicAuth.safeCompare(u, user) && basicAuth.safeCompare(p, password),
    challenge: true,
    realm: "Tavern admin",
  });
}
