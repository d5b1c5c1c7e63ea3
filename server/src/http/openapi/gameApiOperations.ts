/**
 * The game API's operations as documented (routes in ../gameApi.ts). A test checks that every
 * route of the game API's router is here, with the same scope and rate tier.
 */
import { z } from "zod";
import {
  bulkStatusBodySchema,
  playerStatusViewSchema,
  gameEndedBodySchema,
  gameStartedBodySchema,
  heartbeatBodySchema,
  playerStatusBodySchema,
  roomPlayersReplySchema,
  writeReplySchema,
} from "@tavern/shared/platform";
import { GAME_API_BASE } from "../gameApi";
import { documented } from "./components";
import type { ApiOperation } from "./operations";

const roomCode = documented(z.string(), {
  param: { description: "The room's 6-character code (case and look-alike letters are forgiven)." },
  example: "KQ7XHD",
});
const playerId = documented(z.string(), { param: { description: "A seated player's id (`players[].playerId` of the read)." } });
const writeReply = documented(writeReplySchema, { refId: "WriteReply" });
// Named so a player has a name of its own in the document (and in generated clients). The nullable
// parts (currentGame, lastResult) stay inline: a named schema under .nullable() loses its null.
documented(playerStatusViewSchema, { refId: "PlayerStatusView" });

const WRITE_ERRORS = [400, 401, 403, 404, 409, 422, 429, 500, 503] as const;
const tags = ["Game API"];
const written = { status: 200, schema: writeReply, description: "Applied: the room's version after the write." } as const;

export const GAME_API_OPERATIONS: readonly ApiOperation[] = [
  {
    method: "get",
    path: `${GAME_API_BASE}/rooms/:code/players`,
    operationId: "players",
    summary: "Read the room's players, their locations and statuses, and its current game",
    tags,
    scope: "rooms:read",
    tier: "reads",
    params: { code: roomCode },
    reply: {
      status: 200,
      schema: documented(roomPlayersReplySchema, { refId: "RoomPlayersReply" }),
      description: "The room as it is now.",
    },
    write: false,
    errors: [401, 403, 404, 429, 500, 503],
  },
  {
    method: "put",
    path: `${GAME_API_BASE}/rooms/:code/players/:playerId`,
    operationId: "setPlayer",
    summary: "Report one player's location and/or status",
    description: "`location` is `lobby` or `game` (`disconnected` is the room's to say). One version step.",
    tags,
    scope: "players:write",
    tier: "statusWrites",
    params: { code: roomCode, playerId },
    body: documented(playerStatusBodySchema, { refId: "PlayerStatusBody" }),
    reply: written,
    write: true,
    errors: WRITE_ERRORS,
  },
  {
    method: "post",
    path: `${GAME_API_BASE}/rooms/:code/players`,
    operationId: "bulkUpdate",
    summary: "Report many players at once: all or none, one version step",
    description: "Any refusal (an unknown player, a spectator sent to the game, a stale expectedVersion) changes nothing.",
    tags,
    scope: "players:write",
    tier: "bulkWrites",
    params: { code: roomCode },
    body: documented(bulkStatusBodySchema, { refId: "BulkStatusBody" }),
    reply: written,
    write: true,
    errors: WRITE_ERRORS,
  },
  {
    method: "post",
    path: `${GAME_API_BASE}/rooms/:code/heartbeat`,
    operationId: "heartbeat",
    summary: "Say the game (and these players) are alive: lastSeenAt becomes now",
    description:
      "Moves no version. Without `playerIds`, every player whose location is `game` counts as seen; an unknown player id is 404 and changes nothing.",
    tags,
    scope: "players:write",
    tier: "heartbeats",
    params: { code: roomCode },
    body: documented(heartbeatBodySchema, { refId: "HeartbeatBody" }),
    reply: written,
    write: true,
    errors: WRITE_ERRORS,
  },
  {
    method: "post",
    path: `${GAME_API_BASE}/rooms/:code/game/started`,
    operationId: "gameStarted",
    summary: "The external game started in this room",
    description:
      "Sets the room's current game (shown to its clients). Repeating it for the running game keeps startedAt and sets url anew; another gameId while one runs is 409 INVALID_PHASE.",
    tags,
    scope: "games:write",
    tier: "statusWrites",
    params: { code: roomCode },
    body: documented(gameStartedBodySchema, { refId: "GameStartedBody" }),
    reply: written,
    write: true,
    errors: WRITE_ERRORS,
  },
  {
    method: "post",
    path: `${GAME_API_BASE}/rooms/:code/game/ended`,
    operationId: "gameEnded",
    summary: "The external game ended, with its result: everyone goes back to the lobby",
    description:
      "The result (any JSON object up to 4096 bytes) becomes the room's last result. Ending a game that is not running is 409 INVALID_PHASE.",
    tags,
    scope: "games:write",
    tier: "statusWrites",
    params: { code: roomCode },
    body: documented(gameEndedBodySchema, { refId: "GameEndedBody" }),
    reply: written,
    write: true,
    errors: WRITE_ERRORS,
  },
];
