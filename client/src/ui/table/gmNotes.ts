/**
 * GM-only notes (the `gmNote` message: hidden combatants' log lines, secret rolls). They are not
 * in state, so they are kept here, outside any one mount: a resync that joins the same table
 * again keeps them; another table starts a fresh list.
 */
import type { GmNoteMessage } from "@tavern/shared/table/protocol";
import { el } from "../dom";

const KEPT = 50;
let tableCode = "";
const notes: GmNoteMessage[] = [];

/** Called when a table mounts: keeps the notes of that same table, drops another table's. */
export function useGmNotesOf(code: string): void {
  if (code !== tableCode) notes.length = 0;
  tableCode = code;
  drawGmNotes();
}

export function recordGmNote(note: GmNoteMessage): void {
  notes.unshift(note);
  notes.length = Math.min(notes.length, KEPT);
  drawGmNotes();
}

export function gmNotes(): string[] {
  return notes.map((n) => n.text);
}

function drawGmNotes(): void {
  const list = document.getElementById("gm-notes");
  list?.replaceChildren(...notes.map((n) => el("li", `${new Date(n.at).toLocaleTimeString()} ${n.text}`)));
}
