/**
 * The GM's private notes (secret rolls and the like), newest first, kept while the page lives: a
 * GM whose panel is rebuilt (a resync, the role coming back) does not lose them, and joining the
 * same table again keeps them; another table starts a fresh list.
 */
import { signal } from "@preact/signals";
import type { GmNoteMessage } from "@tavern/shared/table/protocol";

const KEPT = 50;
let tableCode = "";
export const gmNoteList = signal<GmNoteMessage[]>([]);

/** Called when a table mounts: keeps the notes of that same table, drops another table's. */
export function keepGmNotesOf(code: string): void {
  if (code !== tableCode) gmNoteList.value = [];
  tableCode = code;
}

export function recordGmNote(note: GmNoteMessage): void {
  gmNoteList.value = [note, ...gmNoteList.value].slice(0, KEPT);
}

export function gmNotes(): string[] {
  return gmNoteList.value.map((n) => n.text);
}
