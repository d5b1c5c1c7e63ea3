/** Menu entries read from the table state, shared by the GM's forms. */
import type { TableState } from "@tavern/shared/table/state";
import { allTokens } from "../../table/entities";
import type { Choice } from "../dom";

/** Who may hold an item: nobody (a loose item) or any character or actor this client holds. */
export function holderChoices(state: TableState): Choice[] {
  return [{ value: "", label: "(loose)" }, ...allTokens(state).map((t) => ({ value: t.id, label: t.entity.name }))];
}
