/**
 * A soak split over worker threads: which rooms each worker runs, and how their results merge
 * back into one SoakResult, as if one thread had run every client. Pure, so it is tested alone.
 */
import type { ServerSample } from "../serverSampler";
import { summarize } from "../stats";
import type { SoakResult, SoakWindow } from "./soak";
import type { TargetName } from "./target";

/** One worker's rooms: global indices firstRoom .. firstRoom + rooms - 1. */
export interface RoomShare {
  firstRoom: number;
  rooms: number;
}

/** Whole rooms per worker, contiguous, sizes differing by at most one (the first workers take the extra). */
export function splitRooms(rooms: number, workers: number): RoomShare[] {
  if (!(Number.isInteger(rooms) && Number.isInteger(workers) && workers >= 1 && rooms >= workers)) {
    throw new RangeError(`cannot split ${rooms} rooms over ${workers} workers`);
  }
  const shares: RoomShare[] = [];
  let next = 0;
  for (let w = 0; w < workers; w++) {
    const count = Math.floor(rooms / workers) + (w < rooms % workers ? 1 : 0);
    shares.push({ firstRoom: next, rooms: count });
    next += count;
  }
  return shares;
}

/** Joins in flight per worker so that all workers together keep about the asked-for number in flight. */
export function joinConcurrencyPerWorker(total: number, workers: number): number {
  return Math.max(1, Math.ceil(total / workers));
}

/** What one worker sends back: its soak's result and the raw numbers of its window. */
export interface SoakShare {
  result: SoakResult;
  window: SoakWindow;
}

/** What only the main thread knows: the whole run's shape, the server's samples, the process's CPU. */
export interface MergeContext {
  target: TargetName;
  endpoint: string;
  startedAt: string;
  rooms: number;
  playersPerRoom: number;
  server: ServerSample[];
  serverScrapeFailures: number;
  serverLoopLagP99Ms: number | null;
  /** CPU of the whole process over the window, % of one core (a worker's process.cpuUsage is this too). */
  cpuPercent: number | null;
  /** The main thread's own event-loop utilization over the window. */
  mainEventLoopUtilization: number | null;
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/** The first non-null value in worker order: "first error" means the lowest worker's first one. */
const firstOf = <T>(values: ReadonlyArray<T | null>): T | null => values.find((v): v is T => v !== null) ?? null;

export function mergeSoakShares(shares: readonly SoakShare[], context: MergeContext): SoakResult {
  const results = shares.map((s) => s.result);
  const windows = shares.map((s) => s.window);
  const seconds = Math.max(0, ...windows.map((w) => w.latencyPerSecond.length));
  const connected = sum(windows.map((w) => w.connectedClients));
  const measuredSeconds = Math.max(0, ...results.map((r) => r.measuredSeconds));
  const joinErrors: Record<string, number> = {};
  for (const r of results) for (const [code, n] of Object.entries(r.joinErrors)) joinErrors[code] = (joinErrors[code] ?? 0) + n;
  const joinPhases = results.map((r) => r.joinPhaseMs);

  return {
    target: context.target,
    endpoint: context.endpoint,
    startedAt: context.startedAt,
    rooms: context.rooms,
    playersPerRoom: context.playersPerRoom,
    clients: sum(results.map((r) => r.clients)),
    decodingClients: sum(results.map((r) => r.decodingClients)),
    inputsPerSecond: results[0]?.inputsPerSecond ?? 0,
    joined: sum(results.map((r) => r.joined)),
    joinErrors,
    firstJoinError: firstOf(results.map((r) => r.firstJoinError)),
    // Workers join at the same time, so the phase lasted as long as the slowest one; unknown if any did not finish.
    joinPhaseMs: joinPhases.some((ms) => ms === null) ? null : Math.max(0, ...(joinPhases as number[])),
    measuredSeconds,
    inputsSent: sum(results.map((r) => r.inputsSent)),
    latencyMs: summarize(windows.flatMap((w) => w.latencyPerSecond.flat())),
    bytesPerClientPerSecond:
      connected === 0 || measuredSeconds === 0 ? null : sum(windows.map((w) => w.windowBytes)) / connected / measuredSeconds,
    timeline: Array.from({ length: seconds }, (_, second) => ({
      second,
      latency: summarize(windows.flatMap((w) => w.latencyPerSecond[second] ?? [])),
      bytesPerClient: connected === 0 ? 0 : sum(windows.map((w) => w.bytesPerSecond[second] ?? 0)) / connected,
    })),
    server: context.server,
    serverScrapeFailures: context.serverScrapeFailures,
    serverLoopLagP99Ms: context.serverLoopLagP99Ms,
    loadScript: {
      cpuPercent: context.cpuPercent,
      eventLoopUtilization: context.mainEventLoopUtilization,
      workers: results.map((r) => r.loadScript.eventLoopUtilization),
    },
    drops: sum(results.map((r) => r.drops)),
    firstDrop: firstOf(results.map((r) => r.firstDrop)),
    visibilityOk: sum(results.map((r) => r.visibilityOk)),
    visibilityProblems: results.flatMap((r) => r.visibilityProblems).slice(0, 20),
    timedOut: firstOf(results.map((r) => r.timedOut)),
  };
}
