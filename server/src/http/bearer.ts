import type { Request } from "express";

/** The token of `Authorization: Bearer <token>`, if any. */
export function bearerToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  return header?.startsWith("Bearer ") ? header.slice("Bearer ".length).trim() : undefined;
}
