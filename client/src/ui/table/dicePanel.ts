/** Dice: an expression and a label rolled on the server, and the session's roll log from state. */
import type { Room } from "@colyseus/sdk";
import type { TableState } from "@tavern/shared/table/state";
import type { TableApi } from "../../net/tableApi";
import { isGm } from "../../table/entities";
import { $, el, input } from "../dom";
import { renderOnPatch } from "./patchRender";

const SHOWN_ROLLS = 30;

export function mountDicePanel(room: Room<unknown, TableState>, selfId: string, api: TableApi): () => void {
  const render = renderOnPatch(
    room,
    () => ({
      gm: isGm(room.state, selfId),
      rolls: (room.state.rolls ?? []).slice(-SHOWN_ROLLS).map((r) => ({
        who: r.name,
        label: r.label,
        text: `${r.expression} = ${r.total}`,
        detail: r.detail,
      })),
    }),
    (model) => {
      $("dice-secret-field").hidden = !model.gm;
      // Newest first, so the latest roll is always in view.
      $("roll-log").replaceChildren(
        ...model.rolls.reverse().map((r) => {
          const item = el("li", `${r.who}${r.label ? ` (${r.label})` : ""}: ${r.text}`);
          item.title = r.detail;
          item.append(el("span", ` [${r.detail}]`, "muted"));
          return item;
        }),
      );
    },
  );
  const submit = (e: Event) => {
    e.preventDefault();
    const expression = input("dice-expr").value.trim();
    if (!expression) return;
    void api.roll(expression, input("dice-label").value.trim(), input("dice-secret").checked);
  };
  $("dice-form").addEventListener("submit", submit);
  return () => {
    render.stop();
    $("dice-form").removeEventListener("submit", submit);
  };
}
