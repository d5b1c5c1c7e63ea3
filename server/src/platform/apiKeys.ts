/**
 * API keys for external games: issued (the secret shown once, only its SHA-256 kept), listed
 * without secrets, rotated (the old key keeps working for a grace period, then stops), revoked
 * (at once), and checked on every platform request in constant time.
 *
 * A key reads `tvk_<id>_<secret>`: the id finds the row, the secret (32 random bytes) is what is
 * hashed. A fast hash is enough for a secret of that entropy: no dictionary reaches it.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { and, count, desc, eq, gt, isNull, or } from "drizzle-orm";
import { TavernError } from "@tavern/shared/errors";
import { API_KEY_PREFIX, type ApiKeyScope, type ApiKeyView, type CreateApiKeyBody, type IssuedApiKey } from "@tavern/shared/platform";
import type { Db } from "../persistence/database";
import { apiKeys } from "../persistence/schema";

type ApiKeyRow = typeof apiKeys.$inferSelect;

/** A key that passed its checks: who is calling and what it may do. */
export interface ApiCaller {
  keyId: string;
  lineage: string;
  name: string;
  scopes: ReadonlySet<ApiKeyScope>;
  roomCode: string | null;
}

const KEY_PATTERN = /^tvk_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;
/** lastUsedAt is written at most this often per key (it is for people, not for accounting). */
const LAST_USED_RESOLUTION_MS = 60_000;
/**
 * How long a key's row is trusted from memory. Revocation and rotation tell every process at once
 * (KeyChanges); this bounds how stale a process can be if such a message is lost.
 */
const ROW_CACHE_MS = 30_000;
const ROW_CACHE_MAX = 10_000;

/** How processes tell each other that a key changed (through the Colyseus presence: Redis when scaled out). */
export interface KeyChanges {
  publish(keyId: string): void;
  subscribe(onChange: (keyId: string) => void): void;
}

export class ApiKeyStore {
  private readonly lastUsedWritten = new Map<string, number>();
  /** Rows by id: a platform request would otherwise cost a database round trip before anything else. */
  private readonly rows = new Map<string, { row: ApiKeyRow | undefined; at: number }>();

  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
    private readonly changes?: KeyChanges,
  ) {
    changes?.subscribe((id) => this.rows.delete(id));
  }

  private changed(id: string): void {
    this.rows.delete(id);
    this.changes?.publish(id);
  }

  private async cachedRow(id: string): Promise<ApiKeyRow | undefined> {
    const now = this.now().getTime();
    const hit = this.rows.get(id);
    if (hit && now - hit.at < ROW_CACHE_MS) return hit.row;
    const [row] = await this.db.select().from(apiKeys).where(eq(apiKeys.id, id));
    if (this.rows.size >= ROW_CACHE_MAX) this.rows.clear();
    this.rows.set(id, { row, at: now });
    return row;
  }

  async create(body: CreateApiKeyBody): Promise<IssuedApiKey> {
    const expiresAt = body.expiresInSeconds ? new Date(this.now().getTime() + body.expiresInSeconds * 1000) : null;
    return this.issue({ name: body.name, scopes: body.scopes, roomCode: body.roomCode ?? null, expiresAt, lineage: undefined });
  }

  async list(): Promise<ApiKeyView[]> {
    const rows = await this.db.select().from(apiKeys).orderBy(desc(apiKeys.createdAt));
    return rows.map(toView);
  }

  async get(id: string): Promise<ApiKeyView> {
    return toView(await this.row(id));
  }

  /** A new key with the same name, scopes and room; the old one works `graceSeconds` more, then stops. */
  async rotate(id: string, graceSeconds: number): Promise<{ issued: IssuedApiKey; previous: ApiKeyView }> {
    const old = await this.row(id);
    if (old.revokedAt) throw new TavernError("INVALID_PHASE", `Key ${id} is revoked: create a new one instead.`);
    if (old.replacedBy) throw new TavernError("INVALID_PHASE", `Key ${id} was rotated already (by ${old.replacedBy}).`);
    const issued = await this.issue({
      name: old.name,
      scopes: old.scopes as ApiKeyScope[],
      roomCode: old.roomCode,
      expiresAt: old.expiresAt,
      lineage: old.lineage,
    });
    const graceEnd = new Date(this.now().getTime() + graceSeconds * 1000);
    const expiresAt = old.expiresAt && old.expiresAt < graceEnd ? old.expiresAt : graceEnd;
    const [previous] = await this.db.update(apiKeys).set({ replacedBy: issued.id, expiresAt }).where(eq(apiKeys.id, id)).returning();
    this.changed(id);
    return { issued, previous: toView(previous!) };
  }

  /** Revokes the key; `lineageEnded` says whether no key of its game works any more (its webhooks must stop too). */
  async revoke(id: string): Promise<{ view: ApiKeyView; lineage: string; lineageEnded: boolean }> {
    await this.row(id);
    const [row] = await this.db.update(apiKeys).set({ revokedAt: this.now() }).where(eq(apiKeys.id, id)).returning();
    this.changed(id);
    const now = this.now();
    const [live] = await this.db
      .select({ n: count() })
      .from(apiKeys)
      .where(and(eq(apiKeys.lineage, row!.lineage), isNull(apiKeys.revokedAt), or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, now))));
    return { view: toView(row!), lineage: row!.lineage, lineageEnded: Number(live?.n ?? 0) === 0 };
  }

  /** The caller behind an Authorization bearer value, or UNAUTHORIZED saying why not. */
  async authenticate(presented: string | undefined): Promise<ApiCaller> {
    if (!presented) throw new TavernError("UNAUTHORIZED", "Send the game's API key: Authorization: Bearer tvk_...");
    const match = KEY_PATTERN.exec(presented);
    if (!match) throw new TavernError("UNAUTHORIZED", "That is not a Tavern API key (they look like tvk_<id>_<secret>).");
    const [, id] = match;
    const row = await this.cachedRow(id!);
    // The same comparison runs when no row matched, so timing does not tell which ids exist.
    const expected = Buffer.from(row?.secretHash ?? "0".repeat(64), "hex");
    const same = timingSafeEqual(expected, Buffer.from(hashKey(presented), "hex"));
    if (!row || !same) throw new TavernError("UNAUTHORIZED", "This API key is not known.");
    const now = this.now();
    if (row.revokedAt) throw new TavernError("UNAUTHORIZED", "This API key was revoked.");
    if (row.expiresAt && row.expiresAt <= now) {
      const why = row.replacedBy ? `it was rotated and its grace period ended; use key ${row.replacedBy}` : "it expired";
      throw new TavernError("UNAUTHORIZED", `This API key no longer works: ${why}.`);
    }
    this.noteUse(row.id, now);
    return { keyId: row.id, lineage: row.lineage, name: row.name, scopes: new Set(row.scopes as ApiKeyScope[]), roomCode: row.roomCode };
  }

  private async issue(fields: {
    name: string;
    scopes: readonly ApiKeyScope[];
    roomCode: string | null;
    expiresAt: Date | null;
    lineage: string | undefined;
  }): Promise<IssuedApiKey> {
    const id = keyId();
    const key = `${API_KEY_PREFIX}${id}_${randomBytes(32).toString("base64url")}`;
    const [row] = await this.db
      .insert(apiKeys)
      .values({
        id,
        lineage: fields.lineage ?? id,
        name: fields.name,
        secretHash: hashKey(key),
        scopes: [...new Set(fields.scopes)],
        roomCode: fields.roomCode,
        createdAt: this.now(),
        expiresAt: fields.expiresAt,
      })
      .returning();
    return { ...toView(row!), key };
  }

  private async row(id: string): Promise<ApiKeyRow> {
    const [row] = await this.db.select().from(apiKeys).where(eq(apiKeys.id, id));
    if (!row) throw new TavernError("NOT_FOUND", `No API key has the id ${id}.`);
    return row;
  }

  private noteUse(id: string, now: Date): void {
    const last = this.lastUsedWritten.get(id) ?? 0;
    if (now.getTime() - last < LAST_USED_RESOLUTION_MS) return;
    this.lastUsedWritten.set(id, now.getTime());
    // Bookkeeping for the key list: a failed write must not fail the request.
    this.db
      .update(apiKeys)
      .set({ lastUsedAt: now })
      .where(eq(apiKeys.id, id))
      .catch(() => this.lastUsedWritten.delete(id));
  }
}

export function hashKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

const ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

function keyId(): string {
  // 36 divides into 252, so taking bytes below 252 modulo 36 is unbiased.
  let id = "";
  while (id.length < 12) {
    for (const byte of randomBytes(16)) if (byte < 252 && id.length < 12) id += ID_ALPHABET[byte % 36];
  }
  return id;
}

function toView(row: ApiKeyRow): ApiKeyView {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes as ApiKeyScope[],
    roomCode: row.roomCode,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: iso(row.lastUsedAt),
    expiresAt: iso(row.expiresAt),
    revokedAt: iso(row.revokedAt),
    replacedBy: row.replacedBy,
  };
}
