/** The delivery log of one endpoint, newest first, each delivery with its attempts: for the owning game and for admins. */
import { asc, desc, eq, inArray } from "drizzle-orm";
import type { WebhookAttemptView, WebhookDeliveryView } from "@tavern/shared/webhooks";
import type { Db } from "../persistence/database";
import { webhookAttempts, webhookDeliveries, webhookEvents } from "../persistence/schema";

export const DELIVERY_LOG_LIMIT = 100;

export async function deliveryLog(db: Db, endpointId: string, limit = DELIVERY_LOG_LIMIT): Promise<WebhookDeliveryView[]> {
  const deliveries = await db
    .select({
      id: webhookDeliveries.id,
      eventId: webhookDeliveries.eventId,
      eventType: webhookEvents.type,
      state: webhookDeliveries.state,
      attempts: webhookDeliveries.attempts,
      createdAt: webhookDeliveries.createdAt,
      nextAttemptAt: webhookDeliveries.nextAttemptAt,
      deliveredAt: webhookDeliveries.deliveredAt,
    })
    .from(webhookDeliveries)
    .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
    .where(eq(webhookDeliveries.endpointId, endpointId))
    .orderBy(desc(webhookDeliveries.id))
    .limit(limit);
  if (deliveries.length === 0) return [];
  const attempts = await db
    .select()
    .from(webhookAttempts)
    .where(
      inArray(
        webhookAttempts.deliveryId,
        deliveries.map((d) => d.id),
      ),
    )
    .orderBy(asc(webhookAttempts.deliveryId), asc(webhookAttempts.attempt));
  const byDelivery = new Map<number, WebhookAttemptView[]>();
  for (const a of attempts) {
    const log = byDelivery.get(a.deliveryId) ?? [];
    log.push({ attempt: a.attempt, at: a.at.toISOString(), statusCode: a.statusCode, error: a.error, durationMs: a.durationMs });
    byDelivery.set(a.deliveryId, log);
  }
  return deliveries.map((d) => ({
    id: d.id,
    eventId: d.eventId,
    eventType: d.eventType,
    state: d.state,
    attempts: d.attempts,
    createdAt: d.createdAt.toISOString(),
    nextAttemptAt: d.state === "pending" ? d.nextAttemptAt.toISOString() : null,
    deliveredAt: d.deliveredAt ? d.deliveredAt.toISOString() : null,
    log: byDelivery.get(d.id) ?? [],
  }));
}
