/**
 * Guest identity: a signed token (HS256 JWT) carrying a stable player id, a display name and the
 * id of the device (browser) it was issued to. Whoever presents the token is that player, so a
 * reload or a second tab takes back the same seat; the device id lets a kick outlast the guest.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { SignJWT, jwtVerify, errors as joseErrors } from "jose";
import { TavernError } from "@tavern/shared/errors";
import { characterSchema } from "@tavern/shared/characters";
import { deviceIdSchema, type GuestSession } from "@tavern/shared/protocol";

export interface PlayerIdentity {
  playerId: string;
  name: string;
  /** Undefined only for tokens issued before tokens carried one (they stay valid until they expire). */
  deviceId?: string;
  /** The character picked at sign-in (an index in CHARACTERS); undefined when none was. */
  character?: number;
}

/** The token claim carrying the device id. */
const DEVICE_CLAIM = "dev";
/** The token claim carrying the picked character. */
const CHARACTER_CLAIM = "chr";

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

  /**
   * A new guest. `deviceId` is the caller's (already validated as deviceIdSchema); without one
   * the device gets a fresh id, returned in the session for the client to keep.
   */
  async issue(name: string, options: { playerId?: string; deviceId?: string; character?: number } = {}): Promise<GuestSession> {
    const playerId = options.playerId ?? randomUUID();
    const deviceId = options.deviceId ?? newDeviceId();
    const expiresAt = new Date(Date.now() + this.ttlHours * 3_600_000);
    const claims: Record<string, unknown> = { name, [DEVICE_CLAIM]: deviceId };
    if (options.character !== undefined) claims[CHARACTER_CLAIM] = options.character;
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(playerId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.key);
    const session: GuestSession = { token, playerId, name, deviceId, expiresAt: expiresAt.toISOString() };
    if (options.character !== undefined) session.character = options.character;
    return session;
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
      const identity: PlayerIdentity = { playerId: payload.sub, name };
      const deviceId = payload[DEVICE_CLAIM];
      if (deviceId !== undefined) {
        const device = deviceIdSchema.safeParse(deviceId);
        if (!device.success) {
          throw new TavernError("UNAUTHORIZED", "The guest token carries a malformed device id: sign in again.");
        }
        identity.deviceId = device.data;
      }
      // A character the roster no longer has (it shrank since) is dropped: the room gives one.
      const character = characterSchema.safeParse(payload[CHARACTER_CLAIM]);
      if (character.success) identity.character = character.data;
      return identity;
    } catch (err) {
      if (err instanceof TavernError) throw err;
      if (err instanceof joseErrors.JWTExpired) {
        throw new TavernError("UNAUTHORIZED", "The guest token has expired: sign in again.");
      }
      throw new TavernError("UNAUTHORIZED", "The guest token is not valid: sign in again.");
    }
  }
}

/** 128 random bits, in the alphabet deviceIdSchema accepts. */
export function newDeviceId(): string {
  return randomBytes(16).toString("base64url");
}
