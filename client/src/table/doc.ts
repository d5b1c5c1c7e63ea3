/**
 * The session document as this client holds it, rebuilt from the decoded state by the shared
 * docFromState: the visible entities, and for the GM the hidden ones of its GM-only part too.
 */
import type { TableDoc } from "../../../shared/src/table/document";
import { docFromState } from "../../../shared/src/table/fromState";
import type { TableState } from "../../../shared/src/table/state";

export function tableDocOf(state: TableState): TableDoc {
  return docFromState(state);
}
