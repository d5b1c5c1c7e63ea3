/**
 * Bounded histories in synced state (a room's chat, a table's dice rolls). @colyseus/schema 5
 * encodes the full state wrongly for a client that joins while an ArraySchema shift() is waiting
 * for the next patch: that client decodes the full state, then the patch adds the waiting entries
 * again, and its copy keeps more lines than the server's (its state never hashes like the server's
 * again). Appending is safe at any time, so a history is appended to at once and trimmed only just
 * before a patch is encoded, when no join can come in between.
 */
export function trimOldest(history: { length: number; shift(): unknown }, max: number): void {
  while (history.length > max) history.shift();
}
