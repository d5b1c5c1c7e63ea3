/**
 * When a failed webhook delivery is tried again: exponential backoff (base, 2×base, 4×base, …)
 * capped, with ±20% jitter so that deliveries failing together (an endpoint that went down) do not
 * come back together and hit it at the same instant.
 */
export interface BackoffPolicy {
  /** The delay after the first failed attempt. */
  baseMs: number;
  /** No delay exceeds this, jitter included. */
  capMs: number;
}

/** The spread of the jitter: each delay is its nominal value times 1 ± JITTER. */
export const JITTER = 0.2;

/** The nominal delay before attempt `failedAttempts + 1`, without jitter (failedAttempts ≥ 1). */
export function nominalDelayMs(failedAttempts: number, policy: BackoffPolicy): number {
  const exponent = Math.max(0, Math.min(failedAttempts - 1, 30)); // 2^30 × base is past any cap
  return Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
}

/** The delay before the next attempt; `random` is in [0, 1) (Math.random unless a test fixes it). */
export function retryDelayMs(failedAttempts: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const nominal = nominalDelayMs(failedAttempts, policy);
  const jittered = nominal * (1 - JITTER + 2 * JITTER * random());
  return Math.round(Math.min(policy.capMs, jittered));
}
