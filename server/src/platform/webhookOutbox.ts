/**
 * The outbox side of webhooks: rooms hand events here (synchronously, no I/O), and they are
 * written in batches to the database, each event with one delivery row per endpoint listening to
 * it at that moment, in one transaction. From there any process's dispatcher sends them
 * (./webhookDispatcher.ts): an event is stored once, whichever process saw it, and each delivery
 * is claimed by one process at a time. Events nobody listens to are not stored at all, and while
 * this process knows that no endpoint is enabled they are not even queued.
 *
 * An event queued here and not yet written is lost if the process dies in that window (at most
 * OUTBOX_BATCH_MS): the same trade the audit log makes, so a room never waits on the database.
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { eventBody, serializeEvent, type RoomEvent } from "../domain/webhooks/events";
import type { RoomEventSink } from "../lifecycle/roomEvents";
import type { Logger } from "../logger";
import type { Metrics } from "../observability/metrics";
import type { Db } from "../persistence/database";
import { rowsOf } from "../persistence/rawRows";
import { WriteBatcher } from "../persistence/writeBatcher";

export const OUTBOX_BATCH_MS = 50;
/** Events per statement at most (a long backlog is written in several). */
const MAX_BATCH_EVENTS = 200;

interface PendingEvent {
  id: string;
  type: string;
  roomCode: string;
  body: string;
  occurredAt: Date;
}

/** An endpoint listens to an event when it is enabled, subscribed to its type, and for every room or this one. */
const listens = (event: string) =>
  sql.raw(
    `ep.disabled_at is null and ep.events @> jsonb_build_array(${event}.type) and (ep.room_code is null or ep.room_code = ${event}.room_code)`,
  );

export class WebhookOutbox implements RoomEventSink {
  private readonly batches = new WriteBatcher<PendingEvent>(OUTBOX_BATCH_MS, MAX_BATCH_EVENTS, (events) => this.store(events));
  /** Called after a batch stored deliveries: the local dispatcher sends them without waiting for its poll. */
  onStored: (() => void) | undefined;

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    private readonly metrics: Metrics,
    /** False when no endpoint can listen (WebhookEndpointStore.mayListen). */
    private readonly mayListen: () => boolean = () => true,
  ) {}

  emit(event: RoomEvent): string {
    const id = `evt_${randomUUID().replaceAll("-", "")}`;
    if (!this.mayListen()) return id;
    this.batches.add({
      id,
      type: event.type,
      roomCode: event.room.code,
      body: serializeEvent(eventBody(id, event)),
      occurredAt: event.occurredAt,
    });
    return id;
  }

  /** Resolves once every event emitted so far is written (shutdown, tests). */
  flush(): Promise<void> {
    return this.batches.flush();
  }

  private async store(events: PendingEvent[]): Promise<void> {
    const started = performance.now();
    try {
      const deliveries = await this.db.transaction(async (tx) => {
        const values = sql.join(
          events.map(
            (e) => sql`(${e.id}::text, ${e.type}::text, ${e.roomCode}::text, ${e.body}::text, ${e.occurredAt.toISOString()}::timestamptz)`,
          ),
          sql`, `,
        );
        const stored = rowsOf<{ id: string }>(
          await tx.execute(sql`
            insert into webhook_events (id, type, room_code, body, occurred_at)
            select v.id, v.type, v.room_code, v.body, v.occurred_at
            from (values ${values}) as v (id, type, room_code, body, occurred_at)
            where exists (select 1 from webhook_endpoints ep where ${listens("v")})
            returning id`),
        );
        if (stored.length === 0) return 0;
        const ids = sql.join(
          stored.map((r) => sql`${r.id}`),
          sql`, `,
        );
        const created = rowsOf<{ id: number }>(
          await tx.execute(sql`
            insert into webhook_deliveries (event_id, endpoint_id, next_attempt_at)
            select e.id, ep.id, e.occurred_at
            from webhook_events e join webhook_endpoints ep on ${listens("e")}
            where e.id in (${ids})
            returning id`),
        );
        return created.length;
      });
      this.metrics.persistenceWrite.observe({ operation: "webhook_outbox" }, (performance.now() - started) / 1000);
      if (deliveries > 0) this.onStored?.();
    } catch (err) {
      this.metrics.persistenceFailures.inc({ operation: "webhook_outbox" });
      this.logger.warn(
        { err, events: events.length, types: [...new Set(events.map((e) => e.type))] },
        "webhook events not stored; they will not be delivered",
      );
    }
  }
}
