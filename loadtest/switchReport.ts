/** Turns a room-switching result into the report: JSON, Markdown, an SVG chart and the stdout summary. */
import { LEAVE_TIMEOUT_MS } from "./clientKit";
import { renderCdfSvg } from "./cdfChart";
import { writeReportFiles } from "./reportFiles";
import { countsText, ms, numbers, quantiles } from "./reportText";
import { countBy, summarize, type Summary } from "./stats";
import type { CheckOutcome, HopRecord, ParticipantRecord, SwitchResult } from "./switch";
import { groupDiscrepancies, isGhost, SERVER_VIEWER, type Discrepancy, type DiscrepancyKind } from "./switchCheck";

/** A discrepancy group with names instead of player ids. */
export interface Problem {
  kind: DiscrepancyKind;
  room: string;
  /** "" when it is about the room. */
  player: string;
  detail?: string;
  /** Who saw it: client names, "server" or "server listing". */
  seenBy: string[];
}

/** A player shown in a room the script did not leave them in. */
export interface Ghost {
  room: string;
  playerId: string;
  player: string;
  /** Where the script has that player (a room code), or null: in no room. */
  nowIn: string | null;
  /** The seat, its avatar, or both stayed (the avatar lives on the seat, so "avatar only" means a view that holds avatars apart). */
  seat: boolean;
  avatar: boolean;
  /** How viewers showed the seat: "shown connected", "shown disconnected" (held for a reconnection). */
  shown: string[];
  /** Client names, and "server" when the admin state had it too. */
  seenBy: string[];
}

export interface CheckReport {
  skipped: string | null;
  error: string | null;
  ms: number | null;
  problems: Problem[];
  /** Most discrepancies of each kind in one look before the last (cleared while settling). */
  transient: Record<string, number>;
}

export interface SwitchReport {
  kind: "switch";
  startedAt: string;
  endpoint: string;
  ownServer: boolean;
  clients: number;
  rooms: number;
  hops: number;
  pauseMs: number;
  passed: boolean;
  /** One line per reason the run failed; empty when it passed. */
  failures: string[];
  timedOut: string | null;
  hopsPlanned: number;
  hopsDone: number;
  /** Leave call → next join resolved, hops 1..H. */
  hopLatencyMs: Summary;
  /** The spread's initial joins (nothing to leave). */
  spreadJoinMs: Summary;
  /** Leave call → the server closed that connection (the SDK's leave() resolved). */
  leaveConfirmMs: Summary;
  leaves: { confirmed: number; notConfirmed: number; alreadyClosed: number; closeCodes: Record<string, number> };
  /** Hops whose join resolved before their leave was confirmed: how often the race was really run. */
  overlappingHops: number;
  /** Failed joins (spread and hops) by error code. */
  errors: Record<string, number>;
  errorMessages: Record<string, string>;
  drops: number;
  unexpectedCloses: Array<{ player: string; room: string; closeCode: number }>;
  settled: boolean;
  settleMs: number | null;
  /** Ghosts left after settling, seen by clients or by the server. */
  ghosts: Ghost[];
  /** (a) what the clients' views still got wrong after settling, ghosts included. */
  clientCheck: Problem[];
  /** Most discrepancies of each kind in one look while the clients settled. */
  clientTransient: Record<string, number>;
  /** (b) the admin listing and room states. */
  serverCheck: CheckReport;
  /** (c) the admin listing after everyone left. */
  finalCheck: CheckReport;
  finalLeaveTimeouts: number;
  /** Where the script had everyone at the end of the hops. */
  finalRooms: Array<{ code: string; roomId: string; players: string[] }>;
  phasesMs: SwitchResult["phasesMs"];
  loadScriptCpuPercent: number | null;
  serverLogLines: number;
  serverLogTail: string[];
  perClient: ParticipantRecord[];
  perHop: HopRecord[];
}

export function buildSwitchReport(result: SwitchResult, server: { lines: number; tail: string[] } | undefined): SwitchReport {
  const names = new Map(result.participants.map((p) => [p.playerId, p.name]));
  const nameOf = (id: string) => (id === "" ? "" : (names.get(id) ?? id));
  const named = (found: readonly Discrepancy[]): Problem[] =>
    groupDiscrepancies(found).map((g) => ({
      kind: g.kind,
      room: g.code,
      player: nameOf(g.playerId),
      ...(g.detail !== undefined ? { detail: g.detail } : {}),
      seenBy: g.viewers.map(nameOf),
    }));
  const checkReport = (c: CheckOutcome): CheckReport => ({
    skipped: c.skipped,
    error: c.error,
    ms: c.ms,
    problems: named(c.discrepancies),
    transient: c.transient,
  });

  const hops = result.hopRecords.filter((h) => h.hop > 0);
  const spread = result.hopRecords.filter((h) => h.hop === 0);
  const failedJoins = result.hopRecords.filter((h) => h.error !== null);
  const errorMessages: Record<string, string> = {};
  for (const h of failedJoins) if (h.error) errorMessages[h.error.code] ??= h.error.message;
  const leaving = result.hopRecords.filter((h) => h.leave !== null);
  const leaves = {
    confirmed: leaving.filter((h) => h.leave === "confirmed").length,
    notConfirmed: leaving.filter((h) => h.leave === "not-confirmed").length,
    alreadyClosed: leaving.filter((h) => h.leave === "already-closed").length,
    closeCodes: countBy(numbers(leaving.map((h) => h.leaveCloseCode)).map(String)),
  };
  const unexpectedCloses = result.participants.flatMap((p) =>
    p.unexpectedCloses.map((c) => ({ player: p.name, room: c.code, closeCode: c.closeCode })),
  );
  const whereNow = new Map(result.truth.flatMap((room) => room.playerIds.map((id) => [id, room.code] as const)));
  const ghosts = findGhosts([...result.clientCheck, ...result.serverCheck.discrepancies], nameOf, whereNow);

  const report: SwitchReport = {
    kind: "switch",
    startedAt: result.startedAt,
    endpoint: result.endpoint,
    ownServer: server !== undefined,
    clients: result.clients,
    rooms: result.rooms,
    hops: result.hops,
    pauseMs: result.pauseMs,
    passed: false,
    failures: [],
    timedOut: result.timedOut,
    hopsPlanned: result.clients * result.hops,
    hopsDone: hops.filter((h) => h.latencyMs !== null).length,
    hopLatencyMs: summarize(numbers(hops.map((h) => h.latencyMs))),
    spreadJoinMs: summarize(numbers(spread.map((h) => h.latencyMs))),
    leaveConfirmMs: summarize(numbers(leaving.map((h) => h.leaveMs))),
    leaves,
    overlappingHops: hops.filter((h) => h.leave !== null && h.latencyMs !== null && (h.leaveMs === null || h.leaveMs > h.latencyMs)).length,
    errors: countBy(failedJoins.map((h) => h.error?.code ?? "")),
    errorMessages,
    drops: result.participants.reduce((sum, p) => sum + p.drops, 0),
    unexpectedCloses,
    settled: result.settled,
    settleMs: result.phasesMs.settle,
    ghosts,
    clientCheck: named(result.clientCheck),
    clientTransient: result.clientTransient,
    serverCheck: checkReport(result.serverCheck),
    finalCheck: checkReport(result.finalCheck),
    finalLeaveTimeouts: result.finalLeaveTimeouts,
    finalRooms: result.truth.map((room) => ({ code: room.code, roomId: room.roomId, players: room.playerIds.map(nameOf) })),
    phasesMs: result.phasesMs,
    loadScriptCpuPercent: result.hopsCpuPercent,
    serverLogLines: server?.lines ?? 0,
    serverLogTail: server?.tail ?? [],
    perClient: result.participants,
    perHop: result.hopRecords,
  };
  report.failures = failuresOf(report);
  report.passed = report.failures.length === 0;
  return report;
}

/** Ghost seats and avatars, one entry per room and player, with everyone (clients, server) who saw them. */
export function findGhosts(found: readonly Discrepancy[], nameOf: (id: string) => string, whereNow: ReadonlyMap<string, string>): Ghost[] {
  const ghosts = new Map<string, Ghost>();
  for (const d of found) {
    if (!isGhost(d.kind)) continue;
    const key = `${d.code}\u0000${d.playerId}`;
    let ghost = ghosts.get(key);
    if (ghost === undefined) {
      const nowIn = whereNow.get(d.playerId) ?? null;
      ghost = { room: d.code, playerId: d.playerId, player: nameOf(d.playerId), nowIn, seat: false, avatar: false, shown: [], seenBy: [] };
      ghosts.set(key, ghost);
    }
    if (d.kind === "ghost") ghost.seat = true;
    else ghost.avatar = true;
    if (d.detail !== undefined && !ghost.shown.includes(d.detail)) ghost.shown.push(d.detail);
    const viewer = nameOf(d.viewer);
    if (!ghost.seenBy.includes(viewer)) ghost.seenBy.push(viewer);
  }
  return [...ghosts.values()];
}

/** Every reason to fail, in the order a reader should look at them. */
export function failuresOf(r: SwitchReport): string[] {
  const failures: string[] = [];
  if (r.timedOut) failures.push(`timed out while ${r.timedOut}`);
  const failedJoins = Object.values(r.errors).reduce((a, b) => a + b, 0);
  if (failedJoins > 0) failures.push(`${failedJoins} joins failed (${errorsText(r)})`);
  if (r.ghosts.length > 0)
    failures.push(`${r.ghosts.length} ghosts: ${r.ghosts.slice(0, 3).map(ghostText).join("; ")}${r.ghosts.length > 3 ? "; ..." : ""}`);
  if (!r.settled) failures.push(`the clients' views did not match the truth after settling (${r.clientCheck.length} problems)`);
  if (r.leaves.notConfirmed > 0) failures.push(`${r.leaves.notConfirmed} hop leaves not confirmed within ${LEAVE_TIMEOUT_MS / 1000} s`);
  if (r.unexpectedCloses.length > 0) failures.push(`${r.unexpectedCloses.length} connections closed without being left`);
  for (const [label, check] of [
    ["server check", r.serverCheck],
    ["after everyone left", r.finalCheck],
  ] as const) {
    if (check.error) failures.push(`${label}: ${check.error}`);
    else if (check.problems.length > 0) failures.push(`${label}: ${check.problems.length} problems`);
  }
  if (r.finalLeaveTimeouts > 0) failures.push(`${r.finalLeaveTimeouts} final leaves not confirmed within ${LEAVE_TIMEOUT_MS / 1000} s`);
  return failures;
}

function ghostText(g: Ghost): string {
  const what = g.seat ? (g.avatar ? "" : " (seat only)") : " (avatar only)";
  const shown = g.shown.length > 0 ? `, ${g.shown.join(" or ")}` : "";
  const where = g.nowIn ? `now in ${g.nowIn}` : "now in no room";
  const clients = g.seenBy.filter((v) => v !== SERVER_VIEWER).length;
  const who = g.seenBy.includes(SERVER_VIEWER) ? `seen by ${clients} clients and the server` : `seen by ${clients} clients`;
  return `${g.player} in ${g.room}${what}${shown} (${where}), ${who}`;
}

function problemText(p: Problem): string {
  const who = p.player ? ` ${p.player}` : "";
  const detail = p.detail ? ` (${p.detail})` : "";
  return `${p.kind}${who} in ${p.room}${detail}, seen by ${p.seenBy.length <= 3 ? p.seenBy.join(", ") : `${p.seenBy.length} viewers`}`;
}

function errorsText(r: SwitchReport): string {
  return countsText(r.errors);
}

function checkText(c: CheckReport): string {
  if (c.skipped) return `skipped: ${c.skipped}`;
  if (c.error) return `could not run: ${c.error}`;
  const verdict = c.problems.length === 0 ? `ok (clean after ${ms(c.ms)} ms` : `${c.problems.length} problems (still after ${ms(c.ms)} ms`;
  return `${verdict}${transientText(c.transient)})`;
}

function clientsText(r: SwitchReport): string {
  const verdict = r.settled
    ? `match the truth (settled in ${ms(r.settleMs)} ms`
    : `${r.clientCheck.length} problems (still after ${ms(r.settleMs)} ms`;
  return `${verdict}${transientText(r.clientTransient)})`;
}

/** What earlier looks found and settling cleared, e.g. "; before: missing 3, ghost 1". */
function transientText(transient: Record<string, number>): string {
  const entries = Object.entries(transient);
  return entries.length === 0 ? "" : `; earlier looks: ${entries.map(([kind, n]) => `${kind} ${n}`).join(", ")}`;
}

export function renderSwitchSummary(r: SwitchReport, files: string[]): string {
  const lines = [
    `Room switching: ${r.clients} hoppers x ${r.hops} hops over ${r.rooms} rooms on ${r.endpoint}: ${r.passed ? "PASS" : "FAIL"}`,
    `  hops done                   ${r.hopsDone}/${r.hopsPlanned}`,
    `  join errors                 ${errorsText(r)}`,
    `  hop latency ms              ${quantiles(r.hopLatencyMs)}  (leave call to next join resolved, ${r.hopLatencyMs.count} hops)`,
    `  leave confirmed ms          ${quantiles(r.leaveConfirmMs)}  (${r.leaves.confirmed} confirmed, close codes ${codesText(r.leaves.closeCodes)})`,
    `  overlapping hops            ${r.overlappingHops} (the next join resolved before the leave was confirmed)`,
    `  ghosts                      ${r.ghosts.length === 0 ? "none" : r.ghosts.length}`,
    `  clients' views              ${clientsText(r)}`,
    `  server (admin API)          ${checkText(r.serverCheck)}`,
    `  after everyone left         ${checkText(r.finalCheck)}`,
  ];
  if (r.drops > 0) lines.push(`  connection drops            ${r.drops}`);
  if (r.serverLogLines > 0)
    lines.push(`  server log                  ${r.serverLogLines} lines at warn or above (last ones in the report)`);
  for (const g of r.ghosts.slice(0, 10)) lines.push(`  ghost                       ${ghostText(g)}`);
  for (const p of r.clientCheck.filter((p) => !isGhost(p.kind)).slice(0, 5)) lines.push(`  client view                 ${problemText(p)}`);
  for (const p of r.serverCheck.problems.filter((p) => !isGhost(p.kind)).slice(0, 5))
    lines.push(`  server view                 ${problemText(p)}`);
  for (const p of r.finalCheck.problems.slice(0, 5)) lines.push(`  after leaving               ${problemText(p)}`);
  for (const f of r.failures) lines.push(`  failure                     ${f}`);
  for (const [code, message] of Object.entries(r.errorMessages)) lines.push(`  ${code.padEnd(27)} ${message}`);
  if (files.length > 0) lines.push(`  reports                     ${files.join(", ")}`);
  return lines.join("\n");
}

function codesText(codes: Record<string, number>): string {
  const entries = Object.entries(codes);
  return entries.length === 0 ? "-" : entries.map(([code, n]) => `${code}: ${n}`).join(", ");
}

export function renderSwitchMarkdown(r: SwitchReport, chartFile: string): string {
  const row = (label: string, s: Summary) =>
    `| ${label} | ${s.count} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.p99)} | ${ms(s.max)} | ${ms(s.mean)} |`;
  const cell = (text: string) => text.replaceAll("|", "\\|");
  const lines = [
    `# Room switching: ${r.clients} hoppers x ${r.hops} hops over ${r.rooms} rooms, ${r.passed ? "PASS" : "FAIL"}`,
    "",
    `${r.startedAt} on ${r.endpoint}${r.ownServer ? " (server started by the script)" : ""}. ${r.rooms} observers (one per room) ` +
      `never hop; each hopper leaves its room (consented) and joins another by code without waiting for the leave, ` +
      `after a random pause of 0-${r.pauseMs} ms.`,
    "",
    `- hops done: ${r.hopsDone}/${r.hopsPlanned}`,
    `- join errors: ${errorsText(r)}`,
    `- hops whose next join resolved before their leave was confirmed: ${r.overlappingHops}`,
    `- hop leaves: ${r.leaves.confirmed} confirmed (close codes ${codesText(r.leaves.closeCodes)}), ${r.leaves.notConfirmed} not confirmed within ${LEAVE_TIMEOUT_MS / 1000} s, ${r.leaves.alreadyClosed} already closed`,
    `- ghosts: ${r.ghosts.length === 0 ? "none" : r.ghosts.length}`,
    `- (a) clients' views (every room as every client in it sees it): ${clientsText(r)}`,
    `- (b) server, GET /admin/rooms and /admin/rooms/:code/state: ${checkText(r.serverCheck)}`,
    `- (c) after everyone left, GET /admin/rooms and each room's audit events: ${checkText(r.finalCheck)}`,
    `- connection drops: ${r.drops}; connections closed without being left: ${r.unexpectedCloses.length}`,
    ...(r.failures.length > 0 ? ["", "Failures:", "", ...r.failures.map((f) => `- ${f}`)] : []),
    "",
    "| ms | samples | p50 | p95 | p99 | max | mean |",
    "|---|---|---|---|---|---|---|",
    row("hop latency (leave call to next join resolved)", r.hopLatencyMs),
    row("leave confirmed (leave call to connection closed)", r.leaveConfirmMs),
    row("initial join (the spread)", r.spreadJoinMs),
    "",
    `Phases (ms): sign-in ${ms(r.phasesMs.signIn)}, create ${ms(r.phasesMs.create)}, spread ${ms(r.phasesMs.spread)}, ` +
      `hops ${ms(r.phasesMs.hops)}, settle ${ms(r.phasesMs.settle)}, leave ${ms(r.phasesMs.leave)} ` +
      `(${r.finalLeaveTimeouts} final leaves not confirmed within ${LEAVE_TIMEOUT_MS / 1000} s).`,
    "",
    `The load script used ${r.loadScriptCpuPercent === null ? "-" : r.loadScriptCpuPercent.toFixed(0)}% of one CPU core during the hops: ` +
      "near 100% means its own event loop, not the server, may be what slows the hops.",
    "",
    `![hop latency and leave confirmation](${chartFile})`,
  ];
  if (r.ghosts.length > 0) {
    lines.push("", "## Ghosts", "", "| room | player | stayed | shown | now in | seen by |", "|---|---|---|---|---|---|");
    for (const g of r.ghosts) {
      const stayed = [g.seat ? "seat" : "", g.avatar ? "avatar" : ""].filter(Boolean).join(", ");
      lines.push(
        `| ${g.room} | ${cell(g.player)} | ${stayed} | ${g.shown.join(", ") || "-"} | ${g.nowIn ?? "no room"} | ${cell(g.seenBy.join(", "))} |`,
      );
    }
  }
  const problems = [
    ...r.clientCheck.filter((p) => !isGhost(p.kind)).map((p) => ["clients", p] as const),
    ...r.serverCheck.problems.filter((p) => !isGhost(p.kind)).map((p) => ["server", p] as const),
    ...r.finalCheck.problems.map((p) => ["after leaving", p] as const),
  ];
  if (problems.length > 0) {
    lines.push("", "## Other problems", "", "| check | kind | room | player | detail | seen by |", "|---|---|---|---|---|---|");
    for (const [check, p] of problems.slice(0, 100)) {
      lines.push(
        `| ${check} | ${p.kind} | ${p.room} | ${cell(p.player || "-")} | ${cell(p.detail ?? "")} | ${cell(p.seenBy.join(", "))} |`,
      );
    }
  }
  lines.push("", "## Rooms at the end of the hops", "", "| code | players |", "|---|---|");
  for (const room of r.finalRooms) lines.push(`| ${room.code} | ${room.players.length}: ${cell(room.players.join(", "))} |`);
  if (Object.keys(r.errorMessages).length > 0) {
    lines.push("", "## Join errors", "", "| code | joins | message |", "|---|---|---|");
    for (const [code, message] of Object.entries(r.errorMessages)) lines.push(`| ${code} | ${r.errors[code] ?? 0} | ${cell(message)} |`);
  }
  if (r.serverLogTail.length > 0) {
    lines.push(
      "",
      `## Server log (${r.serverLogLines} lines at warn and above, the last ${r.serverLogTail.length})`,
      "",
      "```",
      ...r.serverLogTail,
      "```",
    );
  }
  return lines.join("\n") + "\n";
}

export function renderSwitchSvg(r: SwitchReport): string {
  const hops = r.perHop.filter((h) => h.hop > 0);
  return renderCdfSvg(
    `Room switching, ${r.clients} hoppers x ${r.hops} hops over ${r.rooms} rooms: share of hops done by time`,
    "milliseconds from the leave call (hop: next join resolved; leave: its connection closed)",
    [
      { label: "hop latency", color: "#2563eb", values: numbers(hops.map((h) => h.latencyMs)), unit: "hops" },
      { label: "leave confirmed", color: "#dc2626", values: numbers(r.perHop.map((h) => h.leaveMs)), unit: "leaves" },
    ],
  );
}

/** Writes switch-<time>-<N>x<H>-<R>rooms.{json,md,svg} into outDir and returns their paths. */
export function writeSwitchReports(r: SwitchReport, outDir: string): string[] {
  return writeReportFiles(outDir, "switch", r.startedAt, `${r.clients}x${r.hops}-${r.rooms}rooms`, {
    json: r,
    markdown: (svgFile) => renderSwitchMarkdown(r, svgFile),
    svg: renderSwitchSvg(r),
  });
}
