/**
 * Guest identity: a signed token (HS256 JWT) carrying a stable player id, a display name and the
 * id of the device (browser) it was issued to. Whoever presents the token is that player, so a
 * reload or a second tab takes back the same seat; the device id lets a kick outlast the guest.
 */
import { randomBytes } from "node:crypto";
import { createSigner, createVerifier, TokenError } from "fast-jwt";
import { TavernError } from "@tavern/shared/errors";
import { characterSchema } from "@tavern/shared/characters";
import { deviceIdSchema, type GuestSession } from "@tavern/shared/protocol";

export interface PlayerIdentity {
  playerId: string;
  name: string;
  /** Undefined only for tokens issued before tokens carried one (they stay valid until they expire). */
  deviceId?: string;
  /** The account token version the token carries (0 for tokens issued before a claim). */
  tokenVersion?: number;
  /** Epoch milliseconds the token stops working: a token past half its life is renewed on use. */
  expiresAt?: number;
  /** The character picked at sign-in (an index in CHARACTERS); undefined when none was. */
  character?: number;
}

/** The token claim carrying the device id. */
const DEVICE_CLAIM = "dev";
/** The token claim carrying the account's token version (auth/accounts.ts). */
const VERSION_CLAIM = "tv";

/** The token version a player's tokens must carry; undefined for a guest without an account. */
export type TokenVersionOf = (playerId: string) => Promise<number | undefined>;
/** The token claim carrying the picked character. */
const CHARACTER_CLAIM = "chr";

/**
 * Tokens whose signature was checked lately, with what they said: a join checks the same token
 * twice (the matchmaking request, then the WebSocket), and a storm checks hundreds in a second.
 * A hit still obeys the token's expiry and the account's version (verify() asks every time).
 */
const VERIFIED_CACHE_MAX = 10_000;

const ISSUER = "tavern";
const AUDIENCE = "tavern-guest";

export class GuestTokens {
  /**
   * Signing and checking are synchronous HMACs (fast-jwt over node:crypto). A WebCrypto-based JWT
   * library hands each one to the thread pool and back: in a loaded server that round trip, not
   * the HMAC, was the largest cost Tavern added to a join (measured in the README's storm table).
   */
  private readonly signToken: (payload: Record<string, unknown>) => string;
  private readonly checkToken: (token: string) => Record<string, unknown>;

  constructor(
    secret: string | undefined,
    private readonly ttlHours: number,
    private readonly versionOf: TokenVersionOf = async () => undefined,
    /** Told of every player id this issues for the first time (it has no account yet). */
    private readonly onNewPlayer: (playerId: string) => void = () => {},
  ) {
    const key = secret ? Buffer.from(secret, "utf8") : randomBytes(32);
    this.signToken = createSigner({ key, algorithm: "HS256", iss: ISSUER, aud: AUDIENCE });
    this.checkToken = createVerifier({ key, algorithms: ["HS256"], allowedIss: ISSUER, allowedAud: AUDIENCE, requiredClaims: ["exp"] });
  }

  /** Whether a token should be replaced by a fresh one: it is past half its life. */
  due(identity: PlayerIdentity, now = Date.now()): boolean {
    return identity.expiresAt !== undefined && identity.expiresAt - now < (this.ttlHours * 3_600_000) / 2;
  }

  /** A fresh token for a verified identity: same player, name, device and version, a new lifetime. */
  renew(identity: PlayerIdentity, username?: string): Promise<GuestSession> {
    return this.issue(identity.name, {
      playerId: identity.playerId,
      ...(identity.deviceId ? { deviceId: identity.deviceId } : {}),
      ...(identity.tokenVersion ? { tokenVersion: identity.tokenVersion } : {}),
      ...(username ? { username } : {}),
      ...(identity.character !== undefined ? { character: identity.character } : {}),
    });
  }

  /**
   * A new guest. `deviceId` is the caller's (already validated as deviceIdSchema); without one
   * the device gets a fresh id, returned in the session for the client to keep.
   */
  async issue(
    name: string,
    options: { playerId?: string; deviceId?: string; tokenVersion?: number; username?: string; character?: number } = {},
  ): Promise<GuestSession> {
    const playerId = options.playerId ?? newPlayerId();
    if (options.playerId === undefined) this.onNewPlayer(playerId);
    const deviceId = options.deviceId ?? newDeviceId();
    const expiresAt = new Date(Date.now() + this.ttlHours * 3_600_000);
    const claims: Record<string, unknown> = { name, [DEVICE_CLAIM]: deviceId };
    if (options.tokenVersion) claims[VERSION_CLAIM] = options.tokenVersion;
    if (options.character !== undefined) claims[CHARACTER_CLAIM] = options.character;
    const token = this.signToken({ ...claims, sub: playerId, exp: Math.floor(expiresAt.getTime() / 1000) });
    const session: GuestSession = { token, playerId, name, deviceId, expiresAt: expiresAt.toISOString() };
    if (options.username) session.username = options.username;
    if (options.character !== undefined) session.character = options.character;
    return session;
  }

  /** Verifies a token; a missing, forged, malformed or expired one is an UNAUTHORIZED TavernError. */
  async verify(token: string | undefined | null): Promise<PlayerIdentity> {
    const identity = this.verifySignature(token);
    const required = await this.versionOf(identity.playerId);
    if (required !== undefined && (identity.tokenVersion ?? 0) !== required) {
      throw new TavernError("UNAUTHORIZED", "This sign-in was ended (signed out everywhere, or the password changed): sign in again.");
    }
    return identity;
  }

  private readonly verified = new Map<string, PlayerIdentity>();

  private verifySignature(token: string | undefined | null): PlayerIdentity {
    const known = token ? this.verified.get(token) : undefined;
    if (known && (known.expiresAt === undefined || known.expiresAt > Date.now())) return { ...known };
    const identity = this.checkSignature(token);
    if (this.verified.size >= VERIFIED_CACHE_MAX) this.verified.clear();
    this.verified.set(token as string, identity);
    return { ...identity };
  }

  private checkSignature(token: string | undefined | null): PlayerIdentity {
    if (!token) {
      throw new TavernError("UNAUTHORIZED", "Sign in first: no guest token was sent (POST /api/auth/guest).");
    }
    try {
      const payload = this.checkToken(token) as Record<string, unknown> & { sub?: unknown; exp?: number };
      const name = payload["name"];
      if (typeof payload.sub !== "string" || payload.sub.length === 0 || typeof name !== "string") {
        throw new TavernError("UNAUTHORIZED", "The guest token is missing its player id or name.");
      }
      const version = payload[VERSION_CLAIM];
      const identity: PlayerIdentity = {
        playerId: payload.sub,
        name,
        ...(typeof version === "number" && Number.isInteger(version) ? { tokenVersion: version } : {}),
        ...(payload.exp !== undefined ? { expiresAt: payload.exp * 1000 } : {}),
      };
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
      if (err instanceof TokenError && err.code === TokenError.codes.expired) {
        throw new TavernError("UNAUTHORIZED", "The guest token has expired: sign in again.");
      }
      throw new TavernError("UNAUTHORIZED", "The guest token is not valid: sign in again.");
    }
  }
}

/**
 * 128 random bits as 25 lower-case letters and digits. A player id travels in every room state
 * (a map key, twice in a space: seat and avatar) to every client, so it is kept shorter than a
 * UUID's 36 characters; letters and digits only, so it reads safely in URLs, logs and command
 * lines (never a leading "-"). Ids issued earlier (UUIDs) stay valid: ids are opaque strings.
 */
export function newPlayerId(): string {
  return BigInt(`0x${randomBytes(16).toString("hex")}`)
    .toString(36)
    .padStart(25, "0");
}

/** 128 random bits, in the alphabet deviceIdSchema accepts. */
export function newDeviceId(): string {
  return randomBytes(16).toString("base64url");
}
