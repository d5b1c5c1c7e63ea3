/**
 * The GM's own logs, from the GM's part of the state (which only the GM's client receives): notes
 * about hidden things and secret rolls. The server keeps and stores them, so they survive a
 * reload of the GM's page and a reopen of the session.
 */
import type { TableState } from "@tavern/shared/table/state";

export interface GmNote {
  text: string;
  at: number;
}

/** Newest first. */
export function gmNotesOf(state: TableState | undefined): GmNote[] {
  return [...(state?.gm?.notes ?? [])].map(({ text, at }) => ({ text, at })).reverse();
}

export interface ShownRoll {
  who: string;
  label: string;
  text: string;
  detail: string;
  secret: boolean;
  at: number;
}

/** The roll log a client shows, oldest first: everyone's rolls, and for the GM their secret ones among them. */
export function rollLogOf(state: TableState, limit: number): ShownRoll[] {
  const shown = (r: { name: string; label: string; expression: string; total: number; detail: string; at: number }, secret: boolean) => ({
    who: r.name,
    label: r.label,
    text: `${r.expression} = ${r.total}`,
    detail: r.detail,
    secret,
    at: r.at,
  });
  const rolls = [...(state.rolls ?? [])].map((r) => shown(r, false));
  const secret = [...(state.gm?.rolls ?? [])].map((r) => shown(r, true));
  return [...rolls, ...secret].sort((a, b) => a.at - b.at).slice(-limit);
}
