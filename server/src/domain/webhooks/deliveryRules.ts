/**
 * What one delivery attempt's result means, as plain rules: a 2xx answer delivers it; anything
 * else (another status, a timeout, a refused connection) is tried again after a backoff, until
 * the last allowed attempt, when the delivery gives up. An endpoint whose deliveries give up
 * `disableAfter` times in a row (no success in between) is disabled: nobody is listening there.
 */
import { retryDelayMs, type BackoffPolicy } from "./backoff";

export interface DeliveryPolicy extends BackoffPolicy {
  maxAttempts: number;
  /** Deliveries given up in a row after which the endpoint is disabled. */
  disableAfter: number;
}

export interface AttemptResult {
  /** The receiver's status, when it answered. */
  statusCode?: number | undefined;
  /** Why no answer came (timeout, connection refused, …). */
  error?: string | undefined;
}

export type DeliveryStep = { kind: "delivered" } | { kind: "retry"; delayMs: number } | { kind: "gaveUp" };

export function isDelivered(result: AttemptResult): boolean {
  return result.statusCode !== undefined && result.statusCode >= 200 && result.statusCode < 300;
}

/** After attempt number `attempt` (1-based) of a delivery. */
export function nextDeliveryStep(attempt: number, result: AttemptResult, policy: DeliveryPolicy, random?: () => number): DeliveryStep {
  if (isDelivered(result)) return { kind: "delivered" };
  if (attempt >= policy.maxAttempts) return { kind: "gaveUp" };
  return { kind: "retry", delayMs: retryDelayMs(attempt, policy, random) };
}

/** Whether an endpoint whose deliveries gave up `consecutiveFailures` times in a row is disabled now. */
export function shouldDisable(consecutiveFailures: number, policy: DeliveryPolicy): boolean {
  return consecutiveFailures >= policy.disableAfter;
}
