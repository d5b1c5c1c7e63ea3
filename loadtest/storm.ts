/**
 * The join storm, on any SpaceTarget: N players are prepared (on Tavern, a guest sign-in each),
 * the first creates a space room, the other N-1 join it by key at the same instant. Records each
 * client's join latency and the time until it sees all N players, the server's CPU and the bytes
 * each client received during the storm, then checks that every client sees exactly the N
 * players with the right names, none twice.
 */
import { toErrorBody, type ErrorBody } from "@tavern/shared/errors";
import { beforeDeadline, forEveryName, sleep } from "./clientKit";
import { cpuBetween, readCpu, type CpuReading, type MetricsEndpoint } from "./serverSampler";
import type { PreparedPlayer, SpacePeer, SpaceTarget, TargetName } from "./space/target";
import { visibilityProblems, type ExpectedPlayer } from "./visibility";

export interface StormSettings {
  /** The room is created here. */
  target: SpaceTarget;
  /** Joiner i is prepared on joinTargets[i % length] (processes of one cluster); default: [target]. */
  joinTargets?: readonly SpaceTarget[];
  clients: number;
  /** Epoch ms by which everything (preparing, the storm, settling) must be over. */
  deadline: number;
  /** The server's /metrics, one per process; without them the server's CPU is not measured. */
  metrics?: readonly MetricsEndpoint[];
}

/** Live counters the progress line reads while the storm runs. */
export interface StormProgress {
  phase: "prepare" | "create" | "storm" | "settle" | "leave" | "done";
  prepared: number;
  joined: number;
  fullyVisible: number;
  errors: number;
  drops: number;
}

export interface ClientOutcome {
  index: number;
  name: string;
  /** The id the server gave this client; null when it never got a seat. */
  playerId: string | null;
  role: "creator" | "joiner";
  /** In the room: the creator once create resolved, a joiner once join resolved. */
  joined: boolean;
  /** Joiners: join call start → the client holds a room view with itself in it. */
  joinMs: number | null;
  error: ErrorBody | null;
  /** Storm start → first moment this client's copy held N players. */
  visibleMs: number | null;
  /** Largest player count this client ever saw (above N means someone appeared twice). */
  maxPlayersSeen: number;
  /** WebSocket payload bytes this client received from the storm start to its end (settled or timed out). */
  bytesReceived: number | null;
  drops: number;
  /** Empty when the client ended up seeing all N players with the right names, none twice. */
  visibilityProblems: string[];
}

export interface ServerCpu {
  /** CPU time the server's processes used between the scrapes around the storm. */
  cpuMs: number;
  /** Wall time between those scrapes (storm start to its end, plus a scrape). */
  wallMs: number;
  /** cpuMs / wallMs, in % of one core. */
  percent: number | null;
}

export interface StormResult {
  target: TargetName;
  /** Comma-separated when joiners were spread over several processes. */
  endpoint: string;
  clients: number;
  startedAt: string;
  roomCode: string | null;
  /** Preparing every player (Tavern: the guest sign-ins). */
  prepareMs: number | null;
  createMs: number | null;
  /** Storm start → last join settled (resolved or refused). */
  stormMs: number | null;
  /** Storm start → every admitted client saw everyone admitted (or the deadline). */
  settleMs: number | null;
  /** CPU this script used from storm start to settled, in % of one core: near 100 means the load generator, not the server, may be the bottleneck. */
  stormCpuPercent: number | null;
  /** The server's CPU during the storm; null when not measured (serverCpuMissing says why). */
  serverCpu: ServerCpu | null;
  serverCpuMissing: string | null;
  leaveMs: number | null;
  /** The server's CPU while every client left (host migrations, seat removals); null when not measured. */
  leaveServerCpuMs: number | null;
  /** Peers whose close() was not confirmed in time (Tavern: leave; baselines: socket closed). */
  leaveTimeouts: number;
  timedOut: string | null;
  /** Why the storm stopped before it could run (a preparation failed, the room was refused). */
  aborted: string | null;
  outcomes: ClientOutcome[];
}

interface Participant {
  outcome: ClientOutcome;
  target: SpaceTarget;
  prepared: PreparedPlayer | undefined;
  /** create or join was called: the prepared player is then theirs to release. */
  started: boolean;
  peer: SpacePeer | undefined;
}

export class JoinStorm {
  readonly progress: StormProgress = { phase: "prepare", prepared: 0, joined: 0, fullyVisible: 0, errors: 0, drops: 0 };
  private readonly participants: Participant[];
  private stormStart = 0;
  private leaving = false;

  constructor(private readonly settings: StormSettings) {
    const joinTargets = settings.joinTargets ?? [settings.target];
    this.participants = Array.from({ length: settings.clients }, (_, index) => ({
      // The creator (index 0) uses the target where the room is created.
      target: index === 0 ? settings.target : (joinTargets[index % joinTargets.length] ?? settings.target),
      outcome: newOutcome(index),
      prepared: undefined,
      started: false,
      peer: undefined,
    }));
  }

  async run(): Promise<StormResult> {
    const { target, joinTargets, clients, deadline } = this.settings;
    const result = emptyStormResult(target.name, [...new Set([target, ...(joinTargets ?? [])].map((t) => t.endpoint))].join(","), clients);
    result.outcomes = this.participants.map((p) => p.outcome);
    try {
      const prepareStart = performance.now();
      const prepared = await beforeDeadline(this.prepareAll(), deadline);
      if (!prepared.done) {
        result.timedOut = "preparing the players";
        return result;
      }
      result.prepareMs = performance.now() - prepareStart;

      this.progress.phase = "create";
      const [creator, ...joiners] = this.participants as [Participant, ...Participant[]];
      const createStart = performance.now();
      const created = await beforeDeadline(this.create(creator), deadline);
      if (!created.done) {
        result.timedOut = "creating the room";
        return result;
      }
      if (created.value === undefined) {
        result.aborted = `the room could not be created: ${creator.outcome.error?.code}: ${creator.outcome.error?.message}`;
        return result;
      }
      result.createMs = performance.now() - createStart;
      result.roomCode = created.value;
      await this.measured(result, () => this.stormAndSettle(result, joiners, created.value as string));
      return result;
    } catch (err) {
      result.aborted = (err as Error).message;
      return result;
    } finally {
      this.verify(result);
      this.progress.phase = "leave";
      const leaveStart = performance.now();
      const cpuBefore = this.settings.metrics?.length ? await readCpu(this.settings.metrics).catch(() => undefined) : undefined;
      result.leaveTimeouts = await this.leaveAll();
      result.leaveMs = performance.now() - leaveStart;
      const cpuAfter = cpuBefore && (await readCpu(this.settings.metrics ?? []).catch(() => undefined));
      if (cpuBefore && cpuAfter) result.leaveServerCpuMs = cpuBetween(cpuBefore, cpuAfter).cpuMs;
      this.progress.phase = "done";
    }
  }

  private async prepareAll(): Promise<void> {
    const byName = new Map(this.participants.map((p) => [p.outcome.name, p]));
    await forEveryName([...byName.keys()], "player preparations", async (name) => {
      const p = byName.get(name) as Participant;
      p.prepared = await p.target.prepare(name, this.settings.deadline);
      this.progress.prepared++;
    });
  }

  /** The room's key, or undefined when creating it failed (the creator's outcome says why). */
  private async create(creator: Participant): Promise<string | undefined> {
    creator.started = true;
    try {
      const { peer, roomKey } = await (creator.prepared as PreparedPlayer).create(this.settings.clients);
      this.admit(creator, peer);
      return roomKey;
    } catch (err) {
      creator.outcome.error = toErrorBody(err);
      this.progress.errors++;
      return undefined;
    }
  }

  /**
   * Runs the storm between two readings of the server's and this script's CPU and of the bytes
   * clients received, so those cover the storm (until settled, or until it timed out) and
   * neither the preparations nor the leaving.
   */
  private async measured(result: StormResult, storm: () => Promise<void>): Promise<void> {
    const cpuBefore = await this.readServerCpu(result);
    const bytesBefore = new Map(this.participants.map((p) => [p, p.peer?.bytesReceived() ?? 0]));
    const scriptCpu = process.cpuUsage();
    this.stormStart = performance.now();
    try {
      await storm();
    } finally {
      const windowMs = performance.now() - this.stormStart;
      const cpu = process.cpuUsage(scriptCpu);
      result.stormCpuPercent = windowMs > 0 ? ((cpu.user + cpu.system) / 1000 / windowMs) * 100 : null;
      for (const p of this.participants) {
        if (p.peer) p.outcome.bytesReceived = p.peer.bytesReceived() - (bytesBefore.get(p) ?? 0);
      }
      const cpuAfter = cpuBefore && (await this.readServerCpu(result));
      if (cpuBefore && cpuAfter) result.serverCpu = cpuBetween(cpuBefore, cpuAfter);
    }
  }

  private async stormAndSettle(result: StormResult, joiners: readonly Participant[], roomKey: string): Promise<void> {
    this.progress.phase = "storm";
    const joins = await beforeDeadline(Promise.all(joiners.map((p) => this.join(p, roomKey))), this.settings.deadline);
    if (!joins.done) {
      result.timedOut = "joining";
      return;
    }
    result.stormMs = performance.now() - this.stormStart;

    this.progress.phase = "settle";
    const settled = await this.settle();
    if (!settled) result.timedOut = "waiting for every client to see every player";
    result.settleMs = performance.now() - this.stormStart;
  }

  /** The server's CPU so far; undefined (and the reason in the result) when it cannot be read. */
  private async readServerCpu(result: StormResult): Promise<CpuReading | undefined> {
    const metrics = this.settings.metrics ?? [];
    if (metrics.length === 0) {
      result.serverCpuMissing = "no metrics endpoint (Tavern at --endpoint needs ADMIN_PASSWORD)";
      return undefined;
    }
    try {
      return await readCpu(metrics);
    } catch (err) {
      result.serverCpuMissing = `could not read the server's metrics: ${(err as Error).message}`;
      return undefined;
    }
  }

  private async join(p: Participant, roomKey: string): Promise<void> {
    p.started = true;
    const start = performance.now();
    try {
      const peer = await (p.prepared as PreparedPlayer).join(roomKey);
      const joinMs = performance.now() - start;
      if (this.admit(p, peer)) p.outcome.joinMs = joinMs;
    } catch (err) {
      p.outcome.error = toErrorBody(err);
      this.progress.errors++;
    }
  }

  /**
   * Starts watching a client's copy; its time-to-full-visibility counts from the storm start.
   * False when the peer arrived after the run ended (timed out): it is closed at once, not counted.
   */
  private admit(p: Participant, peer: SpacePeer): boolean {
    if (this.leaving) {
      void peer.close();
      return false;
    }
    p.peer = peer;
    p.outcome.joined = true;
    p.outcome.playerId = peer.id;
    this.progress.joined++;
    peer.onDrop(() => {
      p.outcome.drops++;
      this.progress.drops++;
    });
    const check = () => {
      if (this.leaving) return; // after the verdict: leaves shrink the room, late joins grow it
      const size = peer.playerCount();
      if (size > p.outcome.maxPlayersSeen) p.outcome.maxPlayersSeen = size;
      if (p.outcome.visibleMs === null && size === this.settings.clients && this.stormStart > 0) {
        p.outcome.visibleMs = performance.now() - this.stormStart;
        this.progress.fullyVisible++;
      }
    };
    peer.onUpdate(check);
    check(); // the copy already holds the players that arrived with the join
    return true;
  }

  /** Waits until every admitted client sees every admitted player; false when the deadline came first. */
  private async settle(): Promise<boolean> {
    const admitted = this.participants.flatMap((p) => (p.peer ? [p.peer] : []));
    while (!admitted.every((peer) => peer.playerCount() >= admitted.length)) {
      if (Date.now() > this.settings.deadline) return false;
      await sleep(20);
    }
    return true;
  }

  private verify(result: StormResult): void {
    const expected: ExpectedPlayer[] = this.participants.map((p) => ({ name: p.outcome.name, id: p.peer?.id }));
    for (const { outcome, peer } of this.participants) {
      outcome.visibilityProblems = peer
        ? visibilityProblems(peer.players(), expected, outcome.maxPlayersSeen)
        : [notJoined(outcome, result)];
    }
  }

  /** Closes every peer and releases unused preparations; returns how many closes were not confirmed. */
  private async leaveAll(): Promise<number> {
    this.leaving = true;
    const closed = await Promise.all(
      this.participants.map(async (p) => {
        if (p.peer) return p.peer.close();
        if (!p.started) await p.prepared?.discard();
        return true;
      }),
    );
    return closed.filter((ok) => !ok).length;
  }
}

/** A result with nothing measured yet; also what a run reports for a target whose server did not start. */
export function emptyStormResult(target: TargetName, endpoint: string, clients: number): StormResult {
  return {
    target,
    endpoint,
    clients,
    startedAt: new Date().toISOString(),
    roomCode: null,
    prepareMs: null,
    createMs: null,
    stormMs: null,
    settleMs: null,
    stormCpuPercent: null,
    serverCpu: null,
    serverCpuMissing: null,
    leaveMs: null,
    leaveServerCpuMs: null,
    leaveTimeouts: 0,
    timedOut: null,
    aborted: null,
    outcomes: [],
  };
}

function newOutcome(index: number): ClientOutcome {
  return {
    index,
    name: `storm-${String(index).padStart(3, "0")}`,
    playerId: null,
    role: index === 0 ? "creator" : "joiner",
    joined: false,
    joinMs: null,
    error: null,
    visibleMs: null,
    maxPlayersSeen: 0,
    bytesReceived: null,
    drops: 0,
    visibilityProblems: [],
  };
}

function notJoined(outcome: ClientOutcome, result: StormResult): string {
  if (outcome.error) return `did not join: ${outcome.error.code}`;
  return result.aborted ? "did not join: the storm stopped before it" : "did not join before the timeout";
}
