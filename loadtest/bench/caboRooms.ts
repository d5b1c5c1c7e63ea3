/**
 * Benchmark (not a test): many Cabo rooms of bots playing at full speed against one Tavern process
 * (a child process, as the load scripts start it). Every bot decodes its room's state and plays from
 * what it sees: its turn, its step, its own drawn card. Prints moves per second, the move round trip
 * (request sent to answer received) and the server's CPU; exits 1 if a move failed unexpectedly or
 * no round ended.
 *
 *   npm run bench:cabo -- [--rooms 100] [--bots 4] [--seconds 20]
 */
import { parseArgs } from "node:util";
import { Client, type Room } from "@colyseus/sdk";
import { CaboState } from "@tavern/shared/cabo/state";
import type { CaboMove } from "@tavern/shared/cabo/moves";
import { signInGuest } from "@tavern/shared/guestSignIn";
import { toErrorBody } from "@tavern/shared/errors";
import { startServer } from "../server";
import { cpuBetween, readCpu } from "../serverSampler";
import { summarize } from "../stats";

const { values } = parseArgs({
  options: {
    rooms: { type: "string", default: "100" },
    bots: { type: "string", default: "4" },
    seconds: { type: "string", default: "20" },
  },
});
const rooms = Number(values.rooms);
const bots = Number(values.bots);
const seconds = Number(values.seconds);
if (![rooms, bots, seconds].every((n) => Number.isInteger(n) && n > 0) || bots < 2 || bots > 6) {
  process.stderr.write("bench:cabo: --rooms and --seconds are positive integers, --bots 2 to 6\n");
  process.exit(2);
}

type CaboRoom = Room<unknown, CaboState>;
interface Bot {
  room: CaboRoom;
  id: string;
  busy: boolean;
  /** A bot acts again only once a patch has shown it the effect of its last move. */
  stale: boolean;
  turns: number;
}

const server = await startServer(Date.now() + 60_000);
const endpoint = server.endpoint;
const rtts: number[] = [];
const refusals = new Map<string, number>();
let failures = 0;
let moves = 0;
let running = true;

try {
  process.stdout.write(`bench:cabo: ${rooms} rooms x ${bots} bots for ${seconds} s against ${endpoint}\n`);
  const tables: Bot[][] = [];
  for (let r = 0; r < rooms; r++) {
    const table: Bot[] = [];
    for (let b = 0; b < bots; b++) {
      const session = await signInGuest(endpoint, `bot${r}-${b}`, {});
      const client = new Client(endpoint);
      client.auth.token = session.token;
      const room =
        b === 0
          ? await client.create("cabo", { cabo: { peekSeconds: 0, turnSeconds: 30 }, roundPauseSeconds: 1 }, CaboState)
          : await client.join("cabo", { code: table[0]!.room.state.code }, CaboState);
      for (const type of ["announcement", "closing", "error", "knocks"]) room.onMessage(type, () => undefined);
      await new Promise<void>((resolve) => (room.state?.code ? resolve() : room.onStateChange.once(() => resolve())));
      const bot: Bot = { room, id: session.playerId, busy: false, stale: false, turns: 0 };
      room.onStateChange(() => (bot.stale = false));
      table.push(bot);
    }
    await Promise.all(table.slice(1).map((bot) => bot.room.send("ready", { ready: true })));
    tables.push(table);
    if ((r + 1) % 20 === 0) process.stdout.write(`  ${r + 1}/${rooms} rooms seated\n`);
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
  for (const table of tables) await table[0]!.room.request("start", {});

  const authorization = `Basic ${Buffer.from(`admin:${server.adminPassword}`).toString("base64")}`;
  const metrics = [{ metricsUrl: `${endpoint}/metrics`, authorization }];
  const cpuBefore = await readCpu(metrics);
  const driverBefore = process.cpuUsage();
  const started = performance.now();
  const tickers = tables.flat().map((bot) => setInterval(() => void act(bot), 20));
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  running = false;
  for (const t of tickers) clearInterval(t);
  const wall = performance.now() - started;
  const cpu = cpuBetween(cpuBefore, await readCpu(metrics));
  const driver = process.cpuUsage(driverBefore);
  const roundsDone = tables.reduce((n, table) => n + (table[0]!.room.state.game.history.length ?? 0), 0);
  const rtt = summarize(rtts);
  const f = (v: number | null) => (v === null ? "-" : v.toFixed(1));
  process.stdout.write(
    [
      "",
      `moves: ${moves} in ${(wall / 1000).toFixed(1)} s = ${Math.round((moves * 1000) / wall)} moves/s; rounds ended: ${roundsDone}`,
      `move round trip ms: p50 ${f(rtt.p50)} · p95 ${f(rtt.p95)} · p99 ${f(rtt.p99)} · max ${f(rtt.max)}`,
      `server CPU: ${f(cpu.percent)} % of one core (${Math.round(cpu.cpuMs)} ms)`,
      `load driver CPU: ${f((100 * (driver.user + driver.system)) / 1000 / wall)} % of one core (it decodes every bot's state)`,
      `refused moves (a bot acting on a state the room had moved past): ${[...refusals].map(([c, n]) => `${c} ${n}`).join(", ") || "none"}`,
      `failed moves: ${failures}`,
      "",
    ].join("\n"),
  );
  for (const table of tables) for (const bot of table) await bot.room.leave(true).catch(() => undefined);
  process.exitCode = failures > 0 || roundsDone === 0 ? 1 : 0;
} finally {
  await server.stop();
}

/** One bot's decision from what it decoded: setup done, draw, then swap or discard; Cabo after a few turns. */
function moveOf(bot: Bot): CaboMove | undefined {
  const game = bot.room.state.game;
  if (game.phase === "setup" && !game.setupDone.includes(bot.id)) return { type: "setupDone" };
  if (game.phase !== "turn" || game.turnSeat !== bot.id) return undefined;
  if (game.turnStep === "window") return { type: "closeWindow" };
  if (game.turnStep === "action")
    return bot.turns >= 3 && game.caboAllowed && Math.random() < 0.1 ? { type: "callCabo" } : { type: "draw" };
  const drawn = bot.room.state.secrets?.get(bot.id)?.drawn ?? -1;
  const me = game.players.find((p) => p.seat === bot.id);
  const first = me?.hand.findIndex((slot) => slot.present) ?? -1;
  // Low cards are kept, high ones thrown away.
  return drawn >= 0 && drawn <= 4 && first >= 0 ? { type: "swap", positions: [first] } : { type: "discard" };
}

async function act(bot: Bot): Promise<void> {
  if (!running || bot.busy || bot.stale) return;
  const move = moveOf(bot);
  if (!move) return;
  bot.busy = true;
  const sent = performance.now();
  try {
    bot.stale = true;
    await bot.room.request("move", move);
    rtts.push(performance.now() - sent);
    moves++;
    if (move.type === "discard" || move.type === "swap") bot.turns++;
  } catch (err) {
    const code = toErrorBody(err).code;
    if (code === "NOT_YOUR_TURN" || code === "INVALID_MOVE" || code === "INVALID_PHASE") refusals.set(code, (refusals.get(code) ?? 0) + 1);
    else failures++;
  } finally {
    bot.busy = false;
  }
}
