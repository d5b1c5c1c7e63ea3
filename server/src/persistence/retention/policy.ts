/**
 * What retention keeps, and the pure decisions of pruning: the cutoff times, how many journal
 * lines of each kind a session keeps, and how far an oldest-first walk over rows may delete.
 * No database here (./prune.ts runs these decisions against one).
 */
import { CHAT_HISTORY } from "@tavern/shared/state";
import { GM_NOTE_HISTORY, ROLL_HISTORY } from "@tavern/shared/table/state";
import type { JournalEntry } from "@tavern/shared/table/journal";

export type JournalKind = JournalEntry["kind"];
export const JOURNAL_KINDS: readonly JournalKind[] = ["roll", "chat", "secretRoll", "gmNote"];

/** Lines of each kind a session keeps; a kind left out keeps every line. */
export type JournalKeep = Partial<Record<JournalKind, number>>;

export interface RetentionPolicy {
  /** Audit events older than this many days go; 0 keeps them all. */
  auditDays: number;
  /** Journal lines older than this many days go; 0 keeps them (subject to journalKeep). */
  journalDays: number;
  journalKeep: JournalKeep;
  /** Delete each session's updates up to its snapshot (nothing reads them: see prune.ts). */
  compactLog: boolean;
}

/** What a reopened room shows of each kind: a limit below it would make a reopen show less. */
export const REOPEN_SHOWS: Record<JournalKind, number> = {
  roll: ROLL_HISTORY,
  chat: CHAT_HISTORY,
  secretRoll: ROLL_HISTORY,
  gmNote: GM_NOTE_HISTORY,
};

const DAY_MS = 86_400_000;

/** The times before which rows go; undefined where nothing goes by age. */
export function cutoffs(policy: RetentionPolicy, now: number): { auditBefore?: Date; journalBefore?: Date } {
  return {
    ...(policy.auditDays > 0 ? { auditBefore: new Date(now - policy.auditDays * DAY_MS) } : {}),
    ...(policy.journalDays > 0 ? { journalBefore: new Date(now - policy.journalDays * DAY_MS) } : {}),
  };
}

/** Whether the policy prunes anything at all (a job with nothing to do still measures table sizes). */
export function prunesAnything(policy: RetentionPolicy): boolean {
  return policy.auditDays > 0 || policy.journalDays > 0 || Object.keys(policy.journalKeep).length > 0 || policy.compactLog;
}

/**
 * JOURNAL_KEEP_PER_KIND: a number for every kind, `kind=number` for one, or both
 * ("1000,gmNote=0": a thousand lines of each kind, every GM note). 0 keeps every line.
 * Returns the limits, or the problems in words.
 */
export function parseJournalKeep(text: string | undefined): { keep: JournalKeep } | { problems: string[] } {
  const keep: JournalKeep = {};
  const problems: string[] = [];
  let every: number | undefined;
  const named = new Map<JournalKind, number>();
  for (const part of (text ?? "").split(",").map((p) => p.trim())) {
    if (part === "") continue;
    const [name, value] = part.includes("=") ? part.split("=", 2).map((p) => p.trim()) : [undefined, part];
    const n = Number(value);
    if (!/^\d+$/.test(value ?? "") || !Number.isSafeInteger(n)) {
      problems.push(`"${part}": the number of lines must be a whole number (0 keeps every line)`);
      continue;
    }
    if (name === undefined) every = n;
    else if ((JOURNAL_KINDS as readonly string[]).includes(name)) named.set(name as JournalKind, n);
    else problems.push(`"${part}": the kinds are ${JOURNAL_KINDS.join(", ")}`);
  }
  for (const kind of JOURNAL_KINDS) {
    const n = named.get(kind) ?? every;
    if (n === undefined || n === 0) continue;
    if (n < REOPEN_SHOWS[kind]) {
      problems.push(`${kind}=${n}: a reopened session shows the last ${REOPEN_SHOWS[kind]} lines of ${kind}; keep at least that many`);
      continue;
    }
    keep[kind] = n;
  }
  return problems.length > 0 ? { problems } : { keep };
}

/**
 * One step of an oldest-first walk (rows in id order, from the oldest left): how far to delete,
 * and whether every row read was old (then the walk reads on, if the batch was full).
 * It stops at the first row not older than the cutoff, even if older ones follow: rows are
 * stored in about the order of their times (an imported journal's lines, which carry their
 * original times, wait until the rows stored before them go). So a walk never reads past the
 * rows it deletes by more than one batch, and needs no index on the time.
 */
export function oldestRun(rows: ReadonlyArray<{ id: number; at: Date }>, before: Date): { throughId?: number; allOld: boolean } {
  let throughId: number | undefined;
  for (const row of rows) {
    if (row.at.getTime() >= before.getTime()) return { ...(throughId === undefined ? {} : { throughId }), allOld: false };
    throughId = row.id;
  }
  return { ...(throughId === undefined ? {} : { throughId }), allOld: true };
}
