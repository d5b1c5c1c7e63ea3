/**
 * A fault-injecting TCP proxy between load clients and a server, on a free port of 127.0.0.1.
 * Per connection and direction it delays chunks (latency and jitter, never reordering them),
 * caps bandwidth, holds both directions in bursts, stalls one direction while the connection
 * stays open, and resets connections (RST on both sides). Decisions come from a seeded schedule
 * (schedule.ts); heal() turns every fault off, for the checks of "once the network heals".
 */
import { createServer, connect, type Server, type Socket } from "node:net";
import { ConnectionSchedule, NO_FAULTS, type Direction, type FaultConfig, type TimedFault } from "./schedule";

export interface ProxyCounters {
  connections: number;
  open: number;
  resets: number;
  stalls: number;
  bursts: number;
  /** Client → server and server → client payload bytes forwarded. */
  bytesUp: number;
  bytesDown: number;
  /** Connections whose upstream side failed by itself (refused, reset by the server). */
  upstreamErrors: number;
}

/** What the schedule decided for one connection, as far as it is independent of the traffic: for reproducibility checks. */
export interface ConnectionDecisions {
  connection: number;
  resetAfterMs: number;
  stalls: Record<Direction, TimedFault[]>;
  bursts: TimedFault[];
}

export interface ProxySettings {
  targetHost: string;
  targetPort: number;
  seed: number;
  faults: FaultConfig;
}

/** Past this many bytes queued in one direction the sender is paused (TCP pushes back on it). */
const HIGH_WATER_BYTES = 1 << 20;
const LOW_WATER_BYTES = 1 << 18;
/** Decisions kept per connection for decisions(): enough to compare two runs' schedules. */
const DECISIONS_KEPT = 8;
const DECISIONS_CONNECTIONS_KEPT = 1000;

interface Chunk {
  /** Null: the sender's FIN, passed on in order. */
  data: Buffer | null;
  at: number;
}

/** One direction of one connection: chunks wait in order until their release time. */
class Pipe {
  private readonly queue: Chunk[] = [];
  private queuedBytes = 0;
  private lastRelease = 0;
  private holdUntil = 0;
  private timer: NodeJS.Timeout | undefined;
  private ended = false;
  /** Set once the receiving socket is gone: nothing more is delivered. */
  private dead = false;

  constructor(
    readonly direction: Direction,
    private readonly from: Socket,
    private readonly to: Socket,
    private readonly delayMs: () => number,
    private readonly faults: () => FaultConfig,
    private readonly counted: (bytes: number) => void,
  ) {
    to.on("drain", () => this.updateFlow());
  }

  push(data: Buffer | null): void {
    if (this.ended || this.dead) return;
    if (data === null) this.ended = true;
    const now = performance.now();
    const { bandwidthBytesPerSecond } = this.faults();
    const transmitMs = data && bandwidthBytesPerSecond > 0 ? (data.length / bandwidthBytesPerSecond) * 1000 : 0;
    // max(previous release, now + delay): jitter never lets a later chunk overtake an earlier one.
    const at = Math.max(now + this.delayMs(), this.lastRelease) + transmitMs;
    this.lastRelease = at;
    this.queue.push({ data, at });
    this.queuedBytes += data?.length ?? 0;
    this.updateFlow();
    this.arm();
  }

  /** Holds everything (queued and to come) until `until` (performance.now() ms). */
  hold(until: number): void {
    this.holdUntil = Math.max(this.holdUntil, until);
    this.arm();
  }

  /** Healing: no more holds, and what waits goes out now, in order. */
  release(): void {
    this.holdUntil = 0;
    const now = performance.now();
    for (const chunk of this.queue) chunk.at = Math.min(chunk.at, now);
    this.lastRelease = Math.min(this.lastRelease, now);
    this.flush();
  }

  kill(): void {
    this.dead = true;
    this.queue.length = 0;
    this.queuedBytes = 0;
    clearTimeout(this.timer);
  }

  private arm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const head = this.queue[0];
    if (!head || this.dead) return;
    const wait = Math.max(head.at, this.holdUntil) - performance.now();
    this.timer = setTimeout(() => this.flush(), Math.max(0, wait));
  }

  private flush(): void {
    const now = performance.now();
    if (now < this.holdUntil) return this.arm();
    while (!this.dead && this.queue.length > 0 && (this.queue[0] as Chunk).at <= now) {
      const { data } = this.queue.shift() as Chunk;
      if (this.to.destroyed) break;
      if (data === null) {
        this.to.end();
      } else {
        this.queuedBytes -= data.length;
        this.counted(data.length);
        this.to.write(data);
      }
    }
    this.updateFlow();
    this.arm();
  }

  /** Pauses the sender while too much waits here or in the receiver's buffer. */
  private updateFlow(): void {
    if (this.from.destroyed) return;
    const full = this.queuedBytes > HIGH_WATER_BYTES || this.to.writableNeedDrain;
    if (full && !this.from.isPaused()) this.from.pause();
    else if (!full && this.queuedBytes < LOW_WATER_BYTES && this.from.isPaused()) this.from.resume();
  }
}

/** One proxied connection: the client's socket, the upstream socket, a pipe each way and its fault timers. */
class Link {
  private readonly pipes: Record<Direction, Pipe>;
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly proxy: ChaosProxy,
    private readonly client: Socket,
    private readonly upstream: Socket,
    private readonly schedule: ConnectionSchedule,
    readonly decisions: ConnectionDecisions | undefined,
  ) {
    const faults = () => proxy.faults;
    const counters = proxy.counters;
    this.pipes = {
      up: new Pipe(
        "up",
        client,
        upstream,
        () => schedule.delayMs("up", proxy.faults),
        faults,
        (n) => (counters.bytesUp += n),
      ),
      down: new Pipe(
        "down",
        upstream,
        client,
        () => schedule.delayMs("down", proxy.faults),
        faults,
        (n) => (counters.bytesDown += n),
      ),
    };
    client.on("data", (data: Buffer) => this.pipes.up.push(data));
    upstream.on("data", (data: Buffer) => this.pipes.down.push(data));
    client.on("end", () => this.pipes.up.push(null));
    upstream.on("end", () => this.pipes.down.push(null));
    client.on("error", () => {});
    upstream.on("error", () => {
      counters.upstreamErrors++;
    });
    client.on("close", (hadError) => this.sideClosed("client", hadError));
    upstream.on("close", (hadError) => this.sideClosed("upstream", hadError));
    this.planFaults();
  }

  /** Schedules this connection's reset, stalls and bursts (unless the network is healed). */
  private planFaults(): void {
    const config = this.proxy.faults;
    const resetAfterMs = this.schedule.resetAfterMs(config);
    if (this.decisions) this.decisions.resetAfterMs = resetAfterMs;
    if (Number.isFinite(resetAfterMs)) this.later(resetAfterMs, () => this.reset());
    for (const direction of ["up", "down"] as const) this.planStall(direction);
    this.planBurst();
  }

  private planStall(direction: Direction): void {
    const stall = this.schedule.nextStall(direction, this.proxy.faults);
    this.remember(this.decisions?.stalls[direction], stall);
    if (!Number.isFinite(stall.inMs)) return;
    this.later(stall.inMs, () => {
      this.proxy.counters.stalls++;
      this.pipes[direction].hold(performance.now() + stall.forMs);
      this.planStall(direction);
    });
  }

  private planBurst(): void {
    const burst = this.schedule.nextBurst(this.proxy.faults);
    this.remember(this.decisions?.bursts, burst);
    if (!Number.isFinite(burst.inMs)) return;
    this.later(burst.inMs, () => {
      this.proxy.counters.bursts++;
      const until = performance.now() + burst.forMs;
      this.pipes.up.hold(until);
      this.pipes.down.hold(until);
      this.planBurst();
    });
  }

  private remember(list: TimedFault[] | undefined, fault: TimedFault): void {
    if (list && list.length < DECISIONS_KEPT) list.push(fault);
  }

  private later(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.closed) run();
    }, ms);
    this.timers.add(timer);
  }

  /** Every fault off: no more timers, holds released, queued chunks sent now. */
  heal(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.pipes.up.release();
    this.pipes.down.release();
  }

  /** RST on both sockets: both peers see the connection reset, nothing queued is delivered. */
  reset(): void {
    if (this.closed) return;
    this.proxy.counters.resets++;
    this.finish();
    for (const socket of [this.client, this.upstream]) {
      try {
        socket.resetAndDestroy();
      } catch {
        socket.destroy();
      }
    }
  }

  destroy(): void {
    this.finish();
    this.client.destroy();
    this.upstream.destroy();
  }

  private sideClosed(side: "client" | "upstream", hadError: boolean): void {
    if (this.closed) return;
    const [other, toGone, fromGone] =
      side === "client" ? [this.upstream, this.pipes.down, this.pipes.up] : [this.client, this.pipes.up, this.pipes.down];
    toGone.kill(); // nothing can reach the closed side any more
    if (hadError) {
      // The peer was reset (or failed): pass the reset on rather than a polite FIN.
      this.finish();
      try {
        other.resetAndDestroy();
      } catch {
        other.destroy();
      }
      return;
    }
    fromGone.push(null); // its FIN, if it did not come already, after whatever it sent
    if (other.destroyed) this.finish(); // the second side to close ends the link
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.pipes.up.kill();
    this.pipes.down.kill();
    this.proxy.forget(this);
  }
}

export class ChaosProxy {
  readonly counters: ProxyCounters = {
    connections: 0,
    open: 0,
    resets: 0,
    stalls: 0,
    bursts: 0,
    bytesUp: 0,
    bytesDown: 0,
    upstreamErrors: 0,
  };
  /** The faults in force; NO_FAULTS once healed. */
  faults: FaultConfig;
  private healed = false;
  private readonly links = new Set<Link>();
  private readonly decided: ConnectionDecisions[] = [];

  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly settings: ProxySettings,
  ) {
    this.faults = settings.faults;
  }

  /** Listens on a free port of 127.0.0.1 and forwards every connection to the target. */
  static async start(settings: ProxySettings): Promise<ChaosProxy> {
    // allowHalfOpen: a FIN from one side is passed on in order, the other direction keeps flowing.
    const server = createServer({ allowHalfOpen: true, noDelay: true });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    const address = server.address();
    if (typeof address !== "object" || address === null) throw new Error("the proxy has no port");
    const proxy = new ChaosProxy(server, address.port, settings);
    server.on("connection", (socket) => proxy.accept(socket));
    return proxy;
  }

  /** http://127.0.0.1:port: the address load clients use instead of the server's. */
  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get isHealed(): boolean {
    return this.healed;
  }

  /** The decisions made for the first connections, in the order they were accepted. */
  decisions(): ConnectionDecisions[] {
    return this.decided.map((d) => structuredClone(d));
  }

  /** Turns every fault off, for the open connections and the ones to come. */
  heal(): void {
    this.healed = true;
    this.faults = NO_FAULTS;
    for (const link of this.links) link.heal();
  }

  /** Resets every open connection at once (a test's way to force a drop). */
  resetAll(): void {
    for (const link of [...this.links]) link.reset();
  }

  /** Stops listening and destroys every open connection. */
  async close(): Promise<void> {
    for (const link of [...this.links]) link.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  forget(link: Link): void {
    if (this.links.delete(link)) this.counters.open--;
  }

  private accept(client: Socket): void {
    const index = this.counters.connections++;
    this.counters.open++;
    client.setNoDelay(true);
    const upstream = connect({ host: this.settings.targetHost, port: this.settings.targetPort, allowHalfOpen: true, noDelay: true });
    const decisions: ConnectionDecisions | undefined =
      this.decided.length < DECISIONS_CONNECTIONS_KEPT
        ? { connection: index, resetAfterMs: Infinity, stalls: { up: [], down: [] }, bursts: [] }
        : undefined;
    if (decisions) this.decided.push(decisions);
    this.links.add(new Link(this, client, upstream, new ConnectionSchedule(this.settings.seed, index), decisions));
  }
}
