/**
 * The soak: R rooms of P players on one target, every player holding a changing direction and
 * sending inputs at a steady rate. After everyone joined and a warm-up, a measured window records
 * patch latency (server send time to client decode), bytes each client received, the server's
 * CPU, memory and event-loop lag, and whether every client still sees exactly its room.
 */
import { performance } from "node:perf_hooks";
import { toErrorBody } from "@tavern/shared/errors";
import { beforeDeadline, mapLimit, sleep } from "../clientKit";
import { ServerSampler, type SamplerSettings, type ServerSample } from "../serverSampler";
import { countBy, summarize, type Summary } from "../stats";
import { createRoom, joinRoom, type SpacePeer, type SpaceTarget, type TargetName } from "./target";

export interface SoakSettings {
  target: SpaceTarget;
  rooms: number;
  playersPerRoom: number;
  /** Length of the measured window. */
  seconds: number;
  warmupSeconds: number;
  /** Inputs each player sends per second. */
  inputsPerSecond: number;
  /**
   * Players per room that keep decoding updates (they measure latency and are checked for
   * visibility); the others only count bytes. Undefined: every player decodes.
   */
  decodersPerRoom?: number;
  /** Joins in flight at once while filling the rooms. */
  joinConcurrency: number;
  /** Epoch ms by which joining and the window must be over. */
  deadline: number;
  /** Where the server's metrics are; without it the report has no server columns. */
  sampler?: SamplerSettings;
  /**
   * Global index of this soak's first room: a worker thread running rooms 10-19 of a larger
   * soak names its players soak-10-0... so names stay unique across workers. Default 0.
   */
  firstRoom?: number;
  /**
   * Called once every room is full; resolves with the epoch ms at which the measured window
   * opens (inputs start at once, the warm-up lasts until then). Lets worker threads open their
   * windows together. Default: now plus the warm-up.
   */
  windowOpensAt?: () => Promise<number>;
}

/**
 * What a merge of several soaks' results needs beyond their summaries: the raw latency samples
 * and byte counts of the window, so percentiles over all clients are exact, not averaged.
 */
export interface SoakWindow {
  /** Latency samples (ms) per second of the window. */
  latencyPerSecond: number[][];
  /** Bytes all of this soak's clients received in each second of the window. */
  bytesPerSecond: number[];
  /** Bytes all of them received over the whole window. */
  windowBytes: number;
  /** Clients connected when the window closed. */
  connectedClients: number;
}

export interface SoakProgress {
  phase: "join" | "warm-up" | "measure" | "leave" | "done";
  joined: number;
  errors: number;
  drops: number;
  /** Patch latency p99 of the last whole second, ms. */
  lastSecondP99: number | null;
  secondsMeasured: number;
}

/** One second of the measured window. */
export interface SoakSecond {
  second: number;
  latency: Summary;
  /** Bytes all clients received in this second, divided by the clients. */
  bytesPerClient: number;
}

/** How busy the load script itself was during the window. */
export interface LoadScriptUse {
  /** CPU of the whole load-script process (every thread), % of one core. */
  cpuPercent: number | null;
  /** Event-loop utilization (0..1) of the thread that ran the clients (the main thread without workers). */
  eventLoopUtilization: number | null;
  /** With worker threads: each worker's event-loop utilization, in worker order; else empty. */
  workers: Array<number | null>;
}

export interface SoakResult {
  target: TargetName;
  endpoint: string;
  startedAt: string;
  rooms: number;
  playersPerRoom: number;
  clients: number;
  /** Clients that decoded updates in the window: latency and visibility come from them. */
  decodingClients: number;
  inputsPerSecond: number;
  joined: number;
  joinErrors: Record<string, number>;
  firstJoinError: string | null;
  /** From the first create to the last join settled. */
  joinPhaseMs: number | null;
  measuredSeconds: number;
  inputsSent: number;
  /** Server send time to client decode, every update in the window. */
  latencyMs: Summary;
  bytesPerClientPerSecond: number | null;
  timeline: SoakSecond[];
  server: ServerSample[];
  serverScrapeFailures: number;
  /** p99 of the server's event-loop lag over the whole window (its histogram, first to last scrape). */
  serverLoopLagP99Ms: number | null;
  loadScript: LoadScriptUse;
  drops: number;
  firstDrop: string | null;
  /** Clients whose room, at the end of the window, held exactly the players that joined it. */
  visibilityOk: number;
  visibilityProblems: string[];
  timedOut: string | null;
}

interface Seat {
  room: number;
  /** Keeps decoding updates through the window. */
  decodes: boolean;
  name: string;
  peer: SpacePeer | undefined;
  direction: { dx: number; dy: number };
}

/** How often the input scheduler wakes; inputs due since the last wake-up go out together. */
const SCHEDULER_MS = 10;
/** Chance that a player keeps its direction at its next input (a random walk with some runs). */
const KEEP_DIRECTION = 0.8;

export class Soak {
  readonly progress: SoakProgress = { phase: "join", joined: 0, errors: 0, drops: 0, lastSecondP99: null, secondsMeasured: 0 };
  private readonly seats: Seat[] = [];
  private readonly roomKeys: Array<string | undefined> = [];
  private readonly errors: string[] = [];
  private readonly errorMessages: string[] = [];
  private readonly drops: string[] = [];
  /** Latency samples per second of the window; index = whole seconds since the window opened. */
  private readonly perSecond: number[][] = [];
  private windowStart = 0;
  private measuring = false;
  private windowBytes = 0;
  private bytesPerSecond: number[] = [];
  private connectedAtEnd = 0;

  constructor(private readonly settings: SoakSettings) {
    const firstRoom = settings.firstRoom ?? 0;
    for (let room = firstRoom; room < firstRoom + settings.rooms; room++) {
      for (let i = 0; i < settings.playersPerRoom; i++) {
        const decodes = settings.decodersPerRoom === undefined || i < settings.decodersPerRoom;
        this.seats.push({ room, name: `soak-${room}-${i}`, decodes, peer: undefined, direction: randomDirection() });
      }
    }
  }

  async run(): Promise<SoakResult> {
    const s = this.settings;
    const result = this.emptyResult();
    const sampler = s.sampler ? new ServerSampler(s.sampler) : undefined;
    let stopInputs = () => {};
    try {
      const joinStart = performance.now();
      if (!(await this.fill())) {
        result.timedOut = "joining";
        return result;
      }
      result.joinPhaseMs = performance.now() - joinStart;
      for (const seat of this.seats) if (!seat.decodes) seat.peer?.stopDecoding();
      result.decodingClients = this.seats.filter((seat) => seat.decodes && seat.peer).length;

      const opensAt = s.windowOpensAt ? await s.windowOpensAt() : Date.now() + s.warmupSeconds * 1000;
      this.progress.phase = "warm-up";
      stopInputs = this.startInputs(result);
      await sleep(Math.max(0, opensAt - Date.now()));

      this.progress.phase = "measure";
      const bytesAtStart = this.totalBytes();
      const cpuAtStart = process.cpuUsage();
      const eluAtStart = performance.eventLoopUtilization();
      sampler?.start();
      // The planned moment, not the wake-up: worker threads' seconds then line up exactly.
      this.windowStart = opensAt;
      this.measuring = true;
      const bytesPerSecond = await this.measure(result);
      this.measuring = false;
      const windowMs = Date.now() - this.windowStart;
      await sampler?.stop();

      result.measuredSeconds = windowMs / 1000;
      const clients = this.connectedPeers().length;
      this.connectedAtEnd = clients;
      this.windowBytes = this.totalBytes() - bytesAtStart;
      this.bytesPerSecond = bytesPerSecond;
      result.bytesPerClientPerSecond = clients === 0 ? null : this.windowBytes / clients / result.measuredSeconds;
      const cpu = process.cpuUsage(cpuAtStart);
      result.loadScript = {
        cpuPercent: ((cpu.user + cpu.system) / 1000 / windowMs) * 100,
        eventLoopUtilization: performance.eventLoopUtilization(eluAtStart).utilization,
        workers: [],
      };
      result.latencyMs = summarize(this.perSecond.flat());
      result.timeline = this.perSecond.map((samples, second) => ({
        second,
        latency: summarize(samples),
        bytesPerClient: clients === 0 ? 0 : (bytesPerSecond[second] ?? 0) / clients,
      }));
      this.checkVisibility(result);
      return result;
    } finally {
      stopInputs();
      this.measuring = false;
      await sampler?.stop();
      if (sampler) {
        result.server = sampler.samples;
        result.serverScrapeFailures = sampler.failures;
        result.serverLoopLagP99Ms = sampler.windowLagP99Ms();
      }
      result.drops = this.drops.length;
      result.firstDrop = this.drops[0] ?? null;
      result.joined = this.seats.filter((seat) => seat.peer).length;
      result.joinErrors = countBy(this.errors);
      result.firstJoinError = this.errorMessages[0] ?? null;
      this.progress.phase = "leave";
      await mapLimit(this.seats, 50, async (seat) => seat.peer?.close());
      this.progress.phase = "done";
    }
  }

  private emptyResult(): SoakResult {
    const s = this.settings;
    return {
      target: s.target.name,
      endpoint: s.target.endpoint,
      startedAt: new Date().toISOString(),
      rooms: s.rooms,
      playersPerRoom: s.playersPerRoom,
      clients: this.seats.length,
      decodingClients: 0,
      inputsPerSecond: s.inputsPerSecond,
      joined: 0,
      joinErrors: {},
      firstJoinError: null,
      joinPhaseMs: null,
      measuredSeconds: 0,
      inputsSent: 0,
      latencyMs: summarize([]),
      bytesPerClientPerSecond: null,
      timeline: [],
      server: [],
      serverScrapeFailures: 0,
      serverLoopLagP99Ms: null,
      loadScript: { cpuPercent: null, eventLoopUtilization: null, workers: [] },
      drops: 0,
      firstDrop: null,
      visibilityOk: 0,
      visibilityProblems: [],
      timedOut: null,
    };
  }

  /** The window's raw numbers, once run() has settled. */
  window(): SoakWindow {
    return {
      // Array.from visits holes (seconds without a sample), which map would skip.
      latencyPerSecond: Array.from(this.perSecond, (samples) => samples ?? []),
      bytesPerSecond: this.bytesPerSecond,
      windowBytes: this.windowBytes,
      connectedClients: this.connectedAtEnd,
    };
  }

  /** Creates every room, then fills them; false when the deadline came first. */
  private async fill(): Promise<boolean> {
    const { target, playersPerRoom, joinConcurrency, deadline } = this.settings;
    const creators = this.seats.filter((_, i) => i % playersPerRoom === 0);
    const joiners = this.seats.filter((_, i) => i % playersPerRoom !== 0);
    const work = (async () => {
      await mapLimit(creators, joinConcurrency, async (seat) => {
        await this.attempt(seat, async () => {
          const { peer, roomKey } = await createRoom(target, seat.name, playersPerRoom);
          this.roomKeys[seat.room] = roomKey;
          return peer;
        });
      });
      await mapLimit(joiners, joinConcurrency, async (seat) => {
        const key = this.roomKeys[seat.room];
        if (key === undefined) return; // its room could not be created; counted there
        await this.attempt(seat, () => joinRoom(target, key, seat.name));
      });
    })();
    // beforeDeadline clears its timer: a pending deadline timer would keep the script alive after the run.
    return (await beforeDeadline(work, deadline)).done;
  }

  private async attempt(seat: Seat, open: () => Promise<SpacePeer>): Promise<void> {
    try {
      const peer = await open();
      seat.peer = peer;
      this.progress.joined++;
      peer.onDrop((reason) => {
        this.drops.push(`${seat.name}: ${reason}`);
        this.progress.drops++;
      });
      peer.onServerTime((serverTime, receivedAt) => {
        if (!this.measuring) return;
        const second = Math.floor((receivedAt - this.windowStart) / 1000);
        if (second < 0 || second >= this.settings.seconds) return;
        (this.perSecond[second] ??= []).push(receivedAt - serverTime);
      });
    } catch (err) {
      const body = toErrorBody(err);
      this.errors.push(body.code);
      this.errorMessages.push(`${seat.name}: ${body.message}`);
      this.progress.errors++;
    }
  }

  /** Sends each connected player's inputs, spread evenly over time; returns a stopper. */
  private startInputs(result: SoakResult): () => void {
    const peers = this.seats.filter((seat) => seat.peer);
    const perMs = (peers.length * this.settings.inputsPerSecond) / 1000;
    const start = performance.now();
    let sent = 0;
    let next = 0;
    const timer = setInterval(() => {
      const due = Math.floor((performance.now() - start) * perMs) - sent;
      for (let i = 0; i < due && peers.length > 0; i++) {
        const seat = peers[next++ % peers.length] as Seat;
        if (Math.random() > KEEP_DIRECTION) seat.direction = randomDirection();
        seat.peer?.move(seat.direction.dx, seat.direction.dy);
        sent++;
      }
      result.inputsSent = sent;
    }, SCHEDULER_MS);
    return () => clearInterval(timer);
  }

  /** Runs the window second by second; returns the bytes all clients received in each second. */
  private async measure(result: SoakResult): Promise<number[]> {
    const bytes: number[] = [];
    let previous = this.totalBytes();
    for (let second = 0; second < this.settings.seconds; second++) {
      const wakeAt = this.windowStart + (second + 1) * 1000;
      if (wakeAt > this.settings.deadline) {
        result.timedOut = "measuring (the window did not fit before the timeout)";
        break;
      }
      await sleep(Math.max(0, wakeAt - Date.now()));
      const now = this.totalBytes();
      bytes.push(now - previous);
      previous = now;
      const samples = this.perSecond[second] ?? [];
      this.progress.lastSecondP99 = summarize(samples).p99;
      this.progress.secondsMeasured = second + 1;
    }
    return bytes;
  }

  private checkVisibility(result: SoakResult): void {
    const expected = new Map<number, string[]>();
    for (const seat of this.seats) {
      if (!seat.peer) continue;
      const ids = expected.get(seat.room) ?? [];
      ids.push(seat.peer.id);
      expected.set(seat.room, ids);
    }
    const problems: string[] = [];
    for (const seat of this.seats) {
      if (!seat.peer || !seat.decodes) continue;
      const want = [...(expected.get(seat.room) ?? [])].sort();
      const have = seat.peer
        .players()
        .map((p) => p.id)
        .sort();
      if (want.join(",") === have.join(",")) result.visibilityOk++;
      else problems.push(`${seat.name} sees ${have.length} players, expected ${want.length}`);
    }
    result.visibilityProblems = problems.slice(0, 20);
  }

  private connectedPeers(): SpacePeer[] {
    return this.seats.flatMap((seat) => (seat.peer ? [seat.peer] : []));
  }

  private totalBytes(): number {
    let total = 0;
    for (const seat of this.seats) total += seat.peer?.bytesReceived() ?? 0;
    return total;
  }
}

function randomDirection(): { dx: number; dy: number } {
  const angle = Math.random() * 2 * Math.PI;
  return { dx: Math.cos(angle), dy: Math.sin(angle) };
}
