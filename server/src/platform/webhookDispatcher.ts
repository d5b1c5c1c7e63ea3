/**
 * Sends the outbox's deliveries (./webhookOutbox.ts). Every process runs one: it claims due
 * deliveries with `FOR UPDATE SKIP LOCKED` and a lease (so two processes never claim the same row,
 * and a row whose process died is claimed again once its lease runs out), sends each one
 * (./webhookSender.ts), and records the attempt in the delivery log with what follows from it
 * (domain/webhooks/deliveryRules.ts): delivered, tried again after a backoff, or given up; an
 * endpoint whose deliveries give up too many times in a row is disabled.
 *
 * Delivery is at least once: a process that dies after the receiver answered and before the
 * answer is recorded leaves the row to be sent again. Receivers deduplicate by Tavern-Webhook-Id.
 *
 * It polls every `pollMs` for rows it was not told about (other processes' events, expired
 * leases), and is woken at once by this process's outbox and at each retry's due time.
 */
import { sql } from "drizzle-orm";
import type { WebhookConfig } from "../config";
import { isDelivered, nextDeliveryStep, shouldDisable, type DeliveryPolicy, type DeliveryStep } from "../domain/webhooks/deliveryRules";
import type { Logger } from "../logger";
import type { Metrics } from "../observability/metrics";
import type { Db } from "../persistence/database";
import { rowsOf } from "../persistence/rawRows";
import { webhookSender, type SendWebhook, type SentAttempt } from "./webhookSender";

/** A claim holds its row this long past the attempt's timeout: time to record the outcome. */
const LEASE_MARGIN_MS = 30_000;
const PRUNE_EVERY_MS = 600_000;

interface ClaimedDelivery {
  id: number;
  attempt: number;
  eventId: string;
  endpointId: string;
  body: string;
  url: string;
  secret: string;
}

export interface DispatcherOptions {
  db: Db;
  config: WebhookConfig;
  metrics: Metrics;
  logger: Logger;
  send?: SendWebhook;
  now?: () => number;
  random?: () => number;
}

export class WebhookDispatcher {
  private readonly policy: DeliveryPolicy;
  private readonly send: SendWebhook;
  private readonly now: () => number;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private pollTimer: NodeJS.Timeout | undefined;
  private pruneTimer: NodeJS.Timeout | undefined;
  private ticking = false;
  private again = false;
  private stopped = false;

  constructor(private readonly options: DispatcherOptions) {
    const { config } = options;
    this.policy = {
      maxAttempts: config.maxAttempts,
      baseMs: config.retryBaseMs,
      capMs: config.retryMaxMs,
      disableAfter: config.disableAfterFailures,
    };
    this.send = options.send ?? webhookSender(options.config);
    this.now = options.now ?? Date.now;
  }

  start(): void {
    this.pollTimer = setInterval(() => this.wake(), this.options.config.pollMs).unref();
    this.pruneTimer = setInterval(() => void this.prune(), PRUNE_EVERY_MS).unref();
    this.wake();
  }

  /** Looks for due deliveries now (coalesced: a wake during a look makes one more look). */
  wake(): void {
    if (this.stopped) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    this.ticking = true;
    void this.tick().finally(() => (this.ticking = false));
  }

  /** Stops claiming; waits for the attempts under way (each ends by its timeout). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.pollTimer);
    clearInterval(this.pruneTimer);
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    await Promise.allSettled([...this.inFlight]);
  }

  /** Deletes events (with their deliveries and log) older than the retention; returns how many went. */
  async prune(): Promise<number> {
    const cutoff = new Date(this.now() - this.options.config.retentionHours * 3_600_000);
    try {
      const gone = rowsOf<{ id: string }>(
        await this.options.db.execute(
          sql`delete from webhook_events where occurred_at < ${cutoff.toISOString()}::timestamptz returning id`,
        ),
      );
      return gone.length;
    } catch (err) {
      this.options.logger.warn({ err }, "could not prune old webhook events");
      return 0;
    }
  }

  private async tick(): Promise<void> {
    try {
      do {
        this.again = false;
        const free = this.options.config.concurrency - this.inFlight.size;
        if (free <= 0) return; // the end of an attempt wakes the dispatcher again
        const claimed = await this.claim(free);
        for (const delivery of claimed) this.track(this.attempt(delivery));
        if (claimed.length === free) this.again = true; // there may be more due
      } while (this.again && !this.stopped);
    } catch (err) {
      this.options.logger.warn({ err }, "could not claim webhook deliveries; the next poll tries again");
    }
  }

  private track(attempt: Promise<void>): void {
    this.inFlight.add(attempt);
    void attempt.finally(() => {
      this.inFlight.delete(attempt);
      this.wake();
    });
  }

  private async claim(limit: number): Promise<ClaimedDelivery[]> {
    const now = new Date(this.now());
    const leaseUntil = new Date(now.getTime() + this.options.config.timeoutMs + LEASE_MARGIN_MS);
    const at = now.toISOString();
    const result = await this.options.db.execute(sql`
      with due as (
        select d.id from webhook_deliveries d join webhook_endpoints ep on ep.id = d.endpoint_id
        where d.state = 'pending' and d.next_attempt_at <= ${at}::timestamptz
          and (d.lease_until is null or d.lease_until < ${at}::timestamptz)
          and ep.disabled_at is null
        order by d.next_attempt_at
        limit ${limit}
        for update of d skip locked
      ), claimed as (
        update webhook_deliveries d set attempts = d.attempts + 1, lease_until = ${leaseUntil.toISOString()}::timestamptz
        from due where d.id = due.id
        returning d.id, d.attempts, d.event_id, d.endpoint_id
      )
      select c.id, c.attempts as attempt, c.event_id as "eventId", c.endpoint_id as "endpointId", e.body, ep.url, ep.secret
      from claimed c join webhook_events e on e.id = c.event_id join webhook_endpoints ep on ep.id = c.endpoint_id`);
    // bigserial ids may come back as strings from pg: numbers here.
    return rowsOf<ClaimedDelivery>(result).map((row) => ({ ...row, id: Number(row.id), attempt: Number(row.attempt) }));
  }

  private async attempt(delivery: ClaimedDelivery): Promise<void> {
    const { url, secret, eventId, body } = delivery;
    const sent = await this.send({ url, secret, eventId, body }, this.options.config.timeoutMs, this.now());
    this.options.metrics.webhookAttemptLatency.observe({ result: isDelivered(sent) ? "delivered" : "failed" }, sent.durationMs / 1000);
    const step = nextDeliveryStep(delivery.attempt, sent, this.policy, this.options.random);
    try {
      await this.record(delivery, sent, step);
    } catch (err) {
      // The lease runs out and the delivery is claimed again: the receiver may see it twice.
      this.options.logger.warn({ err, deliveryId: delivery.id }, "could not record a webhook attempt");
    }
  }

  private async record(delivery: ClaimedDelivery, sent: SentAttempt, step: DeliveryStep): Promise<void> {
    const { db, metrics, logger } = this.options;
    const now = new Date(this.now());
    const at = now.toISOString();
    const disabled = await db.transaction(async (tx) => {
      await tx.execute(sql`
        insert into webhook_attempts (delivery_id, attempt, status_code, error, duration_ms, at)
        values (${delivery.id}, ${delivery.attempt}, ${sent.statusCode ?? null}, ${sent.error ?? null}, ${sent.durationMs}, ${at}::timestamptz)`);
      const next =
        step.kind === "delivered"
          ? sql`state = 'delivered', delivered_at = ${at}::timestamptz, lease_until = null`
          : step.kind === "retry"
            ? sql`next_attempt_at = ${new Date(now.getTime() + step.delayMs).toISOString()}::timestamptz, lease_until = null`
            : sql`state = 'failed', lease_until = null`;
      // Only the claim that made this attempt may settle it (a later claim of an expired lease owns it now).
      const settled = rowsOf<{ id: unknown }>(
        await tx.execute(sql`update webhook_deliveries set ${next}
          where id = ${delivery.id} and attempts = ${delivery.attempt} and state = 'pending' returning id`),
      );
      if (settled.length === 0) return false;
      if (step.kind === "delivered") {
        await tx.execute(
          sql`update webhook_endpoints set consecutive_failures = 0 where id = ${delivery.endpointId} and consecutive_failures <> 0`,
        );
        return false;
      }
      if (step.kind === "retry") return false;
      const [endpoint] = rowsOf<{ failures: number; disabled_at: unknown }>(
        await tx.execute(sql`update webhook_endpoints set consecutive_failures = consecutive_failures + 1
          where id = ${delivery.endpointId} returning consecutive_failures as failures, disabled_at`),
      );
      if (!endpoint || endpoint.disabled_at !== null || !shouldDisable(Number(endpoint.failures), this.policy)) return false;
      await tx.execute(sql`update webhook_endpoints set disabled_at = ${at}::timestamptz,
        disabled_reason = ${`${Number(endpoint.failures)} deliveries in a row failed every attempt`}
        where id = ${delivery.endpointId} and disabled_at is null`);
      return true;
    });
    const outcome = step.kind === "delivered" ? "delivered" : step.kind === "retry" ? "failed_attempt" : "gave_up";
    metrics.webhookDeliveries.inc({ outcome });
    if (step.kind === "retry") this.wakeAfter(step.delayMs);
    if (disabled) {
      metrics.webhookDeliveries.inc({ outcome: "disabled" });
      logger.warn(
        { endpointId: delivery.endpointId, failures: this.policy.disableAfter },
        "webhook endpoint disabled: its deliveries keep failing",
      );
    }
  }

  private wakeAfter(ms: number): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      this.wake();
    }, ms + 5);
    timer.unref();
    this.retryTimers.add(timer);
  }
}
