/**
 * Checking that a webhook came from Tavern. Each delivery carries
 *
 *   Tavern-Webhook-Timestamp: <unix seconds when it was signed>
 *   Tavern-Webhook-Signature: v1=<hex HMAC-SHA256(secret, timestamp + "." + raw body)>
 *
 * (several comma-separated `v1=` entries while a secret is being rotated; entries of other
 * versions are ignored). A delivery is genuine when one v1 signature matches, compared in
 * constant time, and its timestamp is within the tolerance of now, so a captured delivery
 * cannot be replayed later. Web Crypto (`crypto.subtle`) does the HMAC: a global in Node 22+,
 * browsers, Deno, Bun and edge runtimes; its `verify` compares in constant time.
 */

export const TIMESTAMP_HEADER = "Tavern-Webhook-Timestamp";
export const SIGNATURE_HEADER = "Tavern-Webhook-Signature";
export const DEFAULT_TOLERANCE_SECONDS = 300;

export type WebhookFailure =
  "missing-timestamp" | "bad-timestamp" | "outside-tolerance" | "missing-signature" | "bad-signature" | "bad-body";

export class WebhookVerificationError extends Error {
  override readonly name = "WebhookVerificationError";
  readonly reason: WebhookFailure;

  constructor(reason: WebhookFailure, message: string) {
    super(message);
    this.reason = reason;
  }
}

/** A fetch Headers, or a plain object such as Node's `req.headers` (any case of names). */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

export interface VerifyWebhookOptions {
  /** The webhook's signing secret. */
  secret: string;
  /** The raw body exactly as received: not a parsed and re-serialised object. */
  body: string | Uint8Array | ArrayBuffer;
  headers: WebhookHeaders;
  /** How far the timestamp may be from now, either way. Default 300. */
  toleranceSeconds?: number;
  /** Now, in epoch milliseconds (tests). */
  now?: number;
}

export interface VerifiedWebhook<T = unknown> {
  /** When Tavern signed it, unix seconds. */
  timestamp: number;
  /** The body, parsed as JSON. */
  payload: T;
}

/** Resolves to the delivery's payload when genuine; rejects with WebhookVerificationError otherwise. */
export async function verifyWebhook<T = unknown>(options: VerifyWebhookOptions): Promise<VerifiedWebhook<T>> {
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const stamp = headerOf(options.headers, TIMESTAMP_HEADER);
  if (stamp === undefined) throw new WebhookVerificationError("missing-timestamp", `No ${TIMESTAMP_HEADER} header.`);
  if (!/^\d{1,12}$/.test(stamp)) throw new WebhookVerificationError("bad-timestamp", `${TIMESTAMP_HEADER} is not unix seconds.`);
  const timestamp = Number(stamp);
  const nowSeconds = Math.floor((options.now ?? Date.now()) / 1000);
  if (Math.abs(nowSeconds - timestamp) > tolerance) {
    throw new WebhookVerificationError(
      "outside-tolerance",
      `The delivery was signed ${nowSeconds - timestamp} s from now (tolerance ${tolerance} s).`,
    );
  }
  const signatures = (headerOf(options.headers, SIGNATURE_HEADER) ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part.startsWith("v1="))
    .map((part) => part.slice(3));
  if (signatures.length === 0) throw new WebhookVerificationError("missing-signature", `No v1 signature in ${SIGNATURE_HEADER}.`);

  const key = await hmacKey(options.secret, "verify");
  const signed = signedBytes(stamp, bytesOf(options.body));
  let genuine = false;
  for (const hex of signatures) {
    const mac = hexBytes(hex);
    // crypto.subtle.verify compares in constant time; a malformed entry simply does not match.
    if (mac && (await crypto.subtle.verify("HMAC", key, mac, signed))) genuine = true;
  }
  if (!genuine) throw new WebhookVerificationError("bad-signature", "No signature matches: wrong secret, or the body was changed.");
  try {
    return { timestamp, payload: JSON.parse(new TextDecoder().decode(bytesOf(options.body))) as T };
  } catch {
    throw new WebhookVerificationError("bad-body", "The signed body is not JSON.");
  }
}

/** The two headers Tavern sends with a delivery of this body: for tests and for checking an implementation. */
export async function signWebhook(options: {
  secret: string;
  body: string | Uint8Array;
  /** Unix seconds; default now. */
  timestamp?: number;
}): Promise<Record<typeof TIMESTAMP_HEADER | typeof SIGNATURE_HEADER, string>> {
  const stamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const key = await hmacKey(options.secret, "sign");
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, signedBytes(stamp, bytesOf(options.body))));
  const hex = [...mac].map((b) => b.toString(16).padStart(2, "0")).join("");
  return { [TIMESTAMP_HEADER]: stamp, [SIGNATURE_HEADER]: `v1=${hex}` };
}

function hmacKey(secret: string, use: "sign" | "verify"): Promise<CryptoKey> {
  if (!secret) throw new TypeError("secret is required");
  return crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [use]);
}

function signedBytes(stamp: string, body: Uint8Array): Uint8Array<ArrayBuffer> {
  const prefix = new TextEncoder().encode(`${stamp}.`);
  const all = new Uint8Array(prefix.length + body.length);
  all.set(prefix);
  all.set(body, prefix.length);
  return all;
}

function bytesOf(body: string | Uint8Array | ArrayBuffer): Uint8Array {
  if (typeof body === "string") return new TextEncoder().encode(body);
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (body instanceof Uint8Array) return body;
  throw new TypeError("body must be the raw body: a string, Uint8Array (a Node Buffer is one) or ArrayBuffer");
}

/** 32 bytes from 64 hex digits, or undefined. */
function hexBytes(hex: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) return undefined;
  const bytes = new Uint8Array(32);
  for (let i = 0; i < 32; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

function headerOf(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers as Record<string, string | string[] | undefined>)) {
    if (key.toLowerCase() === wanted) return Array.isArray(value) ? value.join(",") : value;
  }
  return undefined;
}
