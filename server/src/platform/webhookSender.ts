/**
 * One delivery attempt over HTTP: the stored body POSTed with its id, a fresh timestamp and the
 * signature over both (shared/src/webhookSignature.ts), within a deadline. Redirects are not
 * followed (a 3xx is a failed attempt): the registered URL is the one Tavern posts to. A host the
 * endpoint rules refuse (domain/webhooks/endpointUrl.ts) gets no connection: a literal address or
 * localhost before the request (a URL registered while the operator allowed loopback, which they
 * no longer do), a name when it resolves. The answer's body is not read.
 */
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";
import { WEBHOOK_HEADERS, signWebhook } from "@tavern/shared/webhookSignature";
import type { AttemptResult } from "../domain/webhooks/deliveryRules";
import { isRefusedHost, type EndpointRules } from "../domain/webhooks/endpointUrl";
import { PRIVATE_ADDRESS_CODE, publicOnlyLookup, type ResolveAll } from "./publicLookup";

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

/**
 * A sender held to `rules`, whose connections resolve names through the guarded lookup
 * (publicLookup.ts; `resolveAll` is the system resolver but in tests). Node's own http client
 * rather than fetch, because it takes the lookup per request and never follows a redirect.
 */
export function webhookSender(rules: EndpointRules, resolveAll?: ResolveAll): SendWebhook {
  const lookup = publicOnlyLookup(rules, resolveAll);
  return async (delivery, timeoutMs, nowMs) => {
    const timestamp = String(Math.floor(nowMs / 1000));
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    try {
      // Node connects to a literal address without a lookup, so the guard sees literals here.
      const host = new URL(delivery.url).hostname;
      if (isRefusedHost(host, rules)) {
        return { error: `request failed: ${PRIVATE_ADDRESS_CODE} (${host} is an address webhooks may not reach)`, durationMs: elapsed() };
      }
      const statusCode = await post(delivery.url, {
        headers: {
          "content-type": "application/json",
          "content-length": String(Buffer.byteLength(delivery.body)),
          "user-agent": "Tavern-Webhooks/1",
          [WEBHOOK_HEADERS.id]: delivery.eventId,
          [WEBHOOK_HEADERS.timestamp]: timestamp,
          [WEBHOOK_HEADERS.signature]: signWebhook(delivery.secret, timestamp, delivery.body),
        },
        body: delivery.body,
        lookup,
        signal: AbortSignal.timeout(timeoutMs),
      });
      return { statusCode, durationMs: elapsed() };
    } catch (err) {
      return { error: describeFailure(err, timeoutMs), durationMs: elapsed() };
    }
  };
}

interface PostOptions {
  headers: Record<string, string>;
  body: string;
  lookup: LookupFunction;
  signal: AbortSignal;
}

/** POSTs and resolves with the status code once the answer's head arrives (its body is discarded). */
function post(url: string, options: PostOptions): Promise<number> {
  const send = url.startsWith("https:") ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method: "POST", headers: options.headers, lookup: options.lookup, signal: options.signal }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.once("error", reject);
    req.end(options.body);
  });
}

function describeFailure(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; code?: string; message?: string; cause?: { name?: string } };
  if (e.name === "TimeoutError" || e.cause?.name === "TimeoutError") return `timeout: no answer within ${timeoutMs} ms`;
  const why = e.code === PRIVATE_ADDRESS_CODE ? `${e.code} (${e.message})` : (e.code ?? e.message ?? "request failed");
  return `request failed: ${why}`.slice(0, ERROR_MAX_LENGTH);
}
