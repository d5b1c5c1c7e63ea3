/**
 * The session document as this client holds it, rebuilt from the decoded state by the shared
 * docFromState: the visible entities, and for the GM the hidden ones of its GM-only part too.
 */
import type { TableDoc } from "@tavern/shared/table/document";
import { docFromState } from "@tavern/shared/table/fromState";
import type { TableState } from "@tavern/shared/table/state";

export function tableDocOf(state: TableState): TableDoc {
  return docFromState(state);
}
