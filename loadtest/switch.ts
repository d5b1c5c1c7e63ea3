/**
 * Room switching: R observers each create a space room and stay in it; N hoppers start spread over
 * the rooms and each hops H times (leave its room, join another by code, at once). The script
 * knows where everyone ended up; it then checks every client's copy of its room, the server's own
 * account (admin API) and, after everyone left, that no seat or connection stayed behind.
 */
import { Client, type Room } from "@colyseus/sdk";
import { toErrorBody, type ErrorBody } from "@tavern/shared/errors";
import type { GuestSession } from "@tavern/shared/protocol";
import { SpaceState } from "@tavern/shared/state";
import { AdminApi, roomViewFromState, type AdminCredentials } from "./adminClient";
import { beforeDeadline, LEAVE_TIMEOUT_MS, leaveQuietly, roomCodeOf, signInGuests, sleep } from "./clientKit";
import { countBy } from "./stats";
import {
  compareListings,
  compareViews,
  leftBehind,
  seatsOf,
  SERVER_VIEWER,
  unbalancedSeats,
  type Discrepancy,
  type ExpectedRoom,
  type RoomView,
} from "./switchCheck";

type SpaceRoom = Room<unknown, SpaceState>;

export interface SwitchSettings {
  endpoint: string;
  /** Hoppers. */
  clients: number;
  rooms: number;
  hops: number;
  pauseMs: number;
  /** Epoch ms by which sign-in, room creation, the spread and every hop must be over. */
  deadline: number;
  /** Bound on each wait afterwards: clients settling, the server settling, the final check. */
  settleLimitMs: number;
  /** Undefined: the admin checks are skipped, for `skippedWhy`. */
  admin: AdminCredentials | undefined;
  skippedWhy?: string;
  /** Injectable for tests; Math.random otherwise. */
  random?: () => number;
}

export interface SwitchProgress {
  phase: "sign-in" | "create" | "spread" | "hops" | "settle" | "server-check" | "leave" | "final-check" | "done";
  signedIn: number;
  hopsDone: number;
  errors: number;
  drops: number;
  /** Discrepancies between the truth and the views at the last look while settling. */
  mismatches: number;
}

export type LeaveOutcome = "confirmed" | "not-confirmed" | "already-closed";

export interface HopRecord {
  /** Hopper index (observers are not hoppers). */
  client: number;
  /** 0 for the initial join of the spread, then 1..H. */
  hop: number;
  from: string | null;
  to: string;
  /** When this hop's leave (or join) was called: ms since the spread began for hop 0, since the hops began otherwise. */
  atMs: number;
  /** Leave call (or join call, with nothing to leave) → next join resolved; null when it failed. */
  latencyMs: number | null;
  error: ErrorBody | null;
  /** Null when there was nothing to leave. */
  leave: LeaveOutcome | null;
  /** Leave call → the SDK's leave() resolved (the server closed that connection). */
  leaveMs: number | null;
  leaveCloseCode: number | null;
}

export interface ParticipantRecord {
  index: number;
  name: string;
  playerId: string;
  role: "observer" | "hopper";
  /** The room the script left this client in at the end of the hops; null: none (its last join failed). */
  finalRoom: string | null;
  hopsDone: number;
  joinErrors: number;
  drops: number;
  /** Connections to a room it was meant to be in that closed without the script leaving. */
  unexpectedCloses: Array<{ code: string; closeCode: number }>;
}

export interface CheckOutcome {
  /** Why the check did not run (no admin password), or null. */
  skipped: string | null;
  /** The admin API could not be read. */
  error: string | null;
  /** Ms until the check came out clean (or its limit). */
  ms: number | null;
  discrepancies: Discrepancy[];
  /** The most discrepancies of each kind in one of the looks before the last: what settling cleared. */
  transient: Record<string, number>;
}

export interface SwitchResult {
  endpoint: string;
  clients: number;
  rooms: number;
  hops: number;
  pauseMs: number;
  startedAt: string;
  roomList: Array<{ code: string; roomId: string; observer: string }>;
  participants: ParticipantRecord[];
  hopRecords: HopRecord[];
  /** Where the script put everyone once the hops were over: the truth the checks use. */
  truth: ExpectedRoom[];
  phasesMs: {
    signIn: number | null;
    create: number | null;
    spread: number | null;
    hops: number | null;
    /** Hops over (and their leaves confirmed or given up) → every client's view equal to the truth. */
    settle: number | null;
    leave: number | null;
  };
  /** Every observer's and final client's view equalled the truth within the limit. */
  settled: boolean;
  /** (a) the clients' views after settling. */
  clientCheck: Discrepancy[];
  /** The most discrepancies of each kind in one look while the clients settled (see CheckOutcome). */
  clientTransient: Record<string, number>;
  /** (b) GET /admin/rooms and /admin/rooms/:code/state against the truth. */
  serverCheck: CheckOutcome;
  /** (c) GET /admin/rooms after everyone left. */
  finalCheck: CheckOutcome;
  /** Final leaves not confirmed within LEAVE_TIMEOUT_MS. */
  finalLeaveTimeouts: number;
  /** CPU this script used during the hops, in % of one core (near 100: the script may be the bottleneck). */
  hopsCpuPercent: number | null;
  timedOut: string | null;
}

interface Participant {
  record: ParticipantRecord;
  client: Client;
  /** The room the script has this client in (joined, not left), and its code. */
  room: SpaceRoom | undefined;
  code: string | null;
  /** Set when `room` closed although the script did not leave it. */
  closeCode: number | null;
}

const SETTLE_POLL_MS = 25;
const ADMIN_POLL_MS = 200;

export class RoomSwitch {
  readonly progress: SwitchProgress = { phase: "sign-in", signedIn: 0, hopsDone: 0, errors: 0, drops: 0, mismatches: 0 };
  private readonly participants: Participant[] = [];
  private readonly hopRecords: HopRecord[] = [];
  private readonly pendingLeaves: Promise<void>[] = [];
  private codes: string[] = [];
  private roomIds: string[] = [];
  private hopsStart = 0;
  /** Set once the final leaves begin: closes from then on are expected, late joins are left at once. */
  private leaving = false;
  private readonly random: () => number;

  constructor(private readonly settings: SwitchSettings) {
    this.random = settings.random ?? Math.random;
  }

  private get observers(): Participant[] {
    return this.participants.filter((p) => p.record.role === "observer");
  }

  private get hoppers(): Participant[] {
    return this.participants.filter((p) => p.record.role === "hopper");
  }

  async run(): Promise<SwitchResult> {
    const s = this.settings;
    const result: SwitchResult = {
      endpoint: s.endpoint,
      clients: s.clients,
      rooms: s.rooms,
      hops: s.hops,
      pauseMs: s.pauseMs,
      startedAt: new Date().toISOString(),
      roomList: [],
      participants: [],
      hopRecords: this.hopRecords,
      truth: [],
      phasesMs: { signIn: null, create: null, spread: null, hops: null, settle: null, leave: null },
      settled: false,
      clientCheck: [],
      clientTransient: {},
      serverCheck: this.skippedCheck(),
      finalCheck: this.skippedCheck(),
      finalLeaveTimeouts: 0,
      hopsCpuPercent: null,
      timedOut: null,
    };
    const api = s.admin ? new AdminApi(s.endpoint, s.admin) : undefined;
    try {
      let t = performance.now();
      const sessions = await this.signInAll();
      result.phasesMs.signIn = performance.now() - t;
      for (const [index, session] of sessions.entries()) this.participants.push(this.newParticipant(index, session));
      result.participants = this.participants.map((p) => p.record);

      this.progress.phase = "create";
      t = performance.now();
      const created = await beforeDeadline(Promise.all(this.observers.map((o) => this.create(o))), s.deadline);
      if (!created.done) {
        result.timedOut = "creating the rooms";
        return result;
      }
      result.phasesMs.create = performance.now() - t;
      this.codes = created.value.map((r) => r.code);
      this.roomIds = created.value.map((r) => r.roomId);
      result.roomList = created.value;

      this.progress.phase = "spread";
      t = performance.now();
      this.hopsStart = t;
      const spread = this.hoppers.map((h, i) => this.hop(h, 0, this.codes[i % this.codes.length] as string));
      if (!(await beforeDeadline(Promise.all(spread), s.deadline)).done) {
        result.timedOut = "spreading the hoppers over the rooms";
        return result;
      }
      result.phasesMs.spread = performance.now() - t;

      this.progress.phase = "hops";
      const cpuAtStart = process.cpuUsage();
      this.hopsStart = performance.now();
      const hopped = await beforeDeadline(Promise.all(this.hoppers.map((h) => this.hopRepeatedly(h))), s.deadline);
      if (!hopped.done) result.timedOut = "hopping";
      // Each leave is bounded by LEAVE_TIMEOUT_MS from its own call, so this wait is too.
      await Promise.all(this.pendingLeaves);
      result.phasesMs.hops = performance.now() - this.hopsStart;
      const cpu = process.cpuUsage(cpuAtStart);
      result.hopsCpuPercent = ((cpu.user + cpu.system) / 1000 / result.phasesMs.hops) * 100;

      this.progress.phase = "settle";
      t = performance.now();
      ({ found: result.clientCheck, transient: result.clientTransient } = await this.settleClients());
      result.settled = result.clientCheck.length === 0;
      result.phasesMs.settle = performance.now() - t;
      result.truth = this.truth();

      if (api) {
        this.progress.phase = "server-check";
        result.serverCheck = await this.untilClean(() => this.checkServer(api, result.truth));
      }
      return result;
    } finally {
      for (const p of this.participants) p.record.finalRoom = p.room ? p.code : null;
      if (result.truth.length === 0 && this.codes.length > 0) result.truth = this.truth();
      this.progress.phase = "leave";
      const t = performance.now();
      result.finalLeaveTimeouts = await this.leaveAll();
      result.phasesMs.leave = performance.now() - t;
      if (api && result.roomList.length > 0) {
        this.progress.phase = "final-check";
        const rooms = result.roomList;
        result.finalCheck = await this.untilClean(async () => {
          const found = leftBehind(rooms, await api.rooms());
          const trails = await Promise.all(rooms.map(async (room) => unbalancedSeats(room, await api.roomEvents(room.roomId))));
          return [...found, ...trails.flat()];
        });
      }
      this.progress.phase = "done";
    }
  }

  private skippedCheck(): CheckOutcome {
    return { skipped: this.settings.skippedWhy ?? "no admin credentials", error: null, ms: null, discrepancies: [], transient: {} };
  }

  private newParticipant(index: number, session: GuestSession): Participant {
    const client = new Client(this.settings.endpoint);
    client.auth.token = session.token;
    const role = index < this.settings.rooms ? "observer" : "hopper";
    const record: ParticipantRecord = {
      index: role === "observer" ? index : index - this.settings.rooms,
      name: session.name,
      playerId: session.playerId,
      role,
      finalRoom: null,
      hopsDone: 0,
      joinErrors: 0,
      drops: 0,
      unexpectedCloses: [],
    };
    return { record, client, room: undefined, code: null, closeCode: null };
  }

  private async signInAll(): Promise<GuestSession[]> {
    const { clients, rooms, endpoint, deadline } = this.settings;
    const names = [
      ...Array.from({ length: rooms }, (_, i) => `switch-observer-${String(i).padStart(2, "0")}`),
      ...Array.from({ length: clients }, (_, i) => `switch-${String(i).padStart(3, "0")}`),
    ];
    return signInGuests(endpoint, names, deadline, () => this.progress.signedIn++);
  }

  private async create(observer: Participant): Promise<{ code: string; roomId: string; observer: string }> {
    // Room for every hopper at once beside the observer: a ROOM_FULL would be a test artefact.
    const maxPlayers = Math.min(500, this.settings.clients + 1);
    const room = (await observer.client.create("space", { config: { maxPlayers } }, SpaceState)) as SpaceRoom;
    const code = await roomCodeOf(room);
    this.track(observer, room, code);
    return { code, roomId: room.roomId, observer: observer.record.playerId };
  }

  private async hopRepeatedly(p: Participant): Promise<void> {
    for (let hop = 1; hop <= this.settings.hops; hop++) {
      await sleep(Math.floor(this.random() * (this.settings.pauseMs + 1)));
      if (Date.now() > this.settings.deadline) return;
      await this.hop(p, hop, this.pickRoom(p.code));
    }
  }

  /** Any room but the current one. */
  private pickRoom(current: string | null): string {
    const choices = this.codes.filter((c) => c !== current);
    return choices[Math.floor(this.random() * choices.length)] ?? (this.codes[0] as string);
  }

  private async hop(p: Participant, hop: number, to: string): Promise<void> {
    const start = performance.now();
    const record: HopRecord = {
      client: p.record.index,
      hop,
      from: p.code,
      to,
      atMs: start - this.hopsStart,
      latencyMs: null,
      error: null,
      leave: null,
      leaveMs: null,
      leaveCloseCode: null,
    };
    this.hopRecords.push(record);
    const old = p.room;
    p.room = undefined;
    p.code = null;
    if (old) {
      // Deliberately NOT awaited: the join below starts while this consented leave is still on its
      // way, so the server may handle the new join before (or while) it handles the leave of the
      // same player. That overlap is the race that leaves ghost seats behind in servers that key
      // seats or presence naively; awaiting the leave first would hide it.
      this.pendingLeaves.push(this.recordLeave(old, start, record));
    }
    try {
      const room = (await p.client.join("space", { code: to }, SpaceState)) as SpaceRoom;
      if (this.track(p, room, to)) {
        record.latencyMs = performance.now() - start;
        if (hop > 0) {
          p.record.hopsDone++;
          this.progress.hopsDone++;
        }
      }
    } catch (err) {
      record.error = toErrorBody(err);
      p.record.joinErrors++;
      this.progress.errors++;
    }
  }

  /** Calls leave() now (synchronously, before the caller's join starts) and records how it ends. */
  private recordLeave(room: SpaceRoom, start: number, record: HopRecord): Promise<void> {
    if (!room.connection.isOpen) {
      record.leave = "already-closed"; // leave() would wait for a close that already happened
      return Promise.resolve();
    }
    const leaving = room.leave(true);
    // `start` is performance.now() time; the deadline is epoch ms.
    return beforeDeadline(leaving, Date.now() + LEAVE_TIMEOUT_MS).then(
      (left) => {
        record.leave = left.done ? "confirmed" : "not-confirmed";
        if (left.done) {
          record.leaveMs = performance.now() - start;
          record.leaveCloseCode = left.value;
        }
      },
      () => {
        record.leave = "not-confirmed";
      },
    );
  }

  /**
   * Makes `room` the client's current room and watches it. False when it arrived after the final
   * leaves began: it is left at once and not counted.
   */
  private track(p: Participant, room: SpaceRoom, code: string): boolean {
    room.onMessage("*", () => {}); // announcements are not part of this test; keeps the SDK quiet
    if (this.leaving) {
      void leaveQuietly(room);
      return false;
    }
    p.room = room;
    p.code = code;
    p.closeCode = null;
    room.onDrop(() => {
      p.record.drops++;
      this.progress.drops++;
    });
    room.onLeave((closeCode) => {
      if (p.room !== room || this.leaving) return; // a hop or the final leave: expected
      p.closeCode = closeCode;
      p.record.unexpectedCloses.push({ code, closeCode });
    });
    return true;
  }

  /** Where the script has everyone now. */
  private truth(): ExpectedRoom[] {
    return this.codes.map((code, i) => ({
      code,
      roomId: this.roomIds[i] ?? "",
      playerIds: this.participants.filter((p) => p.room !== undefined && p.code === code).map((p) => p.record.playerId),
    }));
  }

  private clientViews(): RoomView[] {
    const views: RoomView[] = [];
    for (const p of this.participants) {
      if (p.room && p.code) views.push(clientView(p.record.playerId, p.code, p.room, p.closeCode));
    }
    return views;
  }

  /** Polls until every client's view equals the truth or the settle limit; returns what is left. */
  private async settleClients(): Promise<{ found: Discrepancy[]; transient: Record<string, number> }> {
    const until = Date.now() + this.settings.settleLimitMs;
    const transient: Record<string, number> = {};
    for (;;) {
      const found = compareViews(this.truth(), this.clientViews(), (room) => room.playerIds);
      this.progress.mismatches = found.length;
      if (found.length === 0 || Date.now() >= until) return { found, transient };
      keepMostByKind(transient, found);
      await sleep(SETTLE_POLL_MS);
    }
  }

  /** The admin listing and each room's admin state against the truth. */
  private async checkServer(api: AdminApi, truth: readonly ExpectedRoom[]): Promise<Discrepancy[]> {
    const found = compareListings(truth, await api.rooms());
    const views: RoomView[] = [];
    await Promise.all(
      truth.map(async (room) => {
        const snapshot = await api.roomState(room.code);
        if (snapshot === undefined) return; // compareViews reports the missing view
        if (snapshot.roomId !== room.roomId) {
          found.push({
            kind: "not-listed",
            code: room.code,
            viewer: SERVER_VIEWER,
            playerId: "",
            detail: `the code leads to room ${snapshot.roomId}, not ${room.roomId}`,
          });
          return;
        }
        views.push(roomViewFromState(room.code, SERVER_VIEWER, snapshot.state));
      }),
    );
    found.push(...compareViews(truth, views, () => [SERVER_VIEWER]));
    return found;
  }

  /**
   * Repeats a check until it finds nothing or the settle limit passed: the admin listing is
   * refreshed every 100 ms and leaves finish in the background, so one look could be early.
   */
  private async untilClean(check: () => Promise<Discrepancy[]>): Promise<CheckOutcome> {
    const start = performance.now();
    const until = Date.now() + this.settings.settleLimitMs;
    const transient: Record<string, number> = {};
    for (;;) {
      let found: Discrepancy[];
      try {
        found = await check();
      } catch (err) {
        return { skipped: null, error: (err as Error).message, ms: null, discrepancies: [], transient };
      }
      if (found.length === 0 || Date.now() >= until) {
        return { skipped: null, error: null, ms: performance.now() - start, discrepancies: found, transient };
      }
      keepMostByKind(transient, found);
      await sleep(ADMIN_POLL_MS);
    }
  }

  /** Leaves every room the script still has a client in; returns how many leaves timed out. */
  private async leaveAll(): Promise<number> {
    this.leaving = true;
    const left = await Promise.all(this.participants.map((p) => (p.room ? leaveQuietly(p.room) : true)));
    return left.filter((ok) => !ok).length;
  }
}

/** Raises each kind's count in `most` to its count in `found`, if higher. */
function keepMostByKind(most: Record<string, number>, found: readonly Discrepancy[]): void {
  for (const [kind, n] of Object.entries(countBy(found.map((d) => d.kind)))) most[kind] = Math.max(most[kind] ?? 0, n);
}

/** A client's decoded copy of its room, as plain data for the checks. */
function clientView(viewer: string, code: string, room: SpaceRoom, closeCode: number | null): RoomView {
  if (closeCode !== null) return { viewer, code, players: null, closeCode };
  const state = room.state;
  if (state?.players === undefined) return { viewer, code, players: null, closeCode: null };
  return { viewer, code, ...seatsOf(state.players.entries()), closeCode: null };
}
