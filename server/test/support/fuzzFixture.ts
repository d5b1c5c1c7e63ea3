/**
 * What the protocol fuzzer runs against: one room per room type with a client in each role (host
 * or GM, plain player, spectator; a guest in the lobby), kept that way whatever a case did to it
 * (a kick, a host transfer, a config that locks seats, a client closed for sending garbage), and
 * the checks made after every case.
 *
 * Inputs come from the wire contract (shared/src/contract.ts), so a request added there is fuzzed
 * without a line here; the fixture refuses to run if a room registers a handler the contract does
 * not list.
 */
import { matchMaker, Protocol } from "@colyseus/core";
import type { Room } from "@colyseus/sdk";
import fc from "fast-check";
import type { z } from "zod";
import { contracts, type RequestTable } from "@tavern/shared/contract";
import { toErrorBody, type ErrorBody } from "@tavern/shared/errors";
import type { RoomConfig } from "@tavern/shared/protocol";
import { hashState, type StateHashReply } from "@tavern/shared/stateHash";
import { actorDocSchema, characterDocSchema, itemDocSchema, type TableDoc } from "@tavern/shared/table/document";
import { docFromState } from "@tavern/shared/table/fromState";
import { hashTable, publicProjection } from "@tavern/shared/table/hash";
import type { TableState } from "@tavern/shared/table/state";
import { MALFORMED_FRAME_LIMIT, MALFORMED_WINDOW_MS } from "../../src/lifecycle/frameGuard";
import type { LifecycleRoom } from "../../src/lifecycle/LifecycleRoom";
import { lobbyMessages } from "../../src/rooms/LobbyRoom";
import type { TableRoom } from "../../src/rooms/TableRoom";
import { PLUGINS, pluginIds } from "../../src/domain/table/plugins/registry";
import { harness, leaveQuietly, newPlayer, sleep, waitFor, type Player } from "./harness";
import {
  Live,
  live,
  materialize,
  partialPayload,
  payloadsFor,
  randomValue,
  validPayload,
  type Hints,
  type PayloadSource,
  type Pools,
} from "./fuzzValues";
import { encodeFrame, expectedReplyId, preview, rawFrame, unknownType, Wire, type RawFrame } from "./fuzzWire";

export type RoomKind = "lobby" | "space" | "table" | "cabo";

/** Codes any request may be answered, whatever the contract lists for it (docs/PROTOCOL.md, "Common to all requests"). */
const ANY_REQUEST_MAY = ["RATE_LIMITED", "VALIDATION_ERROR", "UNKNOWN_REQUEST"];

/** The codes the contract says each request may be answered, by room type (the lobby has no contract). */
const DECLARED: Readonly<Record<RoomKind, Readonly<Record<string, readonly string[]>>>> = {
  lobby: {},
  space: Object.fromEntries(Object.entries(contracts.space).map(([type, spec]) => [type, [...spec.errors, ...ANY_REQUEST_MAY]])),
  table: Object.fromEntries(Object.entries(contracts.table).map(([type, spec]) => [type, [...spec.errors, ...ANY_REQUEST_MAY]])),
  cabo: Object.fromEntries(Object.entries(contracts.cabo).map(([type, spec]) => [type, [...spec.errors, ...ANY_REQUEST_MAY]])),
};

function payloadSchemas(table: RequestTable): Record<string, z.ZodType> {
  return Object.fromEntries(Object.entries(table).map(([type, spec]) => [type, spec.payload]));
}

/** Every request (or lobby message) each room type answers, from the wire contract. */
export const CATALOGUE: Readonly<Record<RoomKind, Readonly<Record<string, z.ZodType>>>> = {
  lobby: lobbyMessages,
  space: payloadSchemas(contracts.space),
  table: payloadSchemas(contracts.table),
  cabo: payloadSchemas(contracts.cabo),
};

export const ROLES: Readonly<Record<RoomKind, readonly string[]>> = {
  lobby: ["guest"],
  space: ["host", "player", "spectator"],
  table: ["host", "player", "spectator"],
  cabo: ["host", "player", "spectator"],
};

/** How long any answer may take before the fuzzer calls it a hang. */
const REPLY_TIMEOUT_MS = 5000;
/**
 * Room requests are limited to 20/s per client (burst 40): the fuzzer stays under that, so inputs
 * are judged rather than rate limited. The lobby has only the flood limit (200 messages/s).
 */
const PACE: Readonly<Record<RoomKind, { perSecond: number; burst: number }>> = {
  lobby: { perSecond: 80, burst: 40 },
  space: { perSecond: 16, burst: 24 },
  table: { perSecond: 16, burst: 24 },
  cabo: { perSecond: 16, burst: 24 },
};
const UNREADABLE = /could not read this message/;
/** Every this many cases, each client's decoded state is checked against the server's hash... */
const SYNC_EVERY = 10;
/** ...and after every accepted request of these types, which change what clients hold or see. */
const SYNC_AFTER = new Set(["transferHost", "move", "moveTo", "encounter"]);
/**
 * Codes a reply must never carry here, though they are Tavern codes: the handler failed
 * (INTERNAL_ERROR), or an input broke persistence, since the test database never fails by itself.
 */
const FINDING_CODES = new Set(["INTERNAL_ERROR", "PERSISTENCE_ERROR"]);
/** SDK output about its own client-side state, not the server's. */
const CLIENT_SIDE_OUTPUT = ["@colyseus/sdk", "[Colyseus reconnection]", "Room connection was closed"];

const SAFE_CONFIG: RoomConfig = {
  locked: false,
  maxPlayers: 16,
  minPlayers: 1,
  allowSpectators: true,
  maxSpectators: 20,
  private: false,
  reconnectGraceSeconds: 0,
  idleTimeoutSeconds: 1800,
};

const DICE = [
  "d20",
  "2d6+3",
  "1d8 + 2d4 - 1",
  "4d6kh3",
  "2d20kl1",
  "d%",
  "100d1000",
  "101d6",
  "d1001",
  "0d6",
  "d0",
  "1d6*2",
  "-d4",
  "20d20+20d20+20d20",
  "5",
  "9999999",
  "dd",
  "3d",
  "d",
];

// ----- cases -----------------------------------------------------------------------------------

export type FuzzCase =
  | { kind: "request"; as: string; via: "request" | "send"; type: string; source: PayloadSource | "unknown-type"; payload: unknown }
  | { kind: "raw"; as: string; frame: RawFrame };

function hintsFor(kind: RoomKind): Hints {
  if (kind === "lobby") {
    return {
      name: fc.constantFrom("space", "table", "lobby", "probe"),
      "metadata{}": fc.constantFrom("code", "phase", "players", "spectators", "maxPlayers", "hostName"),
      "metadata.*": fc.oneof(live("code"), fc.constantFrom("lobby", "playing", 0, 1, 16)),
    };
  }
  const common = { playerId: live("playerId") };
  if (kind === "space") return { ...common, x: fc.integer({ min: -40, max: 1000 }), y: fc.integer({ min: -40, max: 680 }) };
  const entity = fc.oneof(live("entityId"), live("combatantId"));
  const onMap = { x: fc.integer({ min: 0, max: 25 }), y: fc.integer({ min: 0, max: 17 }) };
  const fieldHints: Hints = {
    ownerId: live("playerId"),
    holderId: live("entityId"),
    name: fc.constantFrom("Mira", "Goblin", "Rope", "Ogre of the Vale"),
    hp: fc.integer({ min: -5, max: 30 }),
    maxHp: fc.integer({ min: 1, max: 30 }),
    quantity: fc.integer({ min: 0, max: 10 }),
    ...onMap,
  };
  const actions = [...PLUGINS.values()].flatMap((plugin) => Object.values(plugin.actions));
  return {
    ...common,
    id: entity,
    // A token or a target is a character or an actor: kind and id from the same entry.
    "kind+id": fc.nat({ max: 1000 }).map((i) => ({ kind: new Live("ref.kind", i), id: new Live("ref.id", i) })),
    // An edit that fits the document as it is (a leaf set to a value of its type, a number nudged).
    "ops[]": live("edit"),
    combatantId: entity,
    "combatantIds[]": entity,
    path: live("path"),
    baseVersion: live("version"),
    name: live("actionName"),
    expression: fc.constantFrom(...DICE),
    ...onMap,
    args: fc.oneof(...actions.map((action) => validPayload(action.args))),
    fields: fc.oneof(...[characterDocSchema, actorDocSchema, itemDocSchema].map((schema) => partialPayload(schema, fieldHints))),
    // An action's name with arguments that action takes; a new entity's fields for its collection.
    "name+args": fc.oneof(
      ...[...PLUGINS.values()].flatMap((plugin) =>
        Object.entries(plugin.actions).map(([name, action]) => validPayload(action.args).map((args) => ({ name, args }))),
      ),
    ),
    "collection+fields": fc.oneof(
      ...(
        [
          ["characters", characterDocSchema],
          ["actors", actorDocSchema],
          ["items", itemDocSchema],
        ] as const
      ).map(([collection, schema]) => partialPayload(schema, fieldHints).map((fields) => ({ collection, fields }))),
    ),
  };
}

/** One case: a request (valid, mutated, random or of an unknown type) from one role, or a raw frame. */
export function fuzzCase(kind: RoomKind, maxPayloadBytes: number): fc.Arbitrary<FuzzCase> {
  const catalogue = CATALOGUE[kind];
  const types = Object.keys(catalogue);
  const hints = hintsFor(kind);
  // The host (GM) answers the most requests: asked twice as often.
  const as = fc.constantFrom(...ROLES[kind], ROLES[kind][0]!);
  const via = fc.oneof({ weight: 4, arbitrary: fc.constant("request" as const) }, { weight: 1, arbitrary: fc.constant("send" as const) });
  const known = types.map((type) =>
    fc
      .tuple(as, via, payloadsFor(catalogue[type]!, hints))
      .map(([role, how, { source, payload }]): FuzzCase => ({ kind: "request", as: role, via: how, type, source, payload })),
  );
  const unknown = fc
    .tuple(as, via, unknownType, randomValue)
    .map(([role, how, type, payload]): FuzzCase => ({ kind: "request", as: role, via: how, type, source: "unknown-type", payload }));
  const raw = fc.tuple(as, rawFrame(types, maxPayloadBytes)).map(([role, frame]): FuzzCase => ({ kind: "raw", as: role, frame }));
  return fc.oneof({ weight: 14, arbitrary: fc.oneof(...known) }, { weight: 1, arbitrary: unknown }, { weight: 5, arbitrary: raw });
}

// ----- what came back ----------------------------------------------------------------------------

function bump(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

function line(map: Map<string, number>): string {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${n}`)
    .join(", ");
}

export class Stats {
  cases = 0;
  readonly outcomes = new Map<string, number>();
  readonly inputs = new Map<string, number>();
  readonly perType = new Map<string, Map<string, number>>();
  readonly closes = new Map<string, number>();
  readonly repairs = new Map<string, number>();
  /** Why payloads built valid from a schema were refused (VALIDATION_ERROR), by request type: where the generator is weak. */
  readonly validRefused = new Map<string, Map<string, number>>();

  refusedValid(type: string, message: string): void {
    const why = message
      .replace(/[A-Za-z0-9_-]{8,}/g, "…")
      .replace(/\d+/g, "N")
      .slice(0, 90);
    const perType = this.validRefused.get(type) ?? new Map<string, number>();
    bump(perType, why);
    this.validRefused.set(type, perType);
  }

  /** Kept-going mode: each distinct finding (its first line, ids stripped) with a count and one case. */
  readonly findings = new Map<string, { count: number; example: string }>();

  addFinding(text: string): void {
    const key = text
      .split("\n")[0]!
      .replace(/-\d+\b/g, "-N")
      .replace(/\d{4,}/g, "N");
    const seen = this.findings.get(key);
    if (seen) seen.count++;
    else this.findings.set(key, { count: 1, example: text });
  }

  record(c: FuzzCase, outcome: string): void {
    this.cases++;
    bump(this.outcomes, outcome);
    const input = c.kind === "raw" ? `raw:${c.frame.label}` : `${c.source}${c.via === "send" ? " (send)" : ""}`;
    bump(this.inputs, input);
    const type = c.kind === "raw" ? "(raw frame)" : c.source === "unknown-type" ? "(unknown type)" : c.type;
    const perType = this.perType.get(type) ?? new Map<string, number>();
    bump(perType, outcome);
    this.perType.set(type, perType);
  }

  report(kind: RoomKind, ms: number, seed: number, full: boolean): string {
    const types = [...this.perType.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([type, outcomes]) => `    ${type}: ${line(outcomes)}`);
    return [
      `fuzz ${kind}: ${this.cases} inputs in ${(ms / 1000).toFixed(1)} s (FUZZ_SEED=${seed})`,
      `  replies: ${line(this.outcomes)}`,
      `  inputs: ${line(this.inputs)}`,
      `  closes: ${line(this.closes) || "none"}`,
      `  repairs: ${line(this.repairs) || "none"}`,
      ...[...this.findings.entries()].map(([key, { count }]) => `  FINDING x${count}: ${key}`),
      ...(full ? [`  by request:`, ...types] : []),
      ...(full && this.validRefused.size > 0
        ? [
            `  valid payloads refused VALIDATION_ERROR, most frequent reasons:`,
            ...[...this.validRefused.entries()]
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([type, why]) => `    ${type}: ${line(new Map([...why.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3)))}`),
          ]
        : []),
    ].join("\n");
  }
}

/** Server output that bypassed the app's logger (console), which the fuzzer counts as a finding. */
export class ConsoleWatch {
  readonly lines: string[] = [];
  private readonly originals = new Map<"log" | "info" | "warn" | "error" | "debug", (...args: unknown[]) => void>();

  install(): void {
    for (const method of ["log", "info", "warn", "error", "debug"] as const) {
      const original = console[method].bind(console);
      this.originals.set(method, original);
      console[method] = (...args: unknown[]) => {
        const text = args.map((a) => (typeof a === "string" ? a : preview(a))).join(" ");
        // The SDK's own words about its side (a join refused, say) are the fuzzer's business, not the server's.
        if (CLIENT_SIDE_OUTPUT.some((prefix) => text.startsWith(prefix))) return;
        this.lines.push(`console.${method}: ${text.slice(0, 300)}`);
        // Shown too, but only the first few: a flood of them would bury the report.
        if (this.lines.length <= 5) original(...args);
      };
    }
  }

  restore(): void {
    for (const [method, original] of this.originals) console[method] = original;
    this.originals.clear();
  }
}

// ----- the room and its seats ----------------------------------------------------------------

/** A token bucket a little slower than the server's, so requests are judged, not rate limited. */
class Pacer {
  private tokens: number;
  private at = Date.now();

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
  }

  async take(): Promise<void> {
    const now = Date.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) / 1000) * this.perSecond);
    this.at = now;
    if (this.tokens < 1) {
      await sleep(((1 - this.tokens) / this.perSecond) * 1000);
      this.tokens = 1;
      this.at = Date.now();
    }
    this.tokens -= 1;
  }
}

interface Identity {
  player: Player;
  label: string;
  kicked: boolean;
  /** The role it last held, so a rejoin asks for the same. */
  role: string;
}

interface Seat {
  identity: Identity;
  room: Room;
  wire: Wire;
  pacer: Pacer;
  listings: number;
}

/** The state a Tavern room keeps, as the fuzzer reads it from the server side. */
type ServerRoom = LifecycleRoom;

export class RoomFixture {
  private seats: Seat[] = [];
  private away: Identity[] = [];
  private identities: Identity[] = [];
  private roomId = "";
  private code = "";
  private builds = 0;
  private casesSinceBuild = 0;
  private created = 0;

  constructor(
    readonly kind: RoomKind,
    private readonly stats: Stats,
    private readonly watch: ConsoleWatch,
    private readonly maxPayloadBytes: number,
    /** Table: start a new session with the next rules plugin every this many cases. */
    private readonly rotateEvery: number,
    private readonly firstPlugin: number,
    /** Record findings and go on instead of failing at the first (for triage). */
    private readonly keepGoing = false,
  ) {}

  // ----- building and repairing --------------------------------------------------------------

  private async newIdentity(role: string): Promise<Identity> {
    const n = ++this.created;
    const label = `${role}-${n}`;
    const identity: Identity = { player: await newPlayer(`fz-${this.kind}-${label}`), label, kicked: false, role };
    this.identities.push(identity);
    return identity;
  }

  private serverRoom(): ServerRoom | undefined {
    return this.roomId ? (matchMaker.getLocalRoomById(this.roomId) as ServerRoom | undefined) : undefined;
  }

  private attach(identity: Identity, room: Room): Seat {
    // The fuzzer sees every close as it is: the SDK must not paper over one by reconnecting.
    room.reconnection.enabled = false;
    const wire = new Wire(room, () => `${this.kind} ${identity.label}`);
    const seat: Seat = { identity, room, wire, pacer: new Pacer(PACE[this.kind].perSecond, PACE[this.kind].burst), listings: 0 };
    room.onMessage("rooms", () => seat.listings++);
    room.onMessage("*", () => undefined);
    this.seats.push(seat);
    return seat;
  }

  private async join(identity: Identity, role: string): Promise<Seat | ErrorBody> {
    try {
      const client = identity.player.client;
      const room =
        this.kind === "lobby"
          ? await client.joinOrCreate("lobby")
          : await client.join(this.kind, { code: this.code, spectator: role === "spectator" });
      if (this.kind === "lobby") this.roomId = room.roomId;
      else await waitFor("first state", () => (room.state as { players?: unknown } | undefined)?.players !== undefined);
      identity.role = role;
      return this.attach(identity, room);
    } catch (err) {
      const body = toErrorBody(err);
      if (body.code === "KICKED") identity.kicked = true;
      return body;
    }
  }

  async build(): Promise<void> {
    await this.close();
    this.builds++;
    this.casesSinceBuild = 0;
    if (this.kind === "lobby") {
      const seat = await this.join(await this.newIdentity("guest"), "guest");
      if (!("wire" in seat)) throw new Error(`cannot join the lobby: ${preview(seat)}`);
      this.checkCatalogue();
      return;
    }
    const host = await this.newIdentity("host");
    const plugin = pluginIds()[(this.firstPlugin + this.builds - 1) % pluginIds().length]!;
    const options = { config: { reconnectGraceSeconds: 0 }, ...(this.kind === "table" ? { plugin, title: `Fuzz ${this.builds}` } : {}) };
    const room = await host.player.client.create(this.kind, options);
    await waitFor("room code", () => Boolean((room.state as { code?: string } | undefined)?.code));
    this.roomId = room.roomId;
    this.code = (room.state as { code: string }).code;
    this.attach(host, room);
    for (const role of ["player", "spectator"]) {
      const seat = await this.join(await this.newIdentity(role), role);
      if (!("wire" in seat)) throw new Error(`cannot seat a ${role}: ${seat.code} ${seat.message}`);
    }
    this.checkCatalogue();
    if (this.kind === "table") await this.seedTable();
  }

  /** A room that answers a type the shared tables do not list would go unfuzzed: refuse to run. */
  private checkCatalogue(): void {
    const room = this.serverRoom();
    if (!room) throw new Error(`the ${this.kind} room is gone`);
    const events = (room as unknown as { onMessageEvents: { events: Record<string, unknown[] | undefined> } }).onMessageEvents.events;
    const registered = Object.keys(events).filter((type) => (events[type]?.length ?? 0) > 0);
    const missing = registered.filter((type) => !Object.hasOwn(CATALOGUE[this.kind], type));
    if (missing.length > 0) {
      throw new Error(
        `the ${this.kind} room answers ${missing.join(", ")}, which the fuzzer's catalogue (the wire contract) does not list`,
      );
    }
  }

  /** Something to point at: the player's own character, a hidden actor, an item it holds, an encounter. */
  private async seedTable(): Promise<void> {
    const gm = this.seatAs("host")!;
    const player = this.seatAs("player")!;
    const made = (await this.quiet(gm, "create", {
      collection: "characters",
      fields: { name: "Mira", ownerId: player.identity.player.session.playerId, x: 2, y: 3 },
    })) as { id?: string } | undefined;
    await this.quiet(gm, "create", { collection: "actors", fields: { name: "Goblin", hidden: true, x: 5, y: 5 } });
    if (made?.id) await this.quiet(gm, "create", { collection: "items", fields: { name: "Rope", holderId: made.id } });
    await this.quiet(gm, "encounter", { type: "start" });
  }

  async close(): Promise<void> {
    await Promise.all(this.seats.map((seat) => leaveQuietly(seat.room)));
    this.seats = [];
    this.away = [];
  }

  private roleOf(seat: Seat): string | undefined {
    if (this.kind === "lobby") return seat.wire.isOpen ? "guest" : undefined;
    if (!seat.wire.isOpen) return undefined;
    return this.serverRoom()?.state.players.get(seat.identity.player.session.playerId)?.role;
  }

  private seatAs(role: string): Seat | undefined {
    return this.seats.find((seat) => this.roleOf(seat) === role);
  }

  /** Takes closed seats out; their players come back unless they were kicked. */
  private dropClosedSeats(): void {
    for (const seat of this.seats.filter((s) => !s.wire.isOpen)) {
      this.seats.splice(this.seats.indexOf(seat), 1);
      if (seat.wire.closeCode === 4101) seat.identity.kicked = true;
      if (!seat.identity.kicked) this.away.push(seat.identity);
    }
  }

  /** Brings the room back to the lobby phase, unlocked, with seats for everyone. */
  private async restoreConfig(): Promise<void> {
    const host = this.seatAs("host");
    const room = this.serverRoom();
    if (!host || !room) return;
    await this.quiet(host, "lock", { locked: false }); // any phase; lets in whoever knocks
    if (room.state.phase === "playing") await this.quiet(host, "finish");
    if (room.state.phase !== "lobby") await this.quiet(host, "reset");
    await this.quiet(host, "config", SAFE_CONFIG);
    bump(this.stats.repairs, "config restored");
  }

  private async fill(role: string): Promise<boolean> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const room = this.serverRoom();
      // A table's GM role never passes on: only the GM's own player can take it back.
      const gm =
        this.kind === "table" && role === "host"
          ? this.identities.find((i) => i.player.session.playerId === room?.state.hostId)
          : undefined;
      if (this.kind === "table" && role === "host" && !gm) return false;
      const identity = gm ?? (await this.newIdentity(role));
      const seat = await this.join(identity, role === "host" ? "player" : role);
      if ("wire" in seat) {
        bump(this.stats.repairs, gm ? "GM rejoined" : `new ${role}`);
        if (this.seatAs(role)) return true;
        continue;
      }
      bump(this.stats.repairs, `join refused ${seat.code}`);
      if (seat.code === "ROOM_FULL" || seat.code === "PERMISSION_DENIED" || seat.code === "KNOCK_REQUIRED") await this.restoreConfig();
      else return false;
    }
    return Boolean(this.seatAs(role));
  }

  private async repair(): Promise<boolean> {
    this.dropClosedSeats();
    // The lobby closes once its last client left; joining again opens it.
    if (!this.serverRoom() && this.kind !== "lobby") return false;
    for (const identity of this.away.splice(0)) {
      if (identity.kicked) continue;
      const seat = await this.join(identity, identity.role === "spectator" ? "spectator" : "player");
      bump(this.stats.repairs, "wire" in seat ? "rejoined" : `rejoin refused ${seat.code}`);
    }
    for (const role of ROLES[this.kind]) {
      if (!this.seatAs(role) && !(await this.fill(role))) return false;
    }
    return true;
  }

  /** Every role has an open seat in a live room (rebuilt from scratch when it cannot be repaired). */
  async ensure(): Promise<void> {
    if (this.builds === 0 || (this.kind === "table" && this.casesSinceBuild >= this.rotateEvery)) {
      if (this.builds > 0) bump(this.stats.repairs, "new session (next rules plugin)");
      await this.build();
    }
    if (await this.repair()) return;
    bump(this.stats.repairs, "rebuilt");
    await this.build();
    if (!(await this.repair())) throw new Error(`the ${this.kind} fixture could not be restored`);
  }

  /** Values the next case may point at: who is seated, what the table holds. */
  private pools(): Pools {
    const room = this.serverRoom();
    const playerIds = room && this.kind !== "lobby" ? [...room.state.players.keys()] : [];
    const pools: Record<string, unknown[]> = { playerId: [...playerIds, "nobody-here"], code: [this.code || "ACDEFG"] };
    if (this.kind !== "table" || !room) return pools;
    const snapshot = (room as unknown as TableRoom).adminSnapshot();
    const doc = snapshot.document as TableDoc;
    pools["entityId"] = [...Object.keys(doc.characters), ...Object.keys(doc.actors), ...Object.keys(doc.items)];
    const refs = [...Object.keys(doc.characters).map((id) => ["character", id]), ...Object.keys(doc.actors).map((id) => ["actor", id])];
    pools["ref.kind"] = refs.map(([kind]) => kind);
    pools["ref.id"] = refs.map(([, id]) => id);
    pools["edit"] = documentEdits(doc);
    pools["combatantId"] = Object.keys(doc.encounter?.combatants ?? {});
    pools["path"] = documentPaths(doc);
    // The GM's baseVersion is the whole version, a player's the public one.
    pools["version"] = [snapshot.version, (room.state as unknown as TableState).publicVersion];
    pools["actionName"] = Object.keys(PLUGINS.get(doc.pluginId)?.actions ?? {});
    return pools;
  }

  /** A request whose answer does not matter (setup and repair). */
  private async quiet(seat: Seat, type: string, payload?: unknown): Promise<unknown> {
    await seat.pacer.take();
    try {
      return await seat.room.request(type, payload, { timeout: REPLY_TIMEOUT_MS });
    } catch {
      return undefined;
    }
  }

  // ----- one case ------------------------------------------------------------------------------

  /** Runs one case and checks everything that must hold after it; throws naming what did not. */
  async run(c: FuzzCase): Promise<void> {
    await this.ensure();
    this.casesSinceBuild++;
    const seat = this.seatAs(c.as);
    if (!seat) throw new Error(`no ${c.as} seat in the ${this.kind} room after repair`);
    const pools = this.pools();
    const marks = this.seats.map((s) => ({
      seat: s,
      findings: s.wire.findings.length,
      errors: s.wire.errors.length,
      answers: s.wire.answers.length,
      open: s.wire.isOpen,
    }));
    for (const s of this.seats) s.wire.resetSent();
    const consoleMark = this.watch.lines.length;
    const exceptionsBefore = await roomExceptions();
    const problems: string[] = [];

    const sent = c.kind === "request" ? await this.sendRequest(seat, c, pools, problems) : await this.sendFrame(seat, c, pools, problems);
    if (seat.wire.isOpen) await this.checkAlive(seat, problems);
    // A socket that is closing has no close code yet: give each its closing handshake.
    for (const { seat: s, open } of marks) {
      if (open && !s.wire.isOpen) await waitFor("close code", () => s.wire.closeCode !== undefined, 2000).catch(() => undefined);
    }

    let outcome = sent;
    const ownErrors = seat.wire.errors.slice(marks.find((m) => m.seat === seat)!.errors);
    if (outcome === "silent" && ownErrors.length > 0) outcome = `error message ${ownErrors[0]!.code}`;

    for (const mark of marks) {
      const s = mark.seat;
      problems.push(...s.wire.findings.slice(mark.findings));
      if (!mark.open || s.wire.isOpen) continue;
      const code = s.wire.closeCode ?? -1;
      const why = this.closeExplained(c, s === seat, s, code);
      bump(this.stats.closes, `${code} (${why ?? "UNEXPLAINED"})`);
      if (s === seat) outcome = `closed ${code}`;
      if (!why) problems.push(`${this.kind} ${s.identity.label} was closed with ${code}, which nothing in this case explains`);
    }
    const printed = this.watch.lines.slice(consoleMark);
    if (printed.length > 0) problems.push(`the server printed outside its logger (${printed.length} lines), first: ${printed[0]}`);
    const exceptions = (await roomExceptions()) - exceptionsBefore;
    if (exceptions > 0) problems.push(`${exceptions} exception(s) were caught inside a room (tavern_room_exceptions_total moved)`);
    for (const mark of marks) {
      for (const { body } of mark.seat.wire.answers.slice(mark.answers)) {
        if (FINDING_CODES.has(body.code))
          problems.push(`${this.kind} ${mark.seat.identity.label} was answered ${body.code}: ${body.message}`);
      }
    }
    const changesViews = c.kind === "request" && outcome === "ok" && SYNC_AFTER.has(c.type);
    if (problems.length === 0 && (changesViews || this.casesSinceBuild % SYNC_EVERY === 0)) await this.checkSync(problems);

    this.stats.record(c, outcome);
    if (problems.length > 0) {
      bump(this.stats.outcomes, "FINDING");
      const text = `${problems.join("\n")}\n  case: ${describeCase(c, pools)}`;
      if (!this.keepGoing) throw new Error(text);
      for (const problem of problems) this.stats.addFinding(`${problem}\n  case: ${describeCase(c, pools)}`);
    }
  }

  private closeExplained(c: FuzzCase, own: boolean, seat: Seat, code: number): string | undefined {
    const type = c.kind === "request" ? c.type : c.frame.type?.kind === "string" ? c.frame.type.value : undefined;
    if (code === 4101 && !own && type === "kick") return "kicked";
    if (code === 4100) return "idle";
    if (!own) return undefined;
    if (code === 1009 && seat.wire.largestSent > this.maxPayloadBytes) return "frame too large";
    if (code === 4000 && c.kind === "raw" && (c.frame.first & 0x1f) === Protocol.LEAVE_ROOM && (c.frame.keep ?? 1) > 0)
      return "asked to leave";
    if (code === 4002) {
      // The guard answers "could not read" to the first few unreadable frames of a window, then closes.
      const recent = seat.wire.answers.filter(
        ({ at, body }) => UNREADABLE.test(body.message) && Date.now() - at < MALFORMED_WINDOW_MS + 500,
      ).length;
      if (recent >= MALFORMED_FRAME_LIMIT) return "garbage flood";
    }
    return undefined;
  }

  private async sendRequest(seat: Seat, c: Extract<FuzzCase, { kind: "request" }>, pools: Pools, problems: string[]): Promise<string> {
    const payload = materialize(c.payload, pools);
    await seat.pacer.take();
    if (!seat.wire.isOpen) return "not sent (closed)";
    if (c.via === "send") {
      try {
        seat.room.send(c.type, payload);
      } catch (err) {
        // The SDK reserves at most 255 bytes for a header: a longer type with a payload fails here.
        return `failed on the client: ${(err as Error).name}`;
      }
      return "silent";
    }
    try {
      await seat.room.request(c.type, payload, { timeout: REPLY_TIMEOUT_MS });
      return "ok";
    } catch (err) {
      const e = err as { name?: string; message?: string };
      if (e.name === "rejected") {
        const body = toErrorBody(err);
        if (c.source === "valid" && body.code === "VALIDATION_ERROR") this.stats.refusedValid(c.type, body.message);
        const table = DECLARED[this.kind];
        const declared = Object.hasOwn(table, c.type) ? table[c.type] : undefined; // "valueOf" is a type too
        if (declared && !declared.includes(body.code)) {
          problems.push(`${c.type} was answered ${body.code} (${body.message}), which the contract does not list for it`);
        }
        return body.code;
      }
      if (/timed out/.test(e.message ?? "") && seat.wire.isOpen) problems.push(`no answer to ${c.type} within ${REPLY_TIMEOUT_MS} ms`);
      if (/closed/.test(e.message ?? "")) return "closed";
      // A raw fault is named by the wire; the SDK also fails to encode some long types itself.
      return `failed on the client: ${e.name ?? "error"}`;
    }
  }

  private async sendFrame(seat: Seat, c: Extract<FuzzCase, { kind: "raw" }>, pools: Pools, problems: string[]): Promise<string> {
    const frame = encodeFrame(c.frame, pools);
    const id = expectedReplyId(frame);
    await seat.pacer.take();
    const reply = id === undefined ? undefined : seat.wire.expect(id, REPLY_TIMEOUT_MS);
    if (!seat.wire.send(frame)) return "not sent (closed)";
    if (!reply) return "silent";
    const answer = await reply;
    if (answer)
      return answer.status === 0
        ? "ok"
        : answer.status === 1
          ? toErrorBody({ name: "rejected", reason: answer.payload }).code
          : "raw fault";
    if (seat.wire.isOpen && frame.byteLength <= this.maxPayloadBytes)
      problems.push(`no answer to a request frame with id ${id} within ${REPLY_TIMEOUT_MS} ms`);
    return "no answer";
  }

  /**
   * Whatever the fuzzer did, every client's decoded state is what the server says it is: the
   * client's hash of its state matches its `stateHash` (a table answers each client the hash of
   * what it may see), and in a table the client's rebuilt document hashes to `gm.hash` (GM) or
   * `publicHash` (everyone else).
   */
  private async checkSync(problems: string[]): Promise<void> {
    const room = this.serverRoom();
    if (!room || this.kind === "lobby") return;
    for (const seat of this.seats.filter((s) => s.wire.isOpen)) {
      const who = `${this.kind} ${seat.identity.label}`;
      const isGm = this.kind === "table" && room.state.hostId === seat.identity.player.session.playerId;
      if (this.kind === "table" && !isGm && (seat.room.state as TableState).gm !== undefined) {
        // A former GM keeps the GM-only part it held, stale: its integrity check fails and the
        // client joins again, as documented. The fuzzer's client does the same.
        bump(this.stats.repairs, "former GM joined again (documented)");
        await leaveQuietly(seat.room);
        continue;
      }
      // Its reply leaves after the next patch: whatever the last case changed has reached the client.
      await seat.pacer.take();
      const reply = (await seat.room.request("stateHash", undefined, { timeout: REPLY_TIMEOUT_MS }).catch(() => undefined)) as
        StateHashReply | undefined;
      if (!reply || !seat.wire.isOpen) continue;
      const decoded = seat.room.state as { toJSON(): unknown };
      if (hashState(decoded) !== reply.hash) {
        const where = firstDifference(decoded.toJSON(), room.state.toJSON());
        problems.push(
          `${who}'s decoded state does not hash to its stateHash (patch ${reply.version}); it differs from the server's now at ${where}`,
        );
      }
      if (this.kind !== "table") continue;
      const state = seat.room.state as TableState;
      const expected = isGm ? state.gm?.hash : state.publicHash;
      const rebuilt = docFromState(state);
      if (hashTable(rebuilt) !== expected) {
        const doc = (room as unknown as TableRoom).adminSnapshot().document as TableDoc;
        const truth = isGm ? doc : publicProjection(doc);
        problems.push(
          `${who}'s rebuilt document does not hash to the ${isGm ? "gm.hash" : "publicHash"} it was sent; it differs at ${firstDifference(rebuilt, truth, "doc")}`,
        );
      }
    }
  }

  /** The room still answers a valid request from this client; in the lobby, also a listing now and then. */
  private async checkAlive(seat: Seat, problems: string[]): Promise<void> {
    const type = this.kind === "lobby" ? "filter" : "ping";
    const payload = this.kind === "lobby" ? null : undefined;
    for (let attempt = 0; attempt < 2; attempt++) {
      await seat.pacer.take();
      if (!seat.wire.isOpen) return;
      try {
        const reply = await seat.room.request(type, payload, { timeout: REPLY_TIMEOUT_MS });
        if (this.kind !== "lobby" && typeof (reply as { now?: unknown } | undefined)?.now !== "number")
          problems.push(`ping answered ${preview(reply)}`);
        break;
      } catch (err) {
        if (!seat.wire.isOpen) return;
        const body = toErrorBody(err);
        // A chat-heavy case may have used the budget up; a second try a second later settles it.
        if (body.code === "RATE_LIMITED" && attempt === 0) {
          await sleep(1000);
          continue;
        }
        problems.push(`the room no longer answers ${type}: ${body.code} ${body.message}`);
        return;
      }
    }
    if (this.kind === "lobby" && this.casesSinceBuild % 25 === 0) {
      const before = seat.listings;
      seat.room.send("filter", null);
      await waitFor("a rooms listing", () => seat.listings > before || !seat.wire.isOpen, 2000).catch(() =>
        problems.push("the lobby sent no listing for a valid filter within 2 s"),
      );
    }
  }
}

/** The first path where two JSON values differ, with both values: enough to tell what diverged. */
function firstDifference(a: unknown, b: unknown, path = "state"): string {
  if (a !== null && b !== null && typeof a === "object" && typeof b === "object") {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const found = firstDifference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}.${key}`);
      if (found) return found;
    }
    return "";
  }
  return Object.is(a, b) ? "" : `${path} (client ${preview(a, 60)}, server ${preview(b, 60)})`;
}

/** Ops that could well be accepted: each leaf of the document set to a value of its own type, numbers nudged. */
function documentEdits(doc: TableDoc, max = 300): unknown[] {
  const edits: unknown[] = [{ op: "set", path: "title", value: "Fuzzed session" }];
  const walk = (value: unknown, path: string, depth: number) => {
    if (edits.length >= max || depth > 5) return;
    if (typeof value === "number") edits.push({ op: "set", path, value: value + 1 }, { op: "inc", path, value: -1 });
    else if (typeof value === "boolean") edits.push({ op: "set", path, value: !value });
    else if (typeof value === "string") edits.push({ op: "set", path, value: `${value.slice(0, 40)}!` });
    else if (Array.isArray(value)) edits.push({ op: "push", path, value: value[0] ?? "x" }, { op: "pull", path, value: value[0] ?? "x" });
    else if (value !== null && typeof value === "object") {
      for (const key of Object.keys(value)) walk((value as Record<string, unknown>)[key], path ? `${path}.${key}` : key, depth + 1);
    }
  };
  walk(doc, "", 0);
  return edits;
}

function documentPaths(doc: TableDoc, max = 300): string[] {
  const out: string[] = [];
  const walk = (value: unknown, prefix: string, depth: number) => {
    if (out.length >= max) return;
    if (prefix) out.push(prefix);
    if (depth >= 4 || value === null || typeof value !== "object" || Array.isArray(value)) return;
    for (const key of Object.keys(value)) walk((value as Record<string, unknown>)[key], prefix ? `${prefix}.${key}` : key, depth + 1);
  };
  walk(doc, "", 0);
  return out;
}

function describeCase(c: FuzzCase, pools: Pools): string {
  if (c.kind === "raw") return `${c.as} sent a raw ${c.frame.label} frame: ${preview(c.frame)}`;
  return `${c.as} ${c.via === "send" ? "sent" : "requested"} ${JSON.stringify(c.type.slice(0, 80))} (${c.source}) with ${preview(materialize(c.payload, pools), 400)}`;
}

async function roomExceptions(): Promise<number> {
  const { tavern } = await harness();
  const metric = await tavern.services.metrics.roomExceptions.get();
  return metric.values.reduce((sum, v) => sum + v.value, 0);
}
