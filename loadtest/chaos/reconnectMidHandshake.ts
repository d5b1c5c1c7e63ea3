/**
 * Reproduces the chaos run's seat-not-returned finding on its own, deterministically:
 * `npm run chaos:handshake [-- after-join]` (exit 0: the seat came back; 1: not).
 *
 * One client joins through the proxy (300 ms each way); its connection is reset; the SDK's
 * reconnection opens a new WebSocket, and once the upgrade has reached the server (which rotates
 * the reconnection token as it accepts it) that connection is reset too, before the reply with
 * the new token can arrive. The network then heals, well within the 30 s grace.
 *
 * With the argument `after-join` the first reset comes instead 50 ms after the join resolved,
 * while the client's acknowledgement of the join is still on its way to the server, and there is
 * no second reset.
 *
 * In both cases the SDK's token cannot bring the client back (Colyseus never saw the join, or the
 * reconnection, acknowledged), so once the SDK gives up the client joins by code again with the
 * same identity, as Tavern's client does: the server held the seat for that, and the check is
 * that the seat that comes back is the one from before (the same joinedAt), not a new one.
 */
import { Client, CloseCode, type Room } from "@colyseus/sdk";
import { SpaceState } from "@tavern/shared/state";
import { leaveQuietly, roomCodeOf, signIn, sleep } from "../clientKit";
import { startServer } from "../server";
import { ChaosProxy } from "./proxy";
import { NO_FAULTS } from "./schedule";

console.info = () => {}; // the SDK's reconnection narration
const server = await startServer(Date.now() + 30_000, { LOG_LEVEL: process.env["LOG_LEVEL"] ?? "warn" });
const proxy = await ChaosProxy.start({
  targetHost: "127.0.0.1",
  targetPort: Number(new URL(server.endpoint).port),
  seed: 1,
  faults: { ...NO_FAULTS, latencyMinMs: 300, latencyMaxMs: 300 },
});
let room: Room<unknown, SpaceState> | undefined;
let observer: Room<unknown, SpaceState> | undefined;
const events: string[] = [];
const started = Date.now();
const log = (event: string) => events.push(`${Date.now() - started} ms ${event}`);
let returned: "reconnection" | "rejoin" | undefined;
try {
  // An observer connected straight to the server keeps the room from being disposed when the other client drops.
  const host = await signIn(server.endpoint, "observer", Date.now() + 10_000);
  const direct = new Client(server.endpoint);
  direct.auth.token = host.token;
  observer = (await direct.create("space", {}, SpaceState)) as Room<unknown, SpaceState>;
  const code = await roomCodeOf(observer);
  const session = await signIn(proxy.endpoint, "repro", Date.now() + 10_000);
  const client = new Client(proxy.endpoint);
  client.auth.token = session.token;
  room = (await client.join("space", { code }, SpaceState)) as Room<unknown, SpaceState>;
  const joinResolvedAt = Date.now();
  const first = room;
  // The seat as the observer sees it: the client itself may drop before its first state arrives.
  const watcher = observer;
  await until(() => seatOf(watcher, session.playerId) !== undefined);
  const joinedAt = seatOf(watcher, session.playerId);
  room.reconnection.minUptime = 0;
  room.onDrop((code) => log(`drop ${code}`));
  room.onReconnect(() => {
    returned = seatOf(first, session.playerId) === joinedAt ? "reconnection" : undefined;
    log(`reconnected ${returned ? "to the same seat" : "to ANOTHER seat"}`);
  });
  room.onLeave((leftCode, reason) => {
    log(`left ${leftCode} ${reason ?? ""}`);
    if (leftCode === CloseCode.CONSENTED) return;
    void (async () => {
      room = (await client.join("space", { code }, SpaceState)) as Room<unknown, SpaceState>;
      const again = room;
      await until(() => seatOf(again, session.playerId) !== undefined);
      const same = seatOf(again, session.playerId) === joinedAt;
      if (same) returned = "rejoin";
      log(`rejoined by code: ${same ? "the same seat" : "a NEW seat"}`);
    })().catch((err: unknown) => log(`rejoin refused: ${String(err)}`));
  });
  const afterJoin = process.argv[2] === "after-join";
  await sleep(afterJoin ? 50 - (Date.now() - joinResolvedAt) : 1000);
  const connections = proxy.counters.connections;
  log("reset");
  proxy.resetAll();
  if (afterJoin) {
    await sleep(500);
  } else {
    await secondReset(connections);
  }
  proxy.heal();
  log("healed");
  await sleep(8000);
  log(returned ? `seat back (by ${returned})` : "seat NOT back (the grace is 30 s)");
} finally {
  if (room) await leaveQuietly(room);
  if (observer) await leaveQuietly(observer);
  await proxy.close();
  await server.stop();
}
process.stdout.write(events.join("\n") + "\n");
if (process.env["LOG_LEVEL"]) process.stdout.write(server.log().tail.join("\n") + "\n");
process.exitCode = returned ? 0 : 1;

/** When this client's own seat was made, as its decoded state says (undefined until it does). */
function seatOf(r: Room<unknown, SpaceState>, playerId: string): number | undefined {
  return r.state?.players?.get(playerId)?.joinedAt;
}

async function until(done: () => boolean): Promise<void> {
  const limit = Date.now() + 10_000;
  while (!done() && Date.now() < limit) await sleep(20);
}

/** Resets the reconnection's WebSocket once its upgrade has reached the server, before the answer is back. */
async function secondReset(connections: number): Promise<void> {
  while (proxy.counters.connections === connections) await sleep(5);
  const bytesUp = proxy.counters.bytesUp;
  while (proxy.counters.bytesUp === bytesUp) await sleep(5);
  await sleep(100); // the server has the upgrade; its answer is 300 ms away from the client
  log("reset of the reconnection's WebSocket");
  proxy.resetAll();
  await sleep(500);
}
