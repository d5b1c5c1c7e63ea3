/**
 * One delivery attempt over HTTP: the stored body POSTed with its id, a fresh timestamp and the
 * signature over both (shared/src/webhookSignature.ts), within a deadline. Redirects are not
 * followed (a 3xx is a failed attempt): the registered URL is the one Tavern posts to. The
 * answer's body is not read.
 */
import { WEBHOOK_HEADERS, signWebhook } from "@tavern/shared/webhookSignature";
import type { AttemptResult } from "../domain/webhooks/deliveryRules";

export interface OutgoingDelivery {
  url: string;
  secret: string;
  eventId: string;
  body: string;
}

export interface SentAttempt extends AttemptResult {
  durationMs: number;
}

export type SendWebhook = (delivery: OutgoingDelivery, timeoutMs: number, nowMs: number) => Promise<SentAttempt>;

/** Stored errors are for people reading the log: short, and never the receiver's own text. */
const ERROR_MAX_LENGTH = 200;

export const sendWebhook: SendWebhook = async (delivery, timeoutMs, nowMs) => {
  const timestamp = String(Math.floor(nowMs / 1000));
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const res = await fetch(delivery.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "Tavern-Webhooks/1",
        [WEBHOOK_HEADERS.id]: delivery.eventId,
        [WEBHOOK_HEADERS.timestamp]: timestamp,
        [WEBHOOK_HEADERS.signature]: signWebhook(delivery.secret, timestamp, delivery.body),
      },
      body: delivery.body,
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.body?.cancel().catch(() => undefined);
    return { statusCode: res.status, durationMs: elapsed() };
  } catch (err) {
    return { error: describeFailure(err, timeoutMs), durationMs: elapsed() };
  }
};

function describeFailure(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === "TimeoutError") return `timeout: no answer within ${timeoutMs} ms`;
  const why = e.cause?.code ?? e.cause?.message ?? e.message ?? "request failed";
  return `request failed: ${why}`.slice(0, ERROR_MAX_LENGTH);
}
