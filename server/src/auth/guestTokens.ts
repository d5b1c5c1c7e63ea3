/**
 * Guest identity: a signed token (HS256 JWT) carrying a stable player id and a display name.
 * Whoever presents the token is that player, so a reload or a second tab takes back the same seat.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { SignJWT, jwtVerify, errors as joseErrors } from "jose";
import { TavernError } from "../../../shared/src/errors";
import type { GuestSession } from "../../../shared/src/protocol";

export interface PlayerIdentity {
  playerId: string;
  name: string;
}

const ISSUER = "tavern";
const AUDIENCE = "tavern-guest";

export class GuestTokens {
  private readonly key: Uint8Array;

  constructor(
    secret: string | undefined,
    private readonly ttlHours: number,
  ) {
    this.key = secret ? new TextEncoder().encode(secret) : randomBytes(32);
  }

  async issue(name: string, playerId: string = randomUUID()): Promise<GuestSession> {
    const expiresAt = new Date(Date.now() + this.ttlHours * 3_600_000);
    const token = await new SignJWT({ name })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(playerId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.key);
    return { token, playerId, name, expiresAt: expiresAt.toISOString() };
  }

  /** Verifies a token; a missing, forged, malformed or expired one is an UNAUTHORIZED TavernError. */
  async verify(token: string | undefined | null): Promise<PlayerIdentity> {
    if (!token) {
      throw new TavernError("UNAUTHORIZED", "Sign in first: no guest token was sent (POST /api/auth/guest).");
    }
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ["HS256"],
      });
      const name = payload["name"];
      if (typeof payload.sub !== "string" || payload.sub.length === 0 || typeof name !== "string") {
        throw new TavernError("UNAUTHORIZED", "The guest token is missing its player id or name.");
      }
      return { playerId: payload.sub, name };
    } catch (err) {
      if (err instanceof TavernError) throw err;
      if (err instanceof joseErrors.JWTExpired) {
        throw new TavernError("UNAUTHORIZED", "The guest token has expired: sign in again.");
      }
      throw new TavernError("UNAUTHORIZED", "The guest token is not valid: sign in again.");
    }
  }
}
