/**
 * Benchmark (not a test): platform API status writes against one room at a fixed rate (open loop:
 * requests go out on schedule whether or not earlier ones were answered), with waitForBroadcast
 * off and then on, in one run against one server. Prints latency percentiles, the rate reached,
 * refusals, the server's CPU and this driver's own CPU (so a reader knows when the driver is the
 * bottleneck), and checks that a client in the room decoded the last write.
 *
 *   npm run bench:status -- [--rate 1000] [--seconds 30]
 */
import { parseArgs } from "node:util";
import { Client, type Room } from "@colyseus/sdk";
import { signInGuest } from "@tavern/shared/guestSignIn";
import type { LobbyState } from "@tavern/shared/state";
import { startServer } from "../server";
import { cpuBetween, readCpu } from "../serverSampler";
import { summarize } from "../stats";

const { values } = parseArgs({
  options: {
    rate: { type: "string", default: "1000" },
    seconds: { type: "string", default: "30" },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  console.log("npm run bench:status -- [--rate N] [--seconds S]   platform status writes/s against one room, waitForBroadcast off and on");
  process.exit(0);
}
const rate = Number(values.rate);
const seconds = Number(values.seconds);
if (!Number.isInteger(rate) || rate < 1 || rate > 20_000) {
  console.error(`--rate must be a whole number from 1 to 20000 (got "${values.rate}")`);
  process.exit(2);
}
if (!(seconds >= 1 && seconds <= 600)) {
  console.error(`--seconds must be from 1 to 600 (got "${values.seconds}")`);
  process.exit(2);
}

// Node's fetch keeps connections alive and opens as many as the requests in flight need.
const unlimited = "1000000";
const server = await startServer(Date.now() + 60_000, {
  PLATFORM_READS_PER_MINUTE: unlimited,
  PLATFORM_STATUS_WRITES_PER_MINUTE: unlimited,
  PLATFORM_BULK_WRITES_PER_MINUTE: unlimited,
  PLATFORM_HEARTBEATS_PER_MINUTE: unlimited,
});
const { endpoint } = server;
/** Writes sent over both phases: each carries a distinct status, the last one is checked on the client. */
let sentSoFar = 0;
const admin = `Basic ${Buffer.from(`admin:${server.adminPassword}`).toString("base64")}`;

interface Phase {
  label: string;
  sent: number;
  ok: number;
  refused: Map<string, number>;
  latencies: number[];
  wallMs: number;
  serverCpu: number | null;
  driverCpu: number;
  broadcastTrue: number;
}

try {
  const made = await fetch(`${endpoint}/admin/api-keys`, {
    method: "POST",
    headers: { authorization: admin, "content-type": "application/json" },
    body: JSON.stringify({ name: "bench", scopes: ["players:write", "rooms:read"] }),
  });
  const { key } = (await made.json()) as { key: string };
  const session = await signInGuest(endpoint, "bench-player", {});
  const client = new Client(endpoint);
  client.auth.token = session.token;
  const room = (await client.create("space", {})) as Room<unknown, LobbyState>;
  for (const type of ["announcement", "closing", "error", "knocks"]) room.onMessage(type, () => undefined);
  await new Promise<void>((resolve) => (room.state?.code ? resolve() : room.onStateChange.once(() => resolve())));
  const url = `${endpoint}/api/v1/games/rooms/${room.state.code}/players/${session.playerId}`;
  process.stdout.write(`bench:status: ${rate} writes/s for ${seconds} s per phase against ${endpoint} (room ${room.state.code})\n`);

  const phases: Phase[] = [];
  for (const wait of [false, true]) {
    const phase = await runPhase(
      url + (wait ? "?waitForBroadcast=true" : ""),
      key,
      wait ? "waitForBroadcast=true" : "waitForBroadcast off",
      wait,
    );
    phases.push(phase);
  }
  // The client decoded the last write: the bench measured writes that reached the room's clients.
  const last = `w-${phases.reduce((n, p) => n + p.sent, 0) - 1}`;
  await new Promise((resolve) => setTimeout(resolve, 500));
  const decoded = room.state.players.get(session.playerId)?.status;
  const f = (v: number | null) => (v === null ? "-" : v.toFixed(1));
  process.stdout.write("\n| mode | sent | ok | writes/s | p50 ms | p95 ms | p99 ms | max ms | server CPU % | driver CPU % | refused |\n");
  process.stdout.write("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
  for (const p of phases) {
    const s = summarize(p.latencies);
    const refused = [...p.refused].map(([code, n]) => `${code} ${n}`).join(", ") || "none";
    process.stdout.write(
      `| ${p.label} | ${p.sent} | ${p.ok} | ${Math.round((p.ok * 1000) / p.wallMs)} | ${f(s.p50)} | ${f(s.p95)} | ${f(s.p99)} | ${f(s.max)} | ${f(p.serverCpu)} | ${f(p.driverCpu)} | ${refused} |\n`,
    );
  }
  const withWait = phases[1]!;
  process.stdout.write(`\nwaitForBroadcast replies that said broadcast: true: ${withWait.broadcastTrue} of ${withWait.ok}\n`);
  process.stdout.write(
    `the room's client decoded the last write: ${decoded === last ? "yes" : `no (it holds "${decoded}", expected "${last}")`}\n`,
  );
  await room.leave(true);
  const failed = phases.some((p) => p.ok < p.sent * 0.99) || decoded !== last;
  if (failed) process.stdout.write("FAIL: more than 1 % of writes failed, or the client did not see the last one\n");
  process.exitCode = failed ? 1 : 0;
} finally {
  await server.stop();
}

async function runPhase(url: string, key: string, label: string, wait: boolean): Promise<Phase> {
  const phase: Phase = {
    label,
    sent: 0,
    ok: 0,
    refused: new Map(),
    latencies: [],
    wallMs: 0,
    serverCpu: null,
    driverCpu: 0,
    broadcastTrue: 0,
  };
  const metrics = [{ metricsUrl: `${endpoint}/metrics`, authorization: admin }];
  const cpuBefore = await readCpu(metrics);
  const driverBefore = process.cpuUsage();
  const started = performance.now();
  const total = Math.round(rate * seconds);
  const inFlight: Promise<void>[] = [];
  const offset = sentSoFar;
  // Ticks of 10 ms, each sending what the schedule owes by then.
  while (phase.sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate) + 1);
    while (phase.sent < due) {
      const n = offset + phase.sent++;
      inFlight.push(send(url, key, `w-${n}`, phase, wait));
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await Promise.all(inFlight);
  sentSoFar = offset + phase.sent;
  phase.wallMs = performance.now() - started;
  phase.serverCpu = cpuBetween(cpuBefore, await readCpu(metrics)).percent;
  const driver = process.cpuUsage(driverBefore);
  phase.driverCpu = (100 * (driver.user + driver.system)) / 1000 / phase.wallMs;
  return phase;
}

async function send(url: string, key: string, status: string, phase: Phase, wait: boolean): Promise<void> {
  const t0 = performance.now();
  try {
    const res = await fetch(url, {
      method: "PUT",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ status }),
    });
    const body = (await res.json()) as { code?: string; broadcast?: boolean };
    phase.latencies.push(performance.now() - t0);
    if (res.ok) {
      phase.ok++;
      if (wait && body.broadcast === true) phase.broadcastTrue++;
    } else phase.refused.set(body.code ?? String(res.status), (phase.refused.get(body.code ?? String(res.status)) ?? 0) + 1);
  } catch (err) {
    const code = (err as Error).cause ? String(((err as Error).cause as { code?: string }).code ?? "network") : "network";
    phase.refused.set(code, (phase.refused.get(code) ?? 0) + 1);
  }
}
