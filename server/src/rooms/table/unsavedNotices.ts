/**
 * Telling a table's GM that something was not saved: a background write (./../../persistence/
 * tableRecorder.ts) that failed after its retries. The notice names what was lost and what that
 * means, in words; the database's own message stays in the log.
 *
 * One notice per kind of write while it keeps failing: an outage must not bury the GM in a notice
 * per chat line. Once a write of that kind lands again, the next failure is news again. A GM who
 * is away (dropped, reloading) gets the notices waiting when they are seated again.
 */
import type { AnnouncementMessage, UnsavedKind } from "@tavern/shared/protocol";

/** How many notices wait for an absent GM (one per kind at most, so this is never reached in practice). */
const WAITING_MAX = 10;

const WHAT: Record<UnsavedKind, { subject: string; meaning: string }> = {
  "room-settings": {
    subject: "The room's settings were not saved",
    meaning: "They hold while this room is open; a reopened session would not have them.",
  },
  "gm-change": {
    subject: "The change of GM was not saved",
    meaning: "It is saved with the next change to the session; until then a reopened session would have its previous GM.",
  },
  chat: { subject: "A chat line was not saved", meaning: "It is shown now, but will not be there when the session reopens." },
  roll: { subject: "A roll was not saved", meaning: "It is shown now, but will not be there when the session reopens." },
  secretRoll: { subject: "A secret roll was not saved", meaning: "You see it now, but it will not be there when the session reopens." },
  gmNote: { subject: "A GM note was not saved", meaning: "You see it now, but it will not be there when the session reopens." },
};

/** Codes (Node's and PostgreSQL's) of a database that could not be reached or went away. */
const UNREACHABLE = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EHOSTUNREACH", "57P01", "57P02", "57P03"]);

/** Why a write failed, in words a GM can read: from the error's codes, never its message. */
export function whyNotSaved(error: unknown): string {
  for (let e: unknown = error; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== "string") continue;
    // SQLSTATE class 08: connection exception; class 53: insufficient resources (disk full, ...).
    if (UNREACHABLE.has(code) || code.startsWith("08")) return "the database did not answer";
    if (code.startsWith("53")) return "the database is out of space or resources";
  }
  const message = error instanceof Error ? error.message : "";
  if (/timeout|timed out|terminated|closed|not open/i.test(message)) return "the database did not answer";
  return "the database refused it";
}

export function notSavedText(what: UnsavedKind, error: unknown): string {
  const { subject, meaning } = WHAT[what];
  return `${subject}: ${whyNotSaved(error)}. ${meaning}`;
}

export class UnsavedNotices {
  private readonly told = new Set<UnsavedKind>();
  private waiting: AnnouncementMessage[] = [];

  /** `sendToGm` answers false when the GM has no connection now. */
  constructor(private readonly sendToGm: (message: AnnouncementMessage) => boolean) {}

  notSaved(what: UnsavedKind, error: unknown): void {
    if (this.told.has(what)) return;
    this.told.add(what);
    const message: AnnouncementMessage = { kind: "not-saved", unsaved: what, text: notSavedText(what, error) };
    if (!this.sendToGm(message) && this.waiting.length < WAITING_MAX) this.waiting.push(message);
  }

  savedAgain(what: UnsavedKind): void {
    this.told.delete(what);
  }

  /** The GM has a connection again: what they were not there to hear. */
  gmSeated(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const message of waiting) if (!this.sendToGm(message)) this.waiting.push(message);
  }
}
