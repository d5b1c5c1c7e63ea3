/**
 * One Tavern server for the whole integration run, booted through @colyseus/testing with the same
 * createTavernServer() that `npm start` uses, plus helpers to sign in and join through the real SDK.
 */
import { ColyseusTestServer } from "@colyseus/testing";
import { signInGuest } from "@tavern/shared/guestSignIn";
import { sleep, waitFor } from "./wait";
import { Client, type Room } from "@colyseus/sdk";
import { loadConfig } from "../../src/config";
import { createLogger } from "../../src/logger";
import { createTavernServer, type TavernServer } from "../../src/server";
import { openDatabase, type Database } from "../../src/persistence/database";
import type { AnnouncementMessage, ClosingMessage, GuestSession, KnocksMessage } from "@tavern/shared/protocol";
import type { SpaceState } from "@tavern/shared/state";
import { toErrorBody, type ErrorBody } from "@tavern/shared/errors";
import { ProbeRoom, SlowCreateProbeRoom } from "./ProbeRoom";

/** TEST_PORT lets two checkouts run their integration suites side by side. */
export const TEST_PORT = Number(process.env["TEST_PORT"] ?? 2568);
export const ENDPOINT = `http://127.0.0.1:${TEST_PORT}`;
export const ADMIN = { user: "admin", password: "test-admin-password" };
/** The one origin the test server grants CORS to. */
export const TRUSTED_ORIGIN = "http://trusted.example";

export interface Harness {
  colyseus: ColyseusTestServer;
  tavern: TavernServer;
  database: Database;
}

let booted: Promise<Harness> | undefined;

export function harness(): Promise<Harness> {
  booted ??= (async () => {
    const config = loadConfig({
      NODE_ENV: "test",
      LOG_LEVEL: process.env["LOG_LEVEL"] ?? "silent",
      AUTH_SECRET: "test-secret-test-secret-test-secret-0123",
      ADMIN_PASSWORD: ADMIN.password,
      HTTP_RATE_LIMIT_PER_MINUTE: "100000",
      // Every test client shares 127.0.0.1; the per-player creation budget stays at its default.
      ROOM_CREATES_PER_MINUTE_PER_IP: "100000",
      CORS_ORIGINS: TRUSTED_ORIGIN,
      IMPORT_RATE_PER_PLAYER_PER_HOUR: "100000",
      IMPORT_RATE_PER_IP_PER_HOUR: "100000",
      SERVE_CLIENT: "false",
      // Short, so a test can watch a knock nobody answers run out.
      KNOCK_TIMEOUT_SECONDS: "3",
      // Cabo tests replay seeded deals.
      CABO_ALLOW_SEED: "true",
      // Webhook tests watch retries, timeouts and an endpoint disabled within seconds (no other test registers one).
      WEBHOOK_TIMEOUT_MS: "1000",
      WEBHOOK_MAX_ATTEMPTS: "3",
      WEBHOOK_RETRY_BASE_MS: "100",
      WEBHOOK_RETRY_MAX_MS: "400",
      WEBHOOK_DISABLE_AFTER_FAILURES: "2",
      // Their receivers listen on 127.0.0.1.
      WEBHOOK_ALLOW_LOOPBACK: "true",
      // A background write that fails is retried within milliseconds (the tries stay the default's).
      BACKGROUND_WRITE_RETRY_MS: "5",
    });
    const logger = createLogger(config.logLevel);
    // PGlite in memory; with DATABASE_URL set (as .ci/run does) the same tests run on PostgreSQL.
    const database = await openDatabase({ databaseUrl: process.env["DATABASE_URL"], pgliteDir: "memory://" }, logger);
    const tavern = createTavernServer(config, logger, {
      database,
      extraRooms: (define) => ({ probe: define("probe", ProbeRoom), "probe-slow-create": define("probe", SlowCreateProbeRoom) }),
    });
    // Not boot(): it always listens on 2568.
    await tavern.server.listen(TEST_PORT);
    const colyseus = new ColyseusTestServer(tavern.server);
    return { colyseus, tavern, database };
  })();
  return booted;
}

/** A new guest; with `deviceId`, signed in from that device (as a browser sends the one it keeps). */
export function signIn(name: string, deviceId?: string, character?: number): Promise<GuestSession> {
  return signInGuest(ENDPOINT, name, { deviceId, character });
}

/** An SDK client signed in as a guest (or with a given token). */
export function sdkClient(token?: string): Client {
  const client = new Client(ENDPOINT);
  if (token) client.auth.token = token;
  return client;
}

export interface Player {
  session: GuestSession;
  client: Client;
}

export async function newPlayer(name: string, deviceId?: string, character?: number): Promise<Player> {
  const session = await signIn(name, deviceId, character);
  return { session, client: sdkClient(session.token) };
}

export type SpaceRoomClient = Room<unknown, SpaceState>;

/** Resolves to the ErrorBody a promise rejected with; fails if it resolved. */
export async function errorOf(promise: Promise<unknown>): Promise<ErrorBody> {
  try {
    await promise;
  } catch (err) {
    return toErrorBody(err);
  }
  throw new Error("expected the call to fail, but it succeeded");
}

export { sleep, waitFor } from "./wait";

/** Leaves without hanging on an already-closed room (room.leave() never resolves then). */
export async function leaveQuietly(room: { connection: { isOpen: boolean }; leave: (c?: boolean) => Promise<number> }): Promise<void> {
  if (!room.connection.isOpen) return;
  await Promise.race([room.leave(true).catch(() => undefined), sleep(2000)]);
}

export async function httpJson(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON answers; a wrong field fails their assertion
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${ENDPOINT}${path}`, {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed };
}

/** Sum of a metric's series whose labels include `labels`, read from /metrics as an admin. */
export async function metricSum(name: string, labels = ""): Promise<number> {
  const auth = Buffer.from(`${ADMIN.user}:${ADMIN.password}`).toString("base64");
  const res = await httpJson("GET", "/metrics", undefined, { authorization: `Basic ${auth}` });
  return String(res.body)
    .split("\n")
    .filter((l) => l.startsWith(`${name}{`) && l.includes(labels))
    .reduce((sum, l) => sum + Number(l.split(" ").pop()), 0);
}

export interface Inbox {
  announcement: AnnouncementMessage[];
  closing: ClosingMessage[];
  error: ErrorBody[];
  /** Host only: the knocks waiting at a locked room's door, each list as sent. */
  knocks: KnocksMessage[];
  leaveCodes: number[];
}

const inboxes = new WeakMap<object, Inbox>();

/** Records what the server tells this room (and silences the SDK's "not registered" warnings). */
export function track<R extends SpaceRoomClient>(room: R): R {
  const inbox: Inbox = { announcement: [], closing: [], error: [], knocks: [], leaveCodes: [] };
  inboxes.set(room, inbox);
  room.onMessage("announcement", (m: AnnouncementMessage) => inbox.announcement.push(m));
  room.onMessage("closing", (m: ClosingMessage) => inbox.closing.push(m));
  room.onMessage("error", (m: ErrorBody) => inbox.error.push(m));
  room.onMessage("knocks", (m: KnocksMessage) => inbox.knocks.push(m));
  room.onLeave((code: number) => inbox.leaveCodes.push(code));
  return room;
}

export function inbox(room: object): Inbox {
  const found = inboxes.get(room);
  if (!found) throw new Error("room is not tracked: wrap it with track()");
  return found;
}

export async function createSpace(player: Player, config: Record<string, unknown> = {}, type = "space"): Promise<SpaceRoomClient> {
  const room = track((await player.client.create(type, { config })) as SpaceRoomClient);
  await waitFor("room code in state", () => Boolean(room.state.code));
  return room;
}

export async function joinSpace(
  player: Player,
  code: string,
  extra: Record<string, unknown> = {},
  type = "space",
): Promise<SpaceRoomClient> {
  const room = track((await player.client.join(type, { code, ...extra })) as SpaceRoomClient);
  await waitFor("first state", () => room.state?.players !== undefined);
  return room;
}

/** Cuts a client's socket from the server side, as a network failure would (the client sees 1006). */
export async function dropConnection(room: SpaceRoomClient): Promise<void> {
  const { colyseus } = await harness();
  const serverRoom = colyseus.getRoomById(room.roomId);
  const serverClient = serverRoom.clients.find((c) => c.sessionId === room.sessionId);
  if (!serverClient) throw new Error("no server-side client for this session");
  (serverClient as unknown as { ref: { terminate(): void } }).ref.terminate();
}

/**
 * For a describe block: boots the shared server before it and, after each test, leaves every room
 * pushed into the returned list.
 */
export function roomsLeftAfterEach(): { connection: { isOpen: boolean }; leave: (c?: boolean) => Promise<number> }[] {
  const rooms: { connection: { isOpen: boolean }; leave: (c?: boolean) => Promise<number> }[] = [];
  before(async () => {
    await harness();
  });
  afterEach(async () => {
    await Promise.all(rooms.splice(0).map(leaveQuietly));
  });
  return rooms;
}
