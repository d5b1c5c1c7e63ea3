/**
 * When to try a failed write again: a bounded schedule of waits that grow by a factor, each with
 * up to a quarter of jitter so rooms that failed together do not all retry at the same instant.
 * Pure: the caller brings the random numbers and does the waiting.
 */

export interface RetryPolicy {
  /** Tries in all, the first one included (1 = never retry). */
  attempts: number;
  /** The wait before the second try. */
  firstDelayMs: number;
  /** Each next wait is this many times the one before. */
  factor: number;
  /** No wait is longer than this. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, firstDelayMs: 250, factor: 3, maxDelayMs: 5000 };

/** Share of each wait that is random (0.25: a wait of 1000 ms is between 750 and 1000 ms). */
const JITTER = 0.25;

/** The waits between tries: `attempts - 1` of them. `random` gives numbers in [0, 1). */
export function backoffDelays(policy: RetryPolicy, random: () => number = Math.random): number[] {
  const delays: number[] = [];
  let nominal = policy.firstDelayMs;
  for (let i = 1; i < policy.attempts; i++) {
    const capped = Math.min(nominal, policy.maxDelayMs);
    delays.push(Math.round(capped * (1 - JITTER * random())));
    nominal *= policy.factor;
  }
  return delays;
}

/** The longest the schedule can wait in all: what a write in trouble may hold up the ones behind it. */
export function worstCaseWaitMs(policy: RetryPolicy): number {
  return backoffDelays(policy, () => 0).reduce((sum, d) => sum + d, 0);
}

/**
 * Whether trying the same write again can help: not when PostgreSQL refused the data itself
 * (SQLSTATE class 22, data exception; 23, a constraint; 42, the statement), which a retry would
 * only meet again. Anything else (a connection lost, a timeout, a lock, a full disk) may pass.
 */
export function worthRetrying(error: unknown): boolean {
  for (let e: unknown = error; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^(22|23|42)[0-9A-Z]{3}$/.test(code)) return false;
  }
  return true;
}
