/**
 * A game's webhook endpoints: registered (the signing secret answered once), listed without
 * secrets (the owning game sees its own, an admin every one), enabled again, deleted. The owner is
 * the lineage of the API key that registered it, so a rotated key keeps its game's endpoints.
 */
import { randomBytes } from "node:crypto";
import { and, asc, count, eq, isNull } from "drizzle-orm";
import { TavernError } from "@tavern/shared/errors";
import { WEBHOOK_SECRET_PREFIX } from "@tavern/shared/webhookSignature";
import {
  WEBHOOK_ENDPOINTS_PER_GAME,
  type RegisteredWebhook,
  type WebhookDeliveryView,
  type WebhookEndpointView,
  type WebhookEventType,
} from "@tavern/shared/webhooks";
import type { Db } from "../persistence/database";
import { webhookEndpoints } from "../persistence/schema";
import { deliveryLog } from "./webhookDeliveryLog";

type EndpointRow = typeof webhookEndpoints.$inferSelect;

export interface NewEndpoint {
  lineage: string;
  /** Checked already (domain/webhooks/endpointUrl.ts). */
  url: string;
  events: WebhookEventType[];
  roomCode: string | null;
}

/** What an admin sees: whose endpoint it is, too. */
export interface AdminWebhookEndpointView extends WebhookEndpointView {
  lineage: string;
}

/** How processes tell each other that an endpoint was registered or enabled (through the Colyseus presence: Redis when scaled out). */
export interface EndpointChanges {
  publish(): void;
  subscribe(onChange: () => void): void;
}

/**
 * How long "no endpoint is enabled" is trusted from memory. Registering and enabling tell every
 * process at once (EndpointChanges); this bounds how long a process skips events if such a
 * message is lost.
 */
export const LISTENING_CACHE_MS = 10_000;

export class WebhookEndpointStore {
  /** Whether any endpoint was enabled when last read; undefined while unknown. */
  private listening: { any: boolean; at: number } | undefined;
  /** Bumped by every change: a read that began before one must not overwrite what it made unknown. */
  private generation = 0;
  private reading: Promise<void> | undefined;

  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
    private readonly changes?: EndpointChanges,
  ) {
    changes?.subscribe(() => this.forgetListening());
  }

  /**
   * False only when this process knows that no endpoint is enabled: the outbox then skips an
   * event instead of asking the database, per batch, whether anyone listens to it (on PGlite that
   * was about 20 ms of CPU per 300 joins). While unknown or stale it answers true (and reads again
   * in the background), so the database stays the judge of who listens.
   */
  mayListen(): boolean {
    const known = this.listening;
    if (known && this.now().getTime() - known.at < LISTENING_CACHE_MS) return known.any;
    this.readListening();
    return true;
  }

  private readListening(): void {
    if (this.reading) return;
    const generation = this.generation;
    this.reading = this.db
      .select({ id: webhookEndpoints.id })
      .from(webhookEndpoints)
      .where(isNull(webhookEndpoints.disabledAt))
      .limit(1)
      .then(
        (rows) => {
          if (generation === this.generation) this.listening = { any: rows.length > 0, at: this.now().getTime() };
        },
        () => undefined, // unknown stays unknown: events are stored as if someone listened
      )
      .finally(() => (this.reading = undefined));
  }

  private forgetListening(): void {
    this.generation++;
    this.listening = undefined;
  }

  /** A new listener here: known at once in this process, and told to the others. */
  private listenerAdded(): void {
    this.forgetListening();
    this.changes?.publish();
  }

  async register(fields: NewEndpoint): Promise<RegisteredWebhook> {
    const [held] = await this.db.select({ n: count() }).from(webhookEndpoints).where(eq(webhookEndpoints.lineage, fields.lineage));
    if ((held?.n ?? 0) >= WEBHOOK_ENDPOINTS_PER_GAME) {
      throw new TavernError(
        "VALIDATION_ERROR",
        `A game may register ${WEBHOOK_ENDPOINTS_PER_GAME} webhook endpoints at most: delete one first.`,
        { limit: WEBHOOK_ENDPOINTS_PER_GAME },
      );
    }
    const secret = `${WEBHOOK_SECRET_PREFIX}${randomBytes(32).toString("base64url")}`;
    const [row] = await this.db
      .insert(webhookEndpoints)
      .values({ id: `wh_${randomBytes(12).toString("hex")}`, ...fields, secret, createdAt: this.now() })
      .returning();
    this.listenerAdded();
    return { ...toView(row!), secret };
  }

  async list(lineage: string): Promise<WebhookEndpointView[]> {
    const rows = await this.db
      .select()
      .from(webhookEndpoints)
      .where(eq(webhookEndpoints.lineage, lineage))
      .orderBy(asc(webhookEndpoints.createdAt));
    return rows.map(toView);
  }

  async listAll(): Promise<AdminWebhookEndpointView[]> {
    const rows = await this.db.select().from(webhookEndpoints).orderBy(asc(webhookEndpoints.createdAt));
    return rows.map((row) => ({ ...toView(row), lineage: row.lineage }));
  }

  /** The endpoint, if it is this game's (another game's answers NOT_FOUND: ids are not confirmed to strangers). */
  async owned(id: string, lineage: string): Promise<WebhookEndpointView> {
    return toView(await this.row(id, lineage));
  }

  async exists(id: string): Promise<boolean> {
    const [row] = await this.db.select({ id: webhookEndpoints.id }).from(webhookEndpoints).where(eq(webhookEndpoints.id, id));
    return row !== undefined;
  }

  /** Deletes it with its pending deliveries and its log. */
  async remove(id: string, lineage: string): Promise<void> {
    await this.row(id, lineage);
    await this.db.delete(webhookEndpoints).where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.lineage, lineage)));
  }

  /**
   * Disables every enabled endpoint of a game whose last working API key was revoked: a URL
   * registered with a credential that no longer works must not go on receiving the rooms' events.
   * Answers how many were disabled. No key of the lineage is left to enable them again.
   */
  async disableLineage(lineage: string, reason: string): Promise<number> {
    const rows = await this.db
      .update(webhookEndpoints)
      .set({ disabledAt: this.now(), disabledReason: reason })
      .where(and(eq(webhookEndpoints.lineage, lineage), isNull(webhookEndpoints.disabledAt)))
      .returning({ id: webhookEndpoints.id });
    return rows.length;
  }

  /** Enabling clears the failure count; pending deliveries go out again. Disabling by the game stops them until enabled. */
  async setEnabled(id: string, lineage: string, enabled: boolean): Promise<WebhookEndpointView> {
    await this.row(id, lineage);
    const changes = enabled
      ? { disabledAt: null, disabledReason: null, consecutiveFailures: 0 }
      : { disabledAt: this.now(), disabledReason: "disabled by the game" };
    const [row] = await this.db
      .update(webhookEndpoints)
      .set(changes)
      .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.lineage, lineage)))
      .returning();
    if (enabled) this.listenerAdded();
    return toView(row!);
  }

  /** The endpoint's latest deliveries with their attempts (check ownership first). */
  deliveries(endpointId: string): Promise<WebhookDeliveryView[]> {
    return deliveryLog(this.db, endpointId);
  }

  private async row(id: string, lineage: string): Promise<EndpointRow> {
    const [row] = await this.db
      .select()
      .from(webhookEndpoints)
      .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.lineage, lineage)));
    if (!row) throw new TavernError("NOT_FOUND", `This game has no webhook endpoint ${id}.`);
    return row;
  }
}

function toView(row: EndpointRow): WebhookEndpointView {
  return {
    id: row.id,
    url: row.url,
    events: row.events,
    roomCode: row.roomCode,
    createdAt: row.createdAt.toISOString(),
    enabled: row.disabledAt === null,
    disabledAt: row.disabledAt ? row.disabledAt.toISOString() : null,
    disabledReason: row.disabledReason,
    consecutiveFailures: row.consecutiveFailures,
  };
}
