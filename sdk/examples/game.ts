/**
 * An external game that runs a match for a Tavern room, through the SDK:
 *
 *   npm run example:game -- --room KQ7XHD --key tvk_... [--url http://localhost:2567] [--rounds 3] [--interval 2]
 *
 * It reads the room, launches the game, moves the seated players to it, reports a status each
 * round with heartbeats in between, and ends the game with a result: everyone in the room sees
 * each step at once. Ctrl-C ends the game early (with an "abandoned" result). The key needs the
 * scopes rooms:read, players:write and games:write (npm run keys -- create ...).
 *
 * A game of its own would import "@tavern/game-sdk" instead of ../src/index.js.
 */
import { parseArgs } from "node:util";
import { setTimeout as sleep } from "node:timers/promises";
import { TavernApiError, TavernGameClient, type PlayerStatus } from "../src/index.js";

const USAGE = "npm run example:game -- --room CODE --key tvk_... [--url URL] [--rounds N] [--interval SECONDS]";

function usage(problem: string): never {
  console.error(`${problem}\n\n${USAGE}`);
  process.exit(2);
}

function readArgs() {
  try {
    return parseArgs({
      options: {
        room: { type: "string" },
        key: { type: "string" },
        url: { type: "string", default: process.env["TAVERN_URL"] ?? "http://localhost:2567" },
        rounds: { type: "string", default: "3" },
        interval: { type: "string", default: "2" },
        help: { type: "boolean", short: "h" },
      },
    }).values;
  } catch (err) {
    // An unknown or malformed option: one line saying which, then how to call it.
    return usage((err as Error).message);
  }
}

const values = readArgs();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const room = values.room ?? usage("--room is required (the room's code).");
const apiKey = values.key ?? process.env["TAVERN_API_KEY"] ?? usage("--key is required (or TAVERN_API_KEY).");
const rounds = Number(values.rounds);
const intervalMs = Number(values.interval) * 1000;
if (!Number.isInteger(rounds) || rounds < 1) usage(`--rounds must be a whole number >= 1, got "${values.rounds}".`);
if (!(intervalMs >= 0)) usage(`--interval must be a number of seconds >= 0, got "${values.interval}".`);

const tavern = new TavernGameClient({ baseUrl: values.url, apiKey });
const gameId = `dash-${Date.now().toString(36)}`;

async function play(): Promise<void> {
  const before = await tavern.players(room);
  const players = before.players.filter((p: PlayerStatus) => p.role !== "spectator");
  if (players.length === 0) throw new Error(`Room ${before.roomCode} has no players to play with.`);
  console.log(`room ${before.roomCode} (${before.roomType}), version ${before.version}: ${players.map((p) => p.name).join(", ")}`);

  const started = await tavern.gameStarted(room, { gameId }, { waitForBroadcast: true });
  console.log(`game ${gameId} started (version ${started.version}, clients told: ${started.broadcast})`);
  try {
    await run(players, started.version);
  } catch (err) {
    // Leave no game running in the room when this one failed half-way.
    await tavern.gameEnded(room, { gameId, result: { abandoned: true } }).catch(() => undefined);
    throw err;
  }
}

async function run(players: PlayerStatus[], startedVersion: number): Promise<void> {
  // Everyone to the game in one step, unless the room changed since the launch.
  const moved = await tavern.bulkUpdate(room, {
    players: players.map((p) => ({ playerId: p.playerId, location: "game", status: "choosing a hero" })),
    expectedVersion: startedVersion,
  });
  console.log(`${players.length} players in the game (version ${moved.version})`);

  const scores = new Map(players.map((p) => [p.playerId, 0]));
  let stopping = false;
  process.once("SIGINT", () => (stopping = true));
  for (let round = 1; round <= rounds && !stopping; round++) {
    await sleep(intervalMs);
    await tavern.heartbeat(room);
    const player = players[(round - 1) % players.length]!;
    const points = (scores.get(player.playerId) ?? 0) + 1 + Math.floor(Math.random() * 10);
    scores.set(player.playerId, points);
    const reply = await tavern.setPlayer(room, player.playerId, { status: `round ${round}: ${points} points` });
    console.log(`round ${round}: ${player.name} has ${points} points (version ${reply.version})`);
  }

  const [winner] = [...scores].sort((a, b) => b[1] - a[1]);
  const winnerName = players.find((p) => p.playerId === winner![0])?.name ?? "someone";
  // `summary` is what the room panel shows of a result; the rest is for programs.
  const result = stopping
    ? { abandoned: true, summary: "The game was abandoned." }
    : { summary: `${winnerName} wins with ${winner![1]} points`, winner: winner![0], scores: Object.fromEntries(scores) };
  const ended = await tavern.gameEnded(room, { gameId, result }, { waitForBroadcast: true });
  console.log(`game ${gameId} ended (version ${ended.version}): ${JSON.stringify(result)}`);
}

play().catch((err: unknown) => {
  if (err instanceof TavernApiError) console.error(`Tavern refused: ${err.status} ${err.code}: ${err.message}`);
  else console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
