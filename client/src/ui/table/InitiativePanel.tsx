/**
 * The initiative tracker: combatants in the shared turn order, the round, whose turn it is,
 * delayed and defeated ones marked, and for the GM the hidden ones marked with their controls
 * (resume, reveal or hide, remove). Players never receive hidden combatants at all.
 */
import type { TableApi } from "../../net/tableApi";
import { usePatchModel } from "../hooks";
import { useTable } from "./TableView";
import { trackerModel, type TrackerRow } from "./tracker";

export function InitiativePanel() {
  const { room, selfId, api } = useTable();
  const model = usePatchModel(room, () => trackerModel(room.state, selfId));
  const round = !model.active ? "no encounter" : model.round === 0 ? "not started" : `Round ${model.round}`;
  return (
    <section id="initiative-panel">
      <h3>
        Initiative ·{" "}
        <span id="init-round" data-round={String(model.round)}>
          {round}
        </span>
      </h3>
      <ol id="init-order">
        {model.rows.map((row, i) => (
          <Row key={row.id} row={row} place={i + 1} gm={model.gm} api={api} />
        ))}
      </ol>
    </section>
  );
}

/**
 * Rows are keyed by combatant, so a reorder moves them (their buttons with them); each says its
 * place, because Chromium can leave an ordered list's numbers stale after such moves.
 */
function Row({ row, place, gm, api }: { row: TrackerRow; place: number; gm: boolean; api: TableApi }) {
  const classes = [row.current && "current", row.defeated && "defeated", row.delayed && "delayed", row.hidden && "hidden-combatant"];
  const command = (type: "resumeTurn" | "reveal" | "hide" | "removeCombatant") => () => void api.encounter({ type, combatantId: row.id });
  return (
    <li value={place} data-combatant-id={row.id} class={classes.filter(Boolean).join(" ")}>
      <span class="marker">{row.current ? "▶ " : ""}</span>
      <span class="init">{row.initiative === null ? "–" : String(row.initiative)}</span> <span class="name">{row.name}</span>
      {row.delayed && <span class="tag delayed">delayed</span>}
      {row.defeated && <span class="tag defeated">defeated</span>}
      {row.hidden && <span class="tag hidden">hidden</span>}
      {gm && row.delayed && (
        <button data-action="resume" onClick={command("resumeTurn")}>
          Resume
        </button>
      )}
      {gm &&
        (row.hidden ? (
          <button data-action="reveal" onClick={command("reveal")}>
            Reveal
          </button>
        ) : (
          <button data-action="hide" onClick={command("hide")}>
            Hide
          </button>
        ))}
      {gm && (
        <button data-action="remove" onClick={command("removeCombatant")}>
          ✕
        </button>
      )}
    </li>
  );
}
