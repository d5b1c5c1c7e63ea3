/**
 * Idempotent platform writes: the first reply to a write sent with an `Idempotency-Key` is kept
 * for 24 hours, in the database (so every process sees it), keyed by the API key's lineage (so a
 * rotated key sees its predecessor's). A repeat with the same body gets that reply and changes
 * nothing; the same key with another body is refused; a repeat while the first is still in flight
 * waits for it a little, then is told to retry. Replies that say "retry" (429, 5xx) are not kept:
 * the retry runs the write again.
 */
import { and, eq, lt } from "drizzle-orm";
import { TavernError } from "@tavern/shared/errors";
import { canonicalJson, sha256Hex } from "@tavern/shared/stateHash";
import type { Db } from "../persistence/database";
import { idempotencyRecords } from "../persistence/schema";

export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;
/** A write in flight longer than this was lost with its process: a retry may run it again. */
export const IN_FLIGHT_ABANDONED_MS = 30_000;
const IN_FLIGHT_WAIT_MS = 2000;
const IN_FLIGHT_POLL_MS = 50;
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;

export interface StoredReply {
  status: number;
  body: unknown;
}

export type Claim = { kind: "first" } | { kind: "repeat"; reply: StoredReply };

export class IdempotencyStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  /** What the request's fingerprint is: the same key must come with the same method, route and body. */
  static fingerprint(method: string, route: string, body: unknown): string {
    return sha256Hex(`${method} ${route} ${canonicalJson(body ?? null)}`);
  }

  /** Claims the key for this request, or answers the stored reply of its first sending. */
  async claim(lineage: string, key: string, fingerprint: string): Promise<Claim> {
    const deadline = this.now() + IN_FLIGHT_WAIT_MS;
    for (;;) {
      const inserted = await this.db
        .insert(idempotencyRecords)
        .values({ lineage, key, requestHash: fingerprint, createdAt: new Date(this.now()) })
        .onConflictDoNothing()
        .returning({ key: idempotencyRecords.key });
      if (inserted.length > 0) return { kind: "first" };
      const [row] = await this.db.select().from(idempotencyRecords).where(this.match(lineage, key));
      if (!row) continue; // released between the insert and the select: claim again
      const age = this.now() - row.createdAt.getTime();
      if (age > IDEMPOTENCY_TTL_MS || (row.status === null && age > IN_FLIGHT_ABANDONED_MS)) {
        await this.db.delete(idempotencyRecords).where(and(this.match(lineage, key), eq(idempotencyRecords.createdAt, row.createdAt)));
        continue;
      }
      if (row.requestHash !== fingerprint) {
        throw new TavernError(
          "IDEMPOTENCY_CONFLICT",
          `Idempotency-Key "${key}" was used for a different request: use a new key for a new write.`,
        );
      }
      if (row.status !== null) return { kind: "repeat", reply: { status: row.status, body: row.response } };
      if (this.now() >= deadline) {
        throw new TavernError(
          "IDEMPOTENCY_IN_PROGRESS",
          `The first request with Idempotency-Key "${key}" is still being handled: retry shortly.`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, IN_FLIGHT_POLL_MS));
    }
  }

  /** Keeps the reply for repeats, or frees the key when the reply invites a retry. */
  async settle(lineage: string, key: string, reply: StoredReply, keep: boolean): Promise<void> {
    if (!keep) {
      await this.db.delete(idempotencyRecords).where(this.match(lineage, key));
      return;
    }
    await this.db.update(idempotencyRecords).set({ status: reply.status, response: reply.body }).where(this.match(lineage, key));
  }

  /** Deletes what is past its 24 hours; returns how many rows went. */
  async prune(): Promise<number> {
    const cutoff = new Date(this.now() - IDEMPOTENCY_TTL_MS);
    const gone = await this.db
      .delete(idempotencyRecords)
      .where(lt(idempotencyRecords.createdAt, cutoff))
      .returning({ key: idempotencyRecords.key });
    return gone.length;
  }

  private match(lineage: string, key: string) {
    return and(eq(idempotencyRecords.lineage, lineage), eq(idempotencyRecords.key, key));
  }
}
