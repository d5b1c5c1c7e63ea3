/**
 * The platform API external games call, under /api/v1/games, with `Authorization: Bearer tvk_...`:
 * read a room's players, report one player's or many players' location and status, heartbeats,
 * the game's start and end. Each request is authenticated, checked against the key's scopes and
 * room, rate-limited by tier, made idempotent by its Idempotency-Key, and carried to the room
 * through the matchmaker (whichever process holds it), which applies it in one step.
 */
import { Router, type Application, type Request, type Response } from "express";
import type { z } from "zod";
import { matchMaker } from "@colyseus/core";
import { HTTP_STATUS, TavernError, type ErrorBody } from "@tavern/shared/errors";
import {
  bulkStatusBodySchema,
  gameEndedBodySchema,
  gameStartedBodySchema,
  heartbeatBodySchema,
  playerStatusBodySchema,
  type ApiKeyScope,
  type GameWrite,
  type RoomPlayersReply,
} from "@tavern/shared/platform";
import { isRoomCode, normalizeRoomCode } from "@tavern/shared/roomCodes";
import { describeZodError } from "../domain/validation";
import type { GameWriteOutcome } from "../lifecycle/roomPresence";
import { BROADCAST_WAIT_MS } from "../lifecycle/roomPresence";
import { IDEMPOTENCY_KEY_PATTERN, IdempotencyStore, type StoredReply } from "../platform/idempotency";
import type { RoomServices } from "../services";
import { authenticate as authenticateCaller, metered } from "./platformRoute";
import { callerOf, type LimitTier, type PlatformLimiters } from "./platformLimits";

export const GAME_API_BASE = "/api/v1/games";
/** Room calls cross processes; a write that waits for its broadcast needs that long and a margin. */
const ROOM_CALL_TIMEOUT_MS = BROADCAST_WAIT_MS + 3000;

interface WriteRoute {
  path: string;
  method: "put" | "post";
  scope: ApiKeyScope;
  tier: LimitTier;
  toWrite(req: Request): GameWrite;
}

const parse = <S extends z.ZodType>(schema: S, body: unknown): z.output<S> => {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) throw new TavernError("VALIDATION_ERROR", describeZodError(parsed.error));
  return parsed.data;
};

/** Every write of the API: its route, what it needs, and the room write it becomes. */
const WRITE_ROUTES: readonly WriteRoute[] = [
  {
    path: "/rooms/:code/players/:playerId",
    method: "put",
    scope: "players:write",
    tier: "statusWrites",
    toWrite: (req) => {
      const { expectedVersion, ...update } = parse(playerStatusBodySchema, req.body);
      return { kind: "players", players: [{ playerId: String(req.params["playerId"]), ...update }], expectedVersion };
    },
  },
  {
    path: "/rooms/:code/players",
    method: "post",
    scope: "players:write",
    tier: "bulkWrites",
    toWrite: (req) => {
      const { players, expectedVersion } = parse(bulkStatusBodySchema, req.body);
      return { kind: "players", players, expectedVersion };
    },
  },
  {
    path: "/rooms/:code/heartbeat",
    method: "post",
    scope: "players:write",
    tier: "heartbeats",
    toWrite: (req) => ({ kind: "heartbeat", playerIds: parse(heartbeatBodySchema, req.body).playerIds }),
  },
  {
    path: "/rooms/:code/game/started",
    method: "post",
    scope: "games:write",
    tier: "statusWrites",
    toWrite: (req) => ({ kind: "gameStarted", ...parse(gameStartedBodySchema, req.body) }),
  },
  {
    path: "/rooms/:code/game/ended",
    method: "post",
    scope: "games:write",
    tier: "statusWrites",
    toWrite: (req) => ({ kind: "gameEnded", ...parse(gameEndedBodySchema, req.body) }),
  },
];

const READ_ROUTE = { path: "/rooms/:code/players", method: "get", scope: "rooms:read", tier: "reads" } as const;

export interface GameApiRoute {
  method: string;
  path: string;
  scope: ApiKeyScope;
  tier: LimitTier;
}

/** The routes with what they need, for the OpenAPI document and its completeness test. */
export const GAME_API_ROUTES: readonly GameApiRoute[] = [
  READ_ROUTE,
  ...WRITE_ROUTES.map(({ method, path, scope, tier }) => ({ method, path, scope, tier })),
];

export function mountGameApi(app: Application, svc: RoomServices, limiters: PlatformLimiters): void {
  app.use(GAME_API_BASE, gameApiRouter(svc, limiters));
}

/** The game API's router (relative to GAME_API_BASE); the OpenAPI test reads its route list. */
export function gameApiRouter(svc: RoomServices, limiters: PlatformLimiters): Router {
  const router = Router({ mergeParams: true });

  const authenticate = (scope: ApiKeyScope) => authenticateCaller(svc, scope);

  router.get(
    READ_ROUTE.path,
    metered(svc, READ_ROUTE.path),
    authenticate(READ_ROUTE.scope),
    limiters.tier(READ_ROUTE.tier),
    async (req, res) => {
      const roomId = await openRoomId(svc, String(req.params["code"]));
      res.json(await callRoom<RoomPlayersReply>(roomId, "gamePlayers", []));
    },
  );

  for (const route of WRITE_ROUTES) {
    router[route.method](route.path, metered(svc, route.path), authenticate(route.scope), limiters.tier(route.tier), async (req, res) => {
      const run = async (dedupeKey: string | undefined): Promise<StoredReply> => {
        const write = route.toWrite(req);
        const roomId = await openRoomId(svc, String(req.params["code"]));
        const wait = req.query["waitForBroadcast"] === "true";
        const outcome = await callRoom<GameWriteOutcome>(roomId, "gameWrite", [write, wait, callerOf(req).keyId, dedupeKey]);
        return outcome.ok ? { status: 200, body: outcome.reply } : errorReply(outcome.error);
      };
      sendReply(res, await idempotently(svc.idempotency, req, route.path, run));
    });
  }
  return router;
}

/** Runs the write once per Idempotency-Key (see platform/idempotency.ts); without a key, just runs it. */
async function idempotently(
  store: IdempotencyStore,
  req: Request,
  route: string,
  run: (dedupeKey: string | undefined) => Promise<StoredReply>,
): Promise<StoredReply & { replayed?: boolean }> {
  const key = req.get("Idempotency-Key");
  if (key === undefined) return run(undefined);
  if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
    throw new TavernError("VALIDATION_ERROR", "Idempotency-Key must be 1 to 128 characters: letters, digits, _ . : or -.");
  }
  const { lineage } = callerOf(req);
  const claim = await store.claim(lineage, key, IdempotencyStore.fingerprint(req.method, `${route} ${req.path}`, req.body));
  if (claim.kind === "repeat") return { ...claim.reply, replayed: true };
  let reply: StoredReply;
  try {
    reply = await run(`${lineage}:${key}`);
  } catch (err) {
    const body = err instanceof TavernError ? err.toBody() : undefined;
    // A refusal is an answer and is kept; a fault is not, so the retry runs the write again.
    if (body && !isRetryable(HTTP_STATUS[body.code])) await store.settle(lineage, key, errorReply(body), true);
    else await store.settle(lineage, key, { status: 0, body: null }, false);
    throw err;
  }
  await store.settle(lineage, key, reply, !isRetryable(reply.status));
  return reply;
}

const isRetryable = (status: number) => status === 429 || status >= 500;

function errorReply(error: ErrorBody): StoredReply {
  return { status: HTTP_STATUS[error.code], body: error };
}

function sendReply(res: Response, reply: StoredReply & { replayed?: boolean }): void {
  if (reply.replayed) res.set("Idempotent-Replayed", "true");
  const body = reply.body as ErrorBody | undefined;
  if (reply.status >= 400 && body && typeof body === "object" && "code" in body) {
    res.status(reply.status).json({ ...body, retryable: body.retryable ?? false });
    return;
  }
  res.status(reply.status).json(reply.body);
}

/** The id of the open room with this code (platform calls reach open rooms only). */
async function openRoomId(svc: RoomServices, raw: string): Promise<string> {
  const code = normalizeRoomCode(raw);
  if (!isRoomCode(code)) throw new TavernError("NOT_FOUND", `"${raw}" is not a room code.`);
  const roomId = await svc.codes.resolve(code);
  const [listing] = roomId ? await matchMaker.query({ roomId }) : [];
  if (!roomId || !listing || listing.name === "lobby") throw new TavernError("NOT_FOUND", `No open room has the code ${code}.`);
  return roomId;
}

async function callRoom<T>(roomId: string, method: string, args: unknown[]): Promise<T> {
  try {
    return (await matchMaker.remoteRoomCall(roomId, method, args, ROOM_CALL_TIMEOUT_MS)) as T;
  } catch {
    throw new TavernError("UNAVAILABLE", "The room did not answer (it may have just closed or its process is busy): retry shortly.");
  }
}
