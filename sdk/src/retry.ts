/**
 * When the client sends a request again: retryable answers and network failures, up to a bounded
 * number of attempts, after the server's Retry-After when it gives one, otherwise after an
 * exponential backoff with jitter (so many games that failed at once do not retry at once).
 */
export interface RetryPolicy {
  /** Requests per call at most, the first included (1: never retry). */
  maxAttempts: number;
  /** Backoff before the first retry; it doubles at each retry. */
  baseDelayMs: number;
  /** The backoff never grows past this. */
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the error is thrown at once (it says how long). */
  maxRetryAfterMs: number;
  /** How to wait (tests make it instant). */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** A number in [0, 1) for the jitter. */
  random: () => number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 250,
  maxDelayMs: 8000,
  maxRetryAfterMs: 30_000,
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
  random: Math.random,
};

/** "Equal jitter": half of the doubled delay for sure, the other half at random. */
export function backoffMs(policy: RetryPolicy, retry: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.round(ceiling / 2 + policy.random() * (ceiling / 2));
}

/** Retry-After as seconds (a number, or an HTTP date), or undefined when absent or unreadable. */
export function retryAfterSeconds(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === "") return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/** The wait before the next attempt after a retryable answer: at least Retry-After, plus a little jitter. */
export function delayAfterAnswerMs(policy: RetryPolicy, retry: number, retryAfter: number | undefined): number {
  if (retryAfter === undefined) return backoffMs(policy, retry);
  const ms = retryAfter * 1000;
  return Math.round(ms + policy.random() * Math.min(1000, ms * 0.1));
}
