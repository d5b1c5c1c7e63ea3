/**
 * The join storm's report: every target's storm summarised side by side, and the verdict that
 * decides the exit code. Rendering is in stormRender.ts.
 */
import type { ClientOutcome, ServerCpu, StormResult } from "./storm";
import type { TargetName } from "./space/target";
import { numbers } from "./reportText";
import { countBy, summarize, type Summary } from "./stats";

/** What the storm's join latency covers on each target, for the reports. */
export const JOIN_LATENCY_COVERS: Record<TargetName, string> = {
  tavern:
    "HTTP matchmaking request, WebSocket open, join handshake and the first state holding the client; the guest sign-in over HTTP comes before and is not timed",
  colyseus:
    "HTTP matchmaking request, WebSocket open, join handshake and the first state holding the client, as on Tavern; there is no sign-in",
  snapshot:
    "Socket.IO connection (WebSocket, Engine.IO and Socket.IO handshakes), join request and its ack, and the first room view holding the client; there is no sign-in",
  events:
    "Socket.IO connection (WebSocket, Engine.IO and Socket.IO handshakes), join request and its ack, and the welcome holding the client; there is no sign-in",
};

export interface TargetStorm {
  target: TargetName;
  endpoint: string;
  /** The script started this target's server (else: Tavern at --endpoint). */
  ownServer: boolean;
  roomCode: string | null;
  passed: boolean;
  /** Why it failed, when it did. */
  failures: string[];
  timedOut: string | null;
  aborted: string | null;
  joined: number;
  errors: Record<string, number>;
  /** One message per error code, as the first client that got it read it. */
  errorMessages: Record<string, string>;
  drops: number;
  visibility: { ok: number; percent: number };
  joinLatencyMs: Summary;
  visibleMs: Summary;
  /** WebSocket payload bytes each seated client received during the storm. */
  bytesPerClient: Summary;
  serverCpu: ServerCpu | null;
  serverCpuMissing: string | null;
  /** CPU of the load script from storm start to settled, in % of one core. */
  loadScriptCpuPercent: number | null;
  phasesMs: { prepare: number | null; create: number | null; storm: number | null; settle: number | null; leave: number | null };
  leaveTimeouts: number;
  /** Distinct visibility problems with how many clients had each, most common first. */
  problems: Array<{ problem: string; clients: number }>;
  /** Lines the server wrote (Tavern at LOG_LEVEL=warn; own servers only), and the last of them. */
  serverLogLines: number;
  serverLogTail: string[];
  perClient: ClientOutcome[];
}

export interface StormReport {
  kind: "storm";
  startedAt: string;
  clients: number;
  /**
   * What decides `passed` (and the exit code): Tavern's storm when it ran, the baselines being
   * there for comparison only; every target's when Tavern was left out.
   */
  gate: "tavern" | "all";
  passed: boolean;
  targets: TargetStorm[];
}

export interface TargetRun {
  result: StormResult;
  /** The log of the server the script started for this target; undefined for one it did not start. */
  serverLog: { lines: number; tail: string[] } | undefined;
}

export function buildReport(runs: readonly TargetRun[]): StormReport {
  const targets = runs.map(summarizeTarget);
  const tavern = targets.find((t) => t.target === "tavern");
  return {
    kind: "storm",
    startedAt: runs[0]?.result.startedAt ?? new Date().toISOString(),
    clients: runs[0]?.result.clients ?? 0,
    gate: tavern ? "tavern" : "all",
    passed: tavern ? tavern.passed : targets.length > 0 && targets.every((t) => t.passed),
    targets,
  };
}

function summarizeTarget({ result, serverLog }: TargetRun): TargetStorm {
  const outcomes = result.outcomes;
  const failed = outcomes.filter((o) => o.error !== null);
  const errorMessages: Record<string, string> = {};
  for (const o of failed) if (o.error) errorMessages[o.error.code] ??= o.error.message;
  const ok = outcomes.filter((o) => o.visibilityProblems.length === 0).length;
  const percent = result.clients === 0 ? 0 : (100 * ok) / result.clients;
  const failures: string[] = [];
  if (result.aborted) failures.push(`could not run: ${result.aborted}`);
  if (result.timedOut) failures.push(`timed out while ${result.timedOut}`);
  if (failed.length > 0) failures.push(`${failed.length} of ${result.clients} clients got a join error`);
  if (percent < 100 && !result.aborted) failures.push(`visibility ${percent.toFixed(1)}%, not 100%`);
  const problemCounts = countBy(outcomes.flatMap((o) => [...new Set(o.visibilityProblems)]));
  return {
    target: result.target,
    endpoint: result.endpoint,
    ownServer: serverLog !== undefined,
    roomCode: result.roomCode,
    passed: failures.length === 0,
    failures,
    timedOut: result.timedOut,
    aborted: result.aborted,
    joined: outcomes.filter((o) => o.joined).length,
    errors: countBy(failed.map((o) => o.error?.code ?? "")),
    errorMessages,
    drops: outcomes.reduce((sum, o) => sum + o.drops, 0),
    visibility: { ok, percent },
    joinLatencyMs: summarize(numbers(outcomes.map((o) => o.joinMs))),
    visibleMs: summarize(numbers(outcomes.map((o) => o.visibleMs))),
    bytesPerClient: summarize(numbers(outcomes.map((o) => o.bytesReceived))),
    serverCpu: result.serverCpu,
    serverCpuMissing: result.serverCpuMissing,
    loadScriptCpuPercent: result.stormCpuPercent,
    phasesMs: { prepare: result.prepareMs, create: result.createMs, storm: result.stormMs, settle: result.settleMs, leave: result.leaveMs },
    leaveTimeouts: result.leaveTimeouts,
    problems: Object.entries(problemCounts)
      .sort((a, b) => b[1] - a[1])
      .map(([problem, clients]) => ({ problem, clients })),
    serverLogLines: serverLog?.lines ?? 0,
    serverLogTail: serverLog?.tail ?? [],
    perClient: outcomes,
  };
}
