/**
 * The join storm: N guests sign in, the first creates a space room, the other N-1 join it by code
 * at the same instant. Records per-client join latency and time until that client sees all N
 * players, then checks that every client sees exactly the signed-in players with their names.
 */
import { Client, type Room } from "@colyseus/sdk";
import { toErrorBody, type ErrorBody } from "../shared/src/errors";
import type { GuestSession } from "../shared/src/protocol";
import { SpaceState } from "../shared/src/state";
import { beforeDeadline, leaveQuietly, roomCodeOf, signInGuests, sleep } from "./clientKit";

// report.ts reads the leave bound from here.
export { LEAVE_TIMEOUT_MS } from "./clientKit";

type SpaceRoom = Room<unknown, SpaceState>;

export interface StormSettings {
  /** Sign-in and room creation go here. */
  endpoint: string;
  /** Joiners take turns over these (processes of one cluster); default: `endpoint` alone. */
  joinEndpoints?: string[];
  clients: number;
  /** Epoch ms by which everything (sign-in, storm, settling) must be over. */
  deadline: number;
}

/** Live counters the progress line reads while the storm runs. */
export interface StormProgress {
  phase: "sign-in" | "create" | "storm" | "settle" | "leave" | "done";
  signedIn: number;
  joined: number;
  fullyVisible: number;
  errors: number;
  drops: number;
}

export interface ClientOutcome {
  index: number;
  name: string;
  playerId: string;
  role: "creator" | "joiner";
  /** In the room: the creator once create resolved, a joiner once join resolved. */
  joined: boolean;
  /** Joiners: join call start → promise resolved. The creator's create time is in createMs. */
  joinMs: number | null;
  error: ErrorBody | null;
  /** Storm start → first moment this client's state held N players. */
  visibleMs: number | null;
  /** Largest players.size this client ever saw (above N means someone appeared twice). */
  maxPlayersSeen: number;
  drops: number;
  /** Empty when the client ended up seeing all N players with the right names, none twice. */
  visibilityProblems: string[];
}

export interface StormResult {
  endpoint: string;
  clients: number;
  startedAt: string;
  roomCode: string | null;
  signInMs: number | null;
  createMs: number | null;
  /** Storm start → last join settled (resolved or refused). */
  stormMs: number | null;
  /** Storm start → every admitted client saw everyone admitted (or the deadline). */
  settleMs: number | null;
  /** CPU this script used from storm start to settled, in % of one core: near 100 means the load generator, not the server, may be the bottleneck. */
  stormCpuPercent: number | null;
  leaveMs: number | null;
  /** Rooms whose leave() did not resolve within LEAVE_TIMEOUT_MS. */
  leaveTimeouts: number;
  timedOut: string | null;
  outcomes: ClientOutcome[];
}


interface Participant {
  outcome: ClientOutcome;
  client: Client;
  room: SpaceRoom | undefined;
}

export class JoinStorm {
  readonly progress: StormProgress = { phase: "sign-in", signedIn: 0, joined: 0, fullyVisible: 0, errors: 0, drops: 0 };
  private readonly participants: Participant[] = [];
  private stormStart = 0;
  private leaving = false;

  constructor(private readonly settings: StormSettings) {}

  async run(): Promise<StormResult> {
    const { endpoint, clients, deadline } = this.settings;
    const result: StormResult = {
      endpoint: (this.settings.joinEndpoints ?? [endpoint]).join(","),
      clients,
      startedAt: new Date().toISOString(),
      roomCode: null,
      signInMs: null,
      createMs: null,
      stormMs: null,
      settleMs: null,
      stormCpuPercent: null,
      leaveMs: null,
      leaveTimeouts: 0,
      timedOut: null,
      outcomes: [],
    };
    try {
      const signInStart = performance.now();
      const sessions = await this.signInAll();
      result.signInMs = performance.now() - signInStart;
      const joinEndpoints = this.settings.joinEndpoints ?? [endpoint];
      for (const [index, session] of sessions.entries()) {
        // The creator (index 0) stays on the first endpoint, where the room is created.
        const client = new Client(index === 0 ? endpoint : (joinEndpoints[index % joinEndpoints.length] ?? endpoint));
        client.auth.token = session.token;
        this.participants.push({ client, room: undefined, outcome: newOutcome(index, session) });
      }
      result.outcomes = this.participants.map((p) => p.outcome);

      this.progress.phase = "create";
      const [creator, ...joiners] = this.participants as [Participant, ...Participant[]];
      const createStart = performance.now();
      const created = await beforeDeadline(this.create(creator), deadline);
      if (!created.done) {
        result.timedOut = "creating the room";
        return result;
      }
      result.createMs = performance.now() - createStart;
      result.roomCode = created.value;

      this.progress.phase = "storm";
      const cpuAtStart = process.cpuUsage();
      this.stormStart = performance.now();
      const joins = await beforeDeadline(Promise.all(joiners.map((p) => this.join(p, created.value))), deadline);
      if (!joins.done) {
        result.timedOut = "joining";
        return result;
      }
      result.stormMs = performance.now() - this.stormStart;

      this.progress.phase = "settle";
      const settled = await this.settle();
      if (!settled) result.timedOut = "waiting for every client to see every player";
      result.settleMs = performance.now() - this.stormStart;
      const cpu = process.cpuUsage(cpuAtStart);
      result.stormCpuPercent = ((cpu.user + cpu.system) / 1000 / result.settleMs) * 100;
      return result;
    } finally {
      this.verify();
      this.progress.phase = "leave";
      const leaveStart = performance.now();
      result.leaveTimeouts = await this.leaveAll();
      result.leaveMs = performance.now() - leaveStart;
      this.progress.phase = "done";
    }
  }

  private async signInAll(): Promise<GuestSession[]> {
    const { clients, endpoint, deadline } = this.settings;
    const names = Array.from({ length: clients }, (_, i) => `storm-${String(i).padStart(3, "0")}`);
    return signInGuests(endpoint, names, deadline, () => this.progress.signedIn++);
  }

  private async create(creator: Participant): Promise<string> {
    const room = (await creator.client.create("space", { config: { maxPlayers: this.settings.clients } }, SpaceState)) as SpaceRoom;
    this.admit(creator, room);
    return roomCodeOf(room);
  }

  private async join(p: Participant, code: string): Promise<void> {
    const start = performance.now();
    try {
      const room = (await p.client.join("space", { code }, SpaceState)) as SpaceRoom;
      const joinMs = performance.now() - start;
      if (this.admit(p, room)) p.outcome.joinMs = joinMs;
    } catch (err) {
      p.outcome.error = toErrorBody(err);
      this.progress.errors++;
    }
  }

  /**
   * Starts watching a client's state; its time-to-full-visibility counts from the storm start.
   * False when the room arrived after the run ended (timed out): it is left at once and not counted.
   */
  private admit(p: Participant, room: SpaceRoom): boolean {
    room.onMessage("*", () => {}); // announcements are not part of this test; keeps the SDK quiet
    if (this.leaving) {
      void leaveQuietly(room);
      return false;
    }
    p.room = room;
    p.outcome.joined = true;
    this.progress.joined++;
    room.onDrop(() => {
      p.outcome.drops++;
      this.progress.drops++;
    });
    const check = () => {
      if (this.leaving) return; // after the verdict: leaves shrink the room, late joins grow it
      const size = room.state?.players?.size ?? 0;
      if (size > p.outcome.maxPlayersSeen) p.outcome.maxPlayersSeen = size;
      if (p.outcome.visibleMs === null && size === this.settings.clients && this.stormStart > 0) {
        p.outcome.visibleMs = performance.now() - this.stormStart;
        this.progress.fullyVisible++;
      }
    };
    room.onStateChange(check);
    check(); // the first state may have been decoded before this listener existed
    return true;
  }

  /** Waits until every admitted client sees every admitted player; false when the deadline came first. */
  private async settle(): Promise<boolean> {
    const admitted = this.participants.filter((p) => p.room !== undefined);
    const everyoneSeen = () => admitted.every((p) => (p.room?.state?.players?.size ?? 0) >= admitted.length);
    while (!everyoneSeen()) {
      if (Date.now() > this.settings.deadline) return false;
      await sleep(20);
    }
    return true;
  }

  private verify(): void {
    const expected = new Map(this.participants.map((p) => [p.outcome.playerId, p.outcome.name]));
    for (const { outcome, room } of this.participants) {
      outcome.visibilityProblems = room ? visibilityProblems(room, expected, outcome.maxPlayersSeen) : [notJoined(outcome)];
    }
  }

  /** Leaves every room; returns how many leaves timed out. */
  private async leaveAll(): Promise<number> {
    this.leaving = true;
    const left = await Promise.all(this.participants.map((p) => (p.room ? leaveQuietly(p.room) : true)));
    return left.filter((ok) => !ok).length;
  }
}

function newOutcome(index: number, session: GuestSession): ClientOutcome {
  return {
    index,
    name: session.name,
    playerId: session.playerId,
    role: index === 0 ? "creator" : "joiner",
    joined: false,
    joinMs: null,
    error: null,
    visibleMs: null,
    maxPlayersSeen: 0,
    drops: 0,
    visibilityProblems: [],
  };
}

function notJoined(outcome: ClientOutcome): string {
  return outcome.error ? `did not join: ${outcome.error.code}` : "did not join before the timeout";
}

/** What is wrong with this client's view of the players, compared with who signed in. */
export function visibilityProblems(room: SpaceRoom, expected: ReadonlyMap<string, string>, maxSeen: number): string[] {
  if (room.state?.players === undefined) return ["joined but received no state"];
  const problems: string[] = [];
  const seen = new Map<string, string>();
  room.state.players.forEach((player, key) => {
    if (player.id !== key) problems.push(`player keyed ${key} has id ${player.id}`);
    if (seen.has(player.id)) problems.push(`${player.id} appears twice`);
    seen.set(player.id, player.name);
    const name = expected.get(player.id);
    if (name === undefined) problems.push(`unknown player ${player.id} (${player.name})`);
    else if (name !== player.name) problems.push(`${player.id} is named "${player.name}", expected "${name}"`);
  });
  const missing = [...expected.keys()].filter((id) => !seen.has(id));
  if (missing.length > 0) problems.push(`missing ${missing.length} of ${expected.size} players`);
  if (maxSeen > expected.size) problems.push(`saw ${maxSeen} players at once, more than the ${expected.size} in the room`);
  return problems;
}
