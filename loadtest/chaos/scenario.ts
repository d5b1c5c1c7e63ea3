/**
 * The chaos run's clients: through the proxy they sign in, create R rooms, storm into them, move,
 * chat and (a fifth of them) switch rooms while the proxy injects faults; the SDK reconnects the
 * dropped. After proxy.heal() every client must become consistent (check.ts) within the limit;
 * what is still wrong then is a violation, counted by kind.
 */
import { Client, CloseCode, type Room } from "@colyseus/sdk";
import { toErrorBody } from "@tavern/shared/errors";
import type { GuestSession } from "@tavern/shared/protocol";
import { SpaceState } from "@tavern/shared/state";
import { hashState } from "@tavern/shared/stateHash";
import { beforeDeadline, leaveQuietly, mapLimit, roomCodeOf, signIn, sleep } from "../clientKit";
import { countBy } from "../stats";
import { seatsOf, type ExpectedRoom, type RoomView, type SeenSeat } from "../switchCheck";
import { clientProblems, type AckedLine, type ConsistencyProblem, type HeldSeat } from "./check";
import type { ChaosProxy } from "./proxy";
import { deriveSeed, mulberry32 } from "./schedule";

type SpaceRoom = Room<unknown, SpaceState>;

export interface ChaosSettings {
  /** The proxy's address: every client request goes there. */
  endpoint: string;
  proxy: ChaosProxy;
  clients: number;
  rooms: number;
  faultSeconds: number;
  seed: number;
  /** The server's reconnection grace (s): a seat is kept that long after a drop. */
  graceSeconds: number;
  consistencyLimitMs: number;
  /** Epoch ms by which sign-in and room creation must be over. */
  deadline: number;
}

export type ClientStatus = "idle" | "joining" | "in-room" | "reconnecting" | "lost" | "leaving";

export interface ChaosProgress {
  phase: "sign-in" | "create" | "faults" | "healed" | "done";
  signedIn: number;
  inRoom: number;
  reconnecting: number;
  lost: number;
  drops: number;
  reconnects: number;
  switches: number;
  chatsAcked: number;
  consistent: number;
}

/** One violation: an invariant that did not hold once the network had healed. */
export interface Violation {
  kind: string;
  playerId: string;
  code: string;
  detail?: string;
}

export interface ChaosResult {
  startedAt: string;
  clients: number;
  rooms: number;
  seed: number;
  roomCodes: string[];
  phasesMs: { signIn: number | null; create: number | null; faults: number | null; consistency: number | null };
  /** Heal → each client consistent, ms; only clients that got there. */
  timeToConsistencyMs: number[];
  /** Clients never consistent within the limit. */
  inconsistent: number;
  violations: Violation[];
  counts: {
    drops: number;
    reconnects: number;
    manualReconnects: number;
    /** Reconnections refused (Colyseus never saw the join acknowledged) that came back by a join by code within the grace. */
    rejoinsWithinGrace: number;
    /** Of those, how many could not be checked for the same seat: the client had never seen its seat before the drop. */
    rejoinsUnverified: number;
    rejoinsAfterGrace: number;
    joinAttempts: number;
    joinFailures: number;
    joinErrors: Record<string, number>;
    switches: number;
    leavesNotConfirmed: number;
    chatsSent: number;
    chatsAcked: number;
    signInRetries: number;
    /** Seats still held (disconnected, within the grace) when the clients were checked: allowed. */
    heldSeatsSeen: number;
  };
  timedOut: string | null;
}

interface Player {
  index: number;
  session: GuestSession;
  client: Client;
  status: ClientStatus;
  room: SpaceRoom | undefined;
  code: string | null;
  switcher: boolean;
  /** Epoch ms of the last drop of the current room; null when it did not drop. */
  droppedAt: number | null;
  /** The reconnection token of the room that was lost (the SDK gave up, or the server refused). */
  lostToken: string | null;
  lostCode: number | null;
  consistentAtMs: number | null;
  lastProblems: ConsistencyProblem[];
  /** The player's own seat as it last saw it in its current room (joinedAt tells one seat from a new one). */
  seat: { code: string; joinedAt: number } | null;
  /** What happened to its connections, "<ms since the run began> <event>", for the violations' details. */
  events: string[];
}

/** Chat requests per room: the state keeps 30 lines, system lines (host changes) take some, so all acknowledged ones fit. */
const CHATS_PER_ROOM = 10;
const MOVE_EVERY_MS = 300;
const SWITCH_SHARE = 0.2;
const SWITCH_EVERY_MS = [3000, 7000] as const;
const REQUEST_TIMEOUT_MS = 15_000;
/** A switch's leave: past this it counts as not confirmed (the server may then hold the seat). */
const LEAVE_TIMEOUT_MS = 8000;
const SIGN_IN_ATTEMPTS = 5;
const SIGN_IN_CONCURRENCY = 32;
const CHECK_POLL_MS = 100;
const EVENTS_KEPT = 12;
/** A seat the server may hold is allowed for the grace plus this (its clock and ours, and the drop's detection). */
const HELD_SLACK_MS = 5000;

export class ChaosRun {
  readonly progress: ChaosProgress = {
    phase: "sign-in",
    signedIn: 0,
    inRoom: 0,
    reconnecting: 0,
    lost: 0,
    drops: 0,
    reconnects: 0,
    switches: 0,
    chatsAcked: 0,
    consistent: 0,
  };
  private readonly players: Player[] = [];
  private readonly held: HeldSeat[] = [];
  private readonly acked: AckedLine[] = [];
  private readonly violations: Violation[] = [];
  private readonly chatsSent = new Map<string, number>();
  private codes: string[] = [];
  private roomIds = new Map<string, string>();
  /** Joins in flight (the storm's, the switches'), awaited once the network healed. */
  private readonly joins: Promise<void>[] = [];
  private stopping = false;
  private readonly random: () => number;
  private readonly startedAt = performance.now();
  private readonly counts: ChaosResult["counts"] = {
    drops: 0,
    reconnects: 0,
    manualReconnects: 0,
    rejoinsWithinGrace: 0,
    rejoinsUnverified: 0,
    rejoinsAfterGrace: 0,
    joinAttempts: 0,
    joinFailures: 0,
    joinErrors: {},
    switches: 0,
    leavesNotConfirmed: 0,
    chatsSent: 0,
    chatsAcked: 0,
    signInRetries: 0,
    heldSeatsSeen: 0,
  };

  constructor(private readonly settings: ChaosSettings) {
    // The script's own choices (moves, switch times, chatters) from the same seed as the proxy's faults.
    this.random = mulberry32(deriveSeed(settings.seed, 0x7fffffff, 99));
  }

  async run(): Promise<ChaosResult> {
    const s = this.settings;
    const result: ChaosResult = {
      startedAt: new Date().toISOString(),
      clients: s.clients,
      rooms: s.rooms,
      seed: s.seed,
      roomCodes: [],
      phasesMs: { signIn: null, create: null, faults: null, consistency: null },
      timeToConsistencyMs: [],
      inconsistent: 0,
      violations: this.violations,
      counts: this.counts,
      timedOut: null,
    };
    try {
      const faultsEnd = Date.now() + s.faultSeconds * 1000;
      let t = performance.now();
      const sessions = await this.signInAll();
      result.phasesMs.signIn = performance.now() - t;
      sessions.forEach((session, index) => this.players.push(this.newPlayer(index, session)));

      this.progress.phase = "create";
      t = performance.now();
      const created = await beforeDeadline(Promise.all(this.players.slice(0, s.rooms).map((p) => this.create(p))), s.deadline);
      if (!created.done) {
        result.timedOut = "creating the rooms";
        return result;
      }
      result.phasesMs.create = performance.now() - t;
      result.roomCodes = this.codes = created.value;

      // The storm and the rest of the fault period: at least a few seconds even if sign-in took long.
      this.progress.phase = "faults";
      t = performance.now();
      const activeUntil = Math.max(faultsEnd, Date.now() + 3000);
      for (const p of this.players.slice(s.rooms)) this.joins.push(this.joinUntilIn(p, this.codes[p.index % this.codes.length] as string));
      const activity = this.players.map((p) => this.act(p, activeUntil));
      await sleep(Math.max(0, activeUntil - Date.now()));
      await Promise.all(activity);
      result.phasesMs.faults = performance.now() - t;

      this.progress.phase = "healed";
      s.proxy.heal();
      const healedAt = performance.now();
      const limit = Date.now() + s.consistencyLimitMs;
      // Joins still retrying, leaves still waiting: they carry on over the healed network.
      await beforeDeadline(Promise.all(this.joins), limit);
      for (const p of this.players) this.stopMoving(p);
      await Promise.all(this.players.map((p) => this.untilConsistent(p, healedAt, limit)));
      result.phasesMs.consistency = performance.now() - healedAt;
      for (const p of this.players) {
        if (p.consistentAtMs !== null) result.timeToConsistencyMs.push(p.consistentAtMs);
        else {
          result.inconsistent++;
          if (p.lastProblems.length === 0) this.violations.push({ kind: "not-in-room", playerId: p.session.playerId, code: p.code ?? "" });
          for (const problem of p.lastProblems) {
            this.violations.push({
              kind: problem.kind,
              playerId: problem.playerId || p.session.playerId,
              code: problem.code,
              detail: problem.detail,
            });
          }
        }
      }
      return result;
    } finally {
      this.progress.phase = "done";
      this.stopping = true;
      await mapLimit(this.players, 64, async (p) => (p.room ? leaveQuietly(p.room) : true));
    }
  }

  private newPlayer(index: number, session: GuestSession): Player {
    const client = new Client(this.settings.endpoint);
    client.auth.token = session.token;
    return {
      index,
      session,
      client,
      status: "idle",
      room: undefined,
      code: null,
      switcher: index >= this.settings.rooms && this.random() < SWITCH_SHARE,
      droppedAt: null,
      lostToken: null,
      lostCode: null,
      consistentAtMs: null,
      lastProblems: [],
      seat: null,
      events: [],
    };
  }

  /** Sign-ins go through the faults too: a reset one is tried again (a new guest; nothing was seated yet). */
  private signInAll(): Promise<GuestSession[]> {
    const names = Array.from({ length: this.settings.clients }, (_, i) => `chaos-${String(i).padStart(3, "0")}`);
    return mapLimit(names, SIGN_IN_CONCURRENCY, async (name) => {
      for (let attempt = 1; ; attempt++) {
        try {
          const session = await signIn(this.settings.endpoint, name, Math.min(this.settings.deadline, Date.now() + REQUEST_TIMEOUT_MS));
          this.progress.signedIn++;
          return session;
        } catch (err) {
          if (attempt >= SIGN_IN_ATTEMPTS || Date.now() > this.settings.deadline) throw err;
          this.counts.signInRetries++;
          await sleep(200 * attempt);
        }
      }
    });
  }

  private async create(p: Player): Promise<string> {
    const maxPlayers = Math.min(500, this.settings.clients);
    for (;;) {
      this.counts.joinAttempts++;
      try {
        const room = (await p.client.create("space", { config: { maxPlayers } }, SpaceState)) as SpaceRoom;
        const code = await roomCodeOf(room);
        this.roomIds.set(code, room.roomId);
        this.track(p, room, code);
        return code;
      } catch (err) {
        this.joinFailed(err);
        if (Date.now() > this.settings.deadline) throw err;
        await sleep(300);
      }
    }
  }

  private joinFailed(err: unknown): void {
    this.counts.joinFailures++;
    const body = toErrorBody(err);
    // Not a refusal from the server (a reset socket, a failed fetch): the message tells which.
    const code = body.code === "INTERNAL_ERROR" ? `${body.code} (${body.message.slice(0, 60)})` : body.code;
    this.counts.joinErrors[code] = (this.counts.joinErrors[code] ?? 0) + 1;
  }

  /**
   * Joins `code` until in, or the consistency limit passes. A failed join may still have seated the
   * player (the reply was what got lost), so the server may hold that seat for the grace.
   */
  private async joinUntilIn(p: Player, code: string): Promise<void> {
    p.status = "joining";
    const limit = Date.now() + this.settings.faultSeconds * 1000 + this.settings.consistencyLimitMs;
    while (!this.stopping && Date.now() < limit) {
      this.counts.joinAttempts++;
      try {
        const room = (await p.client.join("space", { code }, SpaceState)) as SpaceRoom;
        this.dropHeld(p, code); // the join seats it afresh (or takes its held seat back)
        this.track(p, room, code);
        return;
      } catch (err) {
        this.joinFailed(err);
        this.hold(p, code);
        await sleep(300 + this.random() * 700);
      }
    }
    p.status = "idle";
  }

  private hold(p: Player, code: string): void {
    const untilMs = Date.now() + this.settings.graceSeconds * 1000 + HELD_SLACK_MS;
    this.dropHeld(p, code);
    this.held.push({ code, playerId: p.session.playerId, untilMs });
  }

  private dropHeld(p: Player, code: string): void {
    const i = this.held.findIndex((h) => h.code === code && h.playerId === p.session.playerId);
    if (i >= 0) this.held.splice(i, 1);
  }

  private note(p: Player, event: string): void {
    p.events.push(`${Math.round(performance.now() - this.startedAt)} ${event}`);
    if (p.events.length > EVENTS_KEPT) p.events.shift();
  }

  /** Makes `room` the player's room and follows its drops, reconnections and losses. */
  private track(p: Player, room: SpaceRoom, code: string): void {
    room.onMessage("*", () => {});
    // The SDK does not retry a drop within 5 s of joining (minUptime): under this many resets that
    // is most drops of the storm, and a join that could have kept its seat would count as lost.
    room.reconnection.minUptime = 0;
    if (this.stopping) {
      void leaveQuietly(room);
      return;
    }
    this.checkThroughProxy(p, room, code);
    p.room = room;
    p.code = code;
    p.status = "in-room";
    p.droppedAt = null;
    this.progress.inRoom++;
    this.note(p, `in ${code} as ${room.sessionId}`);
    room.onStateChange(() => {
      const joinedAt = room.state?.players?.get(p.session.playerId)?.joinedAt;
      if (joinedAt !== undefined && p.room === room && p.seat?.code !== code) p.seat = { code, joinedAt };
    });
    room.onDrop((closeCode) => {
      if (p.room !== room || p.status === "leaving") return;
      this.note(p, `drop ${closeCode}`);
      p.status = "reconnecting";
      p.droppedAt = Date.now();
      this.counts.drops++;
      this.progress.drops++;
      this.progress.reconnecting++;
      this.progress.inRoom--;
    });
    room.onReconnect(() => {
      if (p.room !== room) return;
      this.note(p, "reconnected");
      p.status = "in-room";
      this.counts.reconnects++;
      this.progress.reconnects++;
      this.progress.reconnecting--;
      this.progress.inRoom++;
      this.checkSeatOnNextState(p, room, code, "reconnection");
    });
    room.onLeave((closeCode, reason) => {
      if (p.room !== room || p.status === "leaving" || this.stopping) return;
      this.note(p, `lost ${closeCode}${reason ? ` ${reason}` : ""}`);
      if (p.status === "reconnecting") this.progress.reconnecting--;
      else this.progress.inRoom--;
      p.status = "lost";
      p.lostToken = room.reconnectionToken;
      p.lostCode = closeCode;
      p.droppedAt ??= Date.now();
      this.progress.lost++;
    });
  }

  /**
   * The seat reservation names the address the SDK connects its WebSocket to: a server with a
   * PUBLIC_ADDRESS would send it around the proxy, and the run would test a healthy network.
   */
  private checkThroughProxy(p: Player, room: SpaceRoom, code: string): void {
    const url = (room.connection.transport as { ws?: WebSocket }).ws?.url;
    if (url === undefined || new URL(url).host !== new URL(this.settings.endpoint).host) {
      this.violations.push({ kind: "bypassed-proxy", playerId: p.session.playerId, code, detail: `WebSocket at ${url ?? "unknown"}` });
    }
  }

  /** After a reconnection the state comes again in full: the player must hold exactly one seat, its own, connected. */
  private checkSeatOnNextState(p: Player, room: SpaceRoom, code: string, how: string): void {
    const check = () => {
      room.onStateChange.remove(check);
      const id = p.session.playerId;
      const seats: SeenSeat[] = [];
      room.state?.players?.forEach((player, key) => {
        if (key === id) seats.push({ key, connected: player.connected });
      });
      if (seats.length !== 1 || seats[0]?.key !== id) {
        this.violations.push({
          kind: "seat-not-returned",
          playerId: id,
          code,
          detail: `after ${how}: ${seats.length} seats of this player`,
        });
      }
    };
    room.onStateChange(check);
  }

  /** While the faults last: move, chat now and then, and (switchers) change rooms. */
  private async act(p: Player, until: number): Promise<void> {
    let nextSwitch = Date.now() + this.switchPause();
    let chatAt = Date.now() + this.random() * (until - Date.now());
    while (Date.now() < until && !this.stopping) {
      if (p.status === "in-room" && p.room) {
        const angle = this.random() * 2 * Math.PI;
        p.room.send("move", { dx: Math.cos(angle), dy: Math.sin(angle) });
        if (Date.now() >= chatAt) {
          chatAt = Infinity;
          void this.chat(p);
        }
        if (p.switcher && Date.now() >= nextSwitch) {
          await this.switchRoom(p);
          nextSwitch = Date.now() + this.switchPause();
        }
      }
      await sleep(MOVE_EVERY_MS);
    }
  }

  private switchPause(): number {
    return SWITCH_EVERY_MS[0] + this.random() * (SWITCH_EVERY_MS[1] - SWITCH_EVERY_MS[0]);
  }

  /** One acknowledged request per chatter, at most CHATS_PER_ROOM per room. */
  private async chat(p: Player): Promise<void> {
    const { room, code } = p;
    if (!room || !code) return;
    const sent = this.chatsSent.get(code) ?? 0;
    if (sent >= CHATS_PER_ROOM) return;
    this.chatsSent.set(code, sent + 1);
    this.counts.chatsSent++;
    const text = `chaos ${p.index} in ${code}`;
    try {
      const reply = await beforeDeadline(room.request("chat", { text }), Date.now() + REQUEST_TIMEOUT_MS);
      if (!reply.done) return;
      this.acked.push({ code, playerId: p.session.playerId, text });
      this.counts.chatsAcked++;
      this.progress.chatsAcked++;
    } catch {
      // refused or lost: not acknowledged, so not checked
    }
  }

  /**
   * A consented leave, then a join of another room. Reconnection is off for the room being left:
   * a drop during the leave must not bring the player back into it. A leave never confirmed may
   * not have reached the server, which then holds the seat for the grace.
   */
  private async switchRoom(p: Player): Promise<void> {
    const { room, code } = p;
    if (!room || !code || !room.connection.isOpen) return;
    const choices = this.codes.filter((c) => c !== code);
    const to = choices[Math.floor(this.random() * choices.length)];
    if (to === undefined) return;
    p.status = "leaving";
    this.progress.inRoom--;
    room.reconnection.enabled = false;
    this.counts.switches++;
    this.progress.switches++;
    // leave() resolves with the close code: CONSENTED only when the server closed it for the leave.
    const left = await beforeDeadline(room.leave(true), Date.now() + LEAVE_TIMEOUT_MS);
    if (!(left.done && left.value === CloseCode.CONSENTED)) {
      this.counts.leavesNotConfirmed++;
      this.hold(p, code);
    }
    p.room = undefined;
    p.code = null;
    p.seat = null;
    // Not awaited: the join may outlast the faults, and the network heals on time regardless.
    this.joins.push(this.joinUntilIn(p, to));
  }

  private stopMoving(p: Player): void {
    if (p.status === "in-room" && p.room?.connection.isOpen) p.room.send("move", { dx: 0, dy: 0 });
  }

  /** Where the script has everyone in `code` (in it, or reconnecting to it). */
  private truthOf(code: string): ExpectedRoom {
    const members = this.players.filter(
      (p) => p.code === code && (p.status === "in-room" || p.status === "reconnecting" || p.status === "lost"),
    );
    return { code, roomId: this.roomIds.get(code) ?? "", playerIds: members.map((p) => p.session.playerId) };
  }

  /**
   * Heal → this client consistent: in its room, its view right, its chat complete, its state hash
   * the server's. A client the SDK lost comes back with client.reconnect() if within the grace.
   */
  private async untilConsistent(p: Player, healedAt: number, limit: number): Promise<void> {
    while (Date.now() < limit) {
      if (p.status === "lost") await this.recover(p);
      const problems = this.problemsOf(p);
      if (problems !== undefined && problems.length === 0) {
        const hash = await this.hashProblem(p);
        if (hash === null) {
          p.consistentAtMs = performance.now() - healedAt;
          p.lastProblems = [];
          this.progress.consistent++;
          return;
        }
        p.lastProblems = hash === undefined ? [] : [hash];
      } else {
        p.lastProblems = problems ?? [];
      }
      await sleep(CHECK_POLL_MS);
    }
  }

  /** Undefined while the client is not in a room (joining, reconnecting); otherwise what is wrong. */
  private problemsOf(p: Player): ConsistencyProblem[] | undefined {
    const { room, code } = p;
    if (!room || !code || p.status !== "in-room") return undefined;
    const now = Date.now();
    const view = clientView(p.session.playerId, code, room);
    this.counts.heldSeatsSeen = Math.max(this.counts.heldSeatsSeen, this.held.filter((h) => h.code === code && h.untilMs > now).length);
    const chat: { playerId: string; text: string }[] = [];
    room.state?.chat?.forEach((line) => chat.push({ playerId: line.playerId, text: line.text }));
    return clientProblems(this.truthOf(code), view, this.held, this.acked, chat, now);
  }

  /** Null: the hash matches; a problem: it does not; undefined: no answer (asked again). */
  private async hashProblem(p: Player): Promise<ConsistencyProblem | null | undefined> {
    const room = p.room;
    if (!room || !p.code) return undefined;
    try {
      const reply = await beforeDeadline(room.request("stateHash") as Promise<{ hash: string; version: number }>, Date.now() + 5000);
      if (!reply.done || room !== p.room) return undefined;
      const mine = hashState(room.state);
      if (mine === reply.value.hash) return null;
      return {
        kind: "hash-mismatch",
        code: p.code,
        viewer: p.session.playerId,
        playerId: p.session.playerId,
        detail: `version ${reply.value.version}`,
      };
    } catch {
      return undefined;
    }
  }

  /** A lost client: its seat back with its token if the grace has not run out, else a fresh join. */
  private async recover(p: Player): Promise<void> {
    const code = p.code;
    if (!code) return;
    const withinGrace = p.droppedAt !== null && Date.now() - p.droppedAt < this.settings.graceSeconds * 1000;
    if (withinGrace && p.lostToken) {
      const token = p.lostToken;
      p.lostToken = null;
      this.progress.lost--;
      try {
        const room = (await p.client.reconnect(token, SpaceState)) as SpaceRoom;
        this.counts.manualReconnects++;
        this.track(p, room, code);
        this.checkSeatOnNextState(p, room, code, "client.reconnect()");
      } catch (err) {
        // Colyseus refuses the token of a connection whose join (or reconnection) the client never
        // acknowledged; the server holds that seat for a join by code instead, as Tavern's client makes.
        await this.rejoinHeldSeat(p, code, `reconnect refused (${toErrorBody(err).code} ${toErrorBody(err).message})`);
      }
      return;
    }
    this.progress.lost--;
    this.counts.rejoinsAfterGrace++;
    p.room = undefined;
    p.seat = null;
    await this.joinUntilIn(p, code);
  }

  /** Joins `code` again within the grace: the seat that comes back must be the one held, not a new one. */
  private async rejoinHeldSeat(p: Player, code: string, why: string): Promise<void> {
    this.counts.rejoinsWithinGrace++;
    const before = p.seat?.code === code ? p.seat.joinedAt : undefined;
    const droppedAt = p.droppedAt ?? Date.now();
    p.status = "idle";
    p.room = undefined;
    p.seat = null;
    await this.joinUntilIn(p, code);
    const room = p.room as SpaceRoom | undefined;
    if (!room) return; // never back in: the consistency check reports it
    const joinedWithinGrace = Date.now() - droppedAt < this.settings.graceSeconds * 1000 - HELD_SLACK_MS;
    if (before === undefined) {
      this.counts.rejoinsUnverified++;
      return;
    }
    const check = () => {
      const joinedAt = room.state?.players?.get(p.session.playerId)?.joinedAt;
      if (joinedAt === undefined) return;
      room.onStateChange.remove(check);
      if (joinedAt !== before && joinedWithinGrace) {
        this.violations.push({
          kind: "seat-not-returned",
          playerId: p.session.playerId,
          code,
          detail: `${why}; rejoined by code ${Math.round((Date.now() - droppedAt) / 1000)} s after the drop into a new seat; events: ${p.events.join(", ")}`,
        });
      }
    };
    room.onStateChange(check);
    check();
  }

  /** How many of each violation kind. */
  static violationCounts(violations: readonly Violation[]): Record<string, number> {
    return countBy(violations.map((v) => v.kind));
  }
}

/** A client's decoded copy of its room, as plain data for the checks. */
function clientView(viewer: string, code: string, room: SpaceRoom): RoomView {
  const state = room.state;
  if (state?.players === undefined) return { viewer, code, players: null, closeCode: null };
  return { viewer, code, ...seatsOf(state.players.entries()), closeCode: null };
}
