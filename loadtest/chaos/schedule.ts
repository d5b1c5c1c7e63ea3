/**
 * The proxy's fault decisions, drawn from a seeded generator so that a run can be repeated: every
 * connection gets its own generator, derived from the run's seed and the connection's number, so
 * what happens to connection #7 does not depend on how many chunks connection #6 carried.
 */

/** mulberry32: a tiny 32-bit generator, good enough for fault schedules (not for anything secret). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes the run's seed with a connection number and a stream number into one generator seed. */
export function deriveSeed(seed: number, connection: number, stream: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const part of [connection, stream]) {
    h = Math.imul(h ^ part, 0x85ebca6b) >>> 0;
    h = (h ^ (h >>> 13)) >>> 0;
    h = Math.imul(h, 0xc2b2ae35) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
  }
  return h;
}

export interface FaultConfig {
  /** One-way delay added to every chunk, drawn uniformly from [min, max] ms. */
  latencyMinMs: number;
  latencyMaxMs: number;
  /** Bytes per second per direction of a connection; 0: no cap. */
  bandwidthBytesPerSecond: number;
  /** Bursts per second per connection: both directions held for a burst's length. */
  burstRate: number;
  burstMinMs: number;
  burstMaxMs: number;
  /** Stalls per second per direction: that direction alone stops (the connection stays open). */
  stallRate: number;
  stallMinMs: number;
  stallMaxMs: number;
  /** Resets per second per connection (a 0.02 rate: 2% of the open connections each second). */
  resetRate: number;
}

export const NO_FAULTS: FaultConfig = {
  latencyMinMs: 0,
  latencyMaxMs: 0,
  bandwidthBytesPerSecond: 0,
  burstRate: 0,
  burstMinMs: 0,
  burstMaxMs: 0,
  stallRate: 0,
  stallMinMs: 0,
  stallMaxMs: 0,
  resetRate: 0,
};

export type Direction = "up" | "down";

/** A time from now (ms) of the next event of a Poisson process of `rate` per second; Infinity at rate 0. */
function exponentialMs(random: () => number, rate: number): number {
  if (rate <= 0) return Infinity;
  return (-Math.log(1 - random()) / rate) * 1000;
}

function uniform(random: () => number, min: number, max: number): number {
  return min + random() * Math.max(0, max - min);
}

/** A fault that starts `inMs` from the previous one's start (or the connection's) and lasts `forMs`. */
export interface TimedFault {
  inMs: number;
  forMs: number;
}

/**
 * One connection's decisions. Each kind of decision reads its own generator, so the delays of
 * the chunks (whose number depends on the traffic) never shift when the resets or stalls happen.
 */
export class ConnectionSchedule {
  private readonly delays: Record<Direction, () => number>;
  private readonly stalls: Record<Direction, () => number>;
  private readonly bursts: () => number;
  private readonly resets: () => number;

  constructor(
    seed: number,
    readonly connection: number,
  ) {
    const stream = (n: number) => mulberry32(deriveSeed(seed, connection, n));
    this.delays = { up: stream(1), down: stream(2) };
    this.stalls = { up: stream(3), down: stream(4) };
    this.bursts = stream(5);
    this.resets = stream(6);
  }

  /** The one-way delay of the next chunk in `direction`. */
  delayMs(direction: Direction, config: FaultConfig): number {
    return uniform(this.delays[direction], config.latencyMinMs, config.latencyMaxMs);
  }

  /** When (from the connection's start) this connection is reset; Infinity: never. */
  resetAfterMs(config: FaultConfig): number {
    return exponentialMs(this.resets, config.resetRate);
  }

  nextStall(direction: Direction, config: FaultConfig): TimedFault {
    const random = this.stalls[direction];
    return { inMs: exponentialMs(random, config.stallRate), forMs: uniform(random, config.stallMinMs, config.stallMaxMs) };
  }

  nextBurst(config: FaultConfig): TimedFault {
    return { inMs: exponentialMs(this.bursts, config.burstRate), forMs: uniform(this.bursts, config.burstMinMs, config.burstMaxMs) };
  }
}
