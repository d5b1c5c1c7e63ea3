/**
 * The identity of an export file's content, for refusing the same file imported twice: SHA-256 of
 * its canonical JSON (object keys sorted, as the document hash has them) leaving out `exportedAt`.
 * So a file posted again, reformatted or not, and a second export of an unchanged session, have
 * one digest, while any change to the session, its log, room or journal gives another.
 */
import { createHash } from "node:crypto";
import { canonicalInto } from "./canonicalStream";
import type { sessionExportSchema } from "@tavern/shared/table/sessionExport";
import type { z } from "zod";

/** A checked file (its document not yet checked as one). */
type SessionExportFile = z.infer<typeof sessionExportSchema>;

/**
 * Nodes written piece by piece, a step after each piece: the file, its snapshot, the document and
 * its collections, the log and the journal. So a step is one entity, one update or one journal
 * entry, and every other node is written whole.
 */
function inPieces(path: readonly string[]): boolean {
  const [top, second] = path;
  if (path.length === 0) return true;
  if (path.length === 1) return top === "snapshot" || top === "updates" || top === "journal";
  return top === "snapshot" && second === "doc" && path.length <= 3;
}

/** The digest as steps (see TimeSlices); the snapshot's entities keep their canonical forms cached for its hash check. */
export function* exportDigest(file: SessionExportFile): Generator<void, string, void> {
  const hash = createHash("sha256");
  yield* canonicalInto(hash, { ...file, exportedAt: undefined }, { inPieces });
  return hash.digest("hex");
}
