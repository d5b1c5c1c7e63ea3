/**
 * Webhook signatures, as Tavern makes them and as a receiver checks them (docs/WEBHOOKS.md is the
 * normative text; an SDK in another language copies this algorithm):
 *
 *   signed  = timestamp + "." + body          (timestamp: the Tavern-Webhook-Timestamp header,
 *                                              Unix seconds in decimal; body: the raw bytes)
 *   mac     = HMAC-SHA256(key = UTF-8 of the whole secret, "whsec_" included, message = signed)
 *   header  = "v1=" + lowercase hex of mac    (Tavern-Webhook-Signature)
 *
 * A receiver recomputes the mac over the body exactly as received (before any JSON parsing),
 * compares in constant time with every `v1=` value of the header (a comma-separated list, so a
 * secret can change without a gap), and refuses timestamps further than the tolerance from its own
 * clock (5 minutes), which bounds replays of a captured delivery. Pure JS: no Node-only import.
 */
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";

export const WEBHOOK_HEADERS = {
  id: "Tavern-Webhook-Id",
  timestamp: "Tavern-Webhook-Timestamp",
  signature: "Tavern-Webhook-Signature",
} as const;

/** How far a delivery's timestamp may be from the receiver's clock, either way. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;
export const WEBHOOK_SECRET_PREFIX = "whsec_";
const SCHEME = "v1";

/** The hex HMAC-SHA256 of `timestamp.body` under the secret. */
export function webhookMac(secret: string, timestamp: string, body: string): string {
  return bytesToHex(hmac(sha256, utf8ToBytes(secret), utf8ToBytes(`${timestamp}.${body}`)));
}

/** The Tavern-Webhook-Signature header value for this body at this timestamp. */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `${SCHEME}=${webhookMac(secret, timestamp, body)}`;
}

export type WebhookVerdict = { ok: true } | { ok: false; reason: "malformed" | "stale" | "mismatch" };

export interface VerifyInput {
  secret: string;
  /** The raw body, exactly as received. */
  body: string;
  timestamp: string | null | undefined;
  signature: string | null | undefined;
  /** The receiver's clock in Unix seconds (default: now). */
  nowSeconds?: number;
  toleranceSeconds?: number;
}

/** Whether a delivery is Tavern's, untampered and recent: check it before trusting the body. */
export function verifyWebhook(input: VerifyInput): WebhookVerdict {
  const { secret, body, timestamp, signature } = input;
  if (!timestamp || !/^\d{1,12}$/.test(timestamp) || !signature) return { ok: false, reason: "malformed" };
  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  const tolerance = input.toleranceSeconds ?? WEBHOOK_TOLERANCE_SECONDS;
  if (Math.abs(now - Number(timestamp)) > tolerance) return { ok: false, reason: "stale" };
  const expected = webhookMac(secret, timestamp, body);
  const offered = signature
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part.startsWith(`${SCHEME}=`))
    .map((part) => part.slice(SCHEME.length + 1));
  if (offered.length === 0) return { ok: false, reason: "malformed" };
  // Every offered value is compared, so the time taken does not tell which one matched.
  let matched = false;
  for (const mac of offered) matched = constantTimeEqual(mac, expected) || matched;
  return matched ? { ok: true } : { ok: false, reason: "mismatch" };
}

/** Compares two strings in time that depends on their lengths only. */
function constantTimeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) diff |= (a.charCodeAt(i % Math.max(a.length, 1)) || 0) ^ b.charCodeAt(i);
  return diff === 0;
}
