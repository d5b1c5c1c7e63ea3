/**
 * Reads a server's own Prometheus endpoint while a load runs: sampled once per interval (CPU as %
 * of one core, resident memory, heap, event-loop lag), or the CPU used between two scrapes.
 * Tavern prefixes its default metrics with `tavern_`; the baselines do not; both are read by the
 * metric name's ending.
 */

export interface ServerSample {
  /** Seconds since the sampler started. */
  atSeconds: number;
  /** CPU used since the previous sample, in % of one core. Null for the first sample. */
  cpuPercent: number | null;
  rssMb: number | null;
  heapUsedMb: number | null;
  /**
   * p99 event-loop lag since the previous scrape in ms, from the server's lag histogram
   * (`*event_loop_lag_seconds`, server/src/observability/loopLag.ts) as Prometheus'
   * histogram_quantile would read it. Null for the first sample.
   */
  eventLoopLagP99Ms: number | null;
}

/** The lag histogram every target exposes (Tavern with its `tavern_` prefix). */
const LOOP_LAG_HISTOGRAM = "event_loop_lag_seconds";

/** Cumulative bucket counts of one histogram: upper bound (seconds, Infinity last) and count. */
export type Buckets = Array<{ le: number; count: number }>;

export interface MetricsEndpoint {
  metricsUrl: string;
  /** `Authorization` header value, when the endpoint needs one. */
  authorization?: string;
}

export interface SamplerSettings extends MetricsEndpoint {
  intervalMs: number;
}

/** One scrape of the endpoint, parsed; throws on a network error or a non-2xx answer. */
export async function fetchMetrics(endpoint: MetricsEndpoint, timeoutMs: number): Promise<Map<string, number>> {
  const res = await fetch(endpoint.metricsUrl, {
    headers: endpoint.authorization ? { authorization: endpoint.authorization } : {},
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`HTTP ${res.status} from ${endpoint.metricsUrl}`);
  return parseExposition(text);
}

/** The process's CPU time so far (user + system), in seconds, if the exposition has both. */
export function cpuSecondsOf(values: ReadonlyMap<string, number>): number | undefined {
  const user = metricEnding(values, "process_cpu_user_seconds_total");
  const system = metricEnding(values, "process_cpu_system_seconds_total");
  return user !== undefined && system !== undefined ? user + system : undefined;
}

/** CPU seconds used so far, summed over one server's processes, and when that was read. */
export interface CpuReading {
  cpuSeconds: number;
  /** performance.now() when the last answer arrived. */
  at: number;
}

const CPU_SCRAPE_TIMEOUT_MS = 5000;

/** Scrapes every endpoint (the processes of one server) at once and sums their CPU seconds. */
export async function readCpu(endpoints: readonly MetricsEndpoint[]): Promise<CpuReading> {
  const seconds = await Promise.all(
    endpoints.map(async (endpoint) => {
      const cpu = cpuSecondsOf(await fetchMetrics(endpoint, CPU_SCRAPE_TIMEOUT_MS));
      if (cpu === undefined) throw new Error(`no process CPU metrics at ${endpoint.metricsUrl}`);
      return cpu;
    }),
  );
  return { cpuSeconds: seconds.reduce((a, b) => a + b, 0), at: performance.now() };
}

/** CPU used between two readings: milliseconds of CPU time, and % of one core over the wall time between them. */
export function cpuBetween(before: CpuReading, after: CpuReading): { cpuMs: number; wallMs: number; percent: number | null } {
  const cpuMs = (after.cpuSeconds - before.cpuSeconds) * 1000;
  const wallMs = after.at - before.at;
  return { cpuMs, wallMs, percent: wallMs > 0 ? (100 * cpuMs) / wallMs : null };
}

/**
 * Values of a Prometheus text exposition by metric name: the unlabelled samples, and histogram
 * buckets whose only label is `le`, keyed `name{le="0.01"}` as written.
 */
export function parseExposition(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const labels = match[2];
    if (labels !== undefined && !/^\{le="[^"]*"\}$/.test(labels)) continue;
    const value = Number(match[3]);
    if (Number.isFinite(value)) values.set(`${match[1] as string}${labels ?? ""}`, value);
  }
  return values;
}

/** The buckets of the histogram whose name is `name` or ends with `_name`, ascending; empty if absent. */
export function bucketsEnding(values: ReadonlyMap<string, number>, name: string): Buckets {
  const buckets: Buckets = [];
  for (const [key, count] of values) {
    const match = /^(.*)_bucket\{le="([^"]*)"\}$/.exec(key);
    if (!match || (match[1] !== name && !match[1]?.endsWith(`_${name}`))) continue;
    buckets.push({ le: match[2] === "+Inf" ? Infinity : Number(match[2]), count });
  }
  return buckets.sort((a, b) => a.le - b.le);
}

/** What was observed between two readings of the same histogram. */
export function bucketsBetween(before: Buckets, after: Buckets): Buckets {
  return after.map((b, i) => ({ le: b.le, count: b.count - (before[i]?.le === b.le ? (before[i]?.count ?? 0) : 0) }));
}

/**
 * The q-quantile (0..1) of cumulative buckets, interpolated within its bucket as Prometheus'
 * histogram_quantile does; the largest finite bound when it falls in +Inf; null without samples.
 */
export function bucketQuantile(buckets: Buckets, q: number): number | null {
  const total = buckets[buckets.length - 1]?.count ?? 0;
  if (total <= 0) return null;
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const b of buckets) {
    if (b.count >= rank) {
      if (b.le === Infinity) return lowerBound;
      const inBucket = b.count - lowerCount;
      return inBucket <= 0 ? b.le : lowerBound + ((b.le - lowerBound) * (rank - lowerCount)) / inBucket;
    }
    lowerBound = b.le;
    lowerCount = b.count;
  }
  return lowerBound;
}

/** The value of the metric whose name is `name` or ends with `_name` (a prefixed default metric). */
export function metricEnding(values: ReadonlyMap<string, number>, name: string): number | undefined {
  const exact = values.get(name);
  if (exact !== undefined) return exact;
  for (const [key, value] of values) if (key.endsWith(`_${name}`)) return value;
  return undefined;
}

export class ServerSampler {
  readonly samples: ServerSample[] = [];
  /** Scrapes that failed, with the first reason. */
  failures = 0;
  firstFailure: string | null = null;
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  private previous: { at: number; cpuSeconds: number } | undefined;
  private firstLag: Buckets | undefined;
  private lastLag: Buckets = [];
  private inFlight: Promise<void> | undefined;

  constructor(private readonly settings: SamplerSettings) {}

  start(): void {
    this.startedAt = performance.now();
    this.inFlight = this.scrape(); // a first sample resets the lag histogram and sets the CPU base
    this.timer = setInterval(() => {
      if (!this.inFlight) this.inFlight = this.scrape();
    }, this.settings.intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.inFlight;
  }

  private async scrape(): Promise<void> {
    try {
      this.record(await fetchMetrics(this.settings, Math.max(1000, this.settings.intervalMs * 2)), performance.now());
    } catch (err) {
      this.failures++;
      this.firstFailure ??= (err as Error).message;
    } finally {
      this.inFlight = undefined;
    }
  }

  private record(values: ReadonlyMap<string, number>, at: number): void {
    const cpuSeconds = cpuSecondsOf(values);
    let cpuPercent: number | null = null;
    if (cpuSeconds !== undefined && this.previous) {
      const wallSeconds = (at - this.previous.at) / 1000;
      cpuPercent = wallSeconds > 0 ? (100 * (cpuSeconds - this.previous.cpuSeconds)) / wallSeconds : null;
    }
    if (cpuSeconds !== undefined) this.previous = { at, cpuSeconds };
    const mb = (bytes: number | undefined) => (bytes === undefined ? null : bytes / 1024 / 1024);
    // The first scrape only opens the window: lag counts what was observed after it.
    const lag = bucketsEnding(values, LOOP_LAG_HISTOGRAM);
    const lagP99 = this.firstLag === undefined ? null : bucketQuantile(bucketsBetween(this.lastLag, lag), 0.99);
    if (lag.length > 0) {
      this.firstLag ??= lag;
      this.lastLag = lag;
    }
    this.samples.push({
      atSeconds: (at - this.startedAt) / 1000,
      cpuPercent,
      rssMb: mb(metricEnding(values, "process_resident_memory_bytes")),
      heapUsedMb: mb(metricEnding(values, "nodejs_heap_size_used_bytes")),
      eventLoopLagP99Ms: lagP99 === null ? null : lagP99 * 1000,
    });
  }

  /** p99 event-loop lag in ms over the whole sampled window (first scrape to last), or null. */
  windowLagP99Ms(): number | null {
    if (this.firstLag === undefined) return null;
    const p99 = bucketQuantile(bucketsBetween(this.firstLag, this.lastLag), 0.99);
    return p99 === null ? null : p99 * 1000;
  }
}
