/**
 * The Cabo panel under the table: what to do now in a sentence, the buttons of this step (a
 * button that needs cards picked first stays disabled until they are), Play again for the host once
 * the game is over, and the scores of every round so far with the match totals.
 */
import type { Room } from "@colyseus/sdk";
import type { CaboState } from "@tavern/shared/cabo/state";
import { useEffect, useState } from "preact/hooks";
import { caboActions } from "../../cabo/actions";
import type { CaboLink } from "../../cabo/link";
import { tableModel } from "../../cabo/model";
import type { Picks } from "../../cabo/selection";
import { usePatchModel } from "../hooks";
import type { RequestAction } from "../room/useRequestAction";

interface CaboPanelProps {
  room: Room<unknown, CaboState>;
  selfId: string;
  link: CaboLink;
  act: RequestAction;
}

function usePicks(link: CaboLink): Picks {
  const [picks, setPicks] = useState(link.selection.current);
  useEffect(() => link.selection.on(setPicks), [link]);
  return picks;
}

/** A counter that moves whenever the memory aid's cards change. */
function useMemoryVersion(link: CaboLink): number {
  const [version, setVersion] = useState(0);
  useEffect(() => link.memory.on(() => setVersion((v) => v + 1)), [link]);
  return version;
}

export function CaboPanel({ room, selfId, link, act }: CaboPanelProps) {
  const picks = usePicks(link);
  const memory = useMemoryVersion(link);
  const m = usePatchModel(room, () => {
    const model = tableModel(room.state, selfId, picks, link.memory.values);
    const names = new Map(model.seats.map((s) => [s.seat, s.name]));
    const history = [...room.state.game.history].map((r) => ({
      round: r.round,
      caller: r.caller ? (names.get(r.caller) ?? "?") : "",
      callerWon: r.callerWon,
      scores: Object.fromEntries([...r.scores].map((s) => [s.seat, s.score])) as Record<string, number>,
    }));
    return { ...caboActions(model), model, history };
  }, [picks, memory]);
  const { model } = m;
  const gameOver = model.roomPhase === "finished";
  return (
    <section id="cabo-ui" class="panel" data-stage={model.stage}>
      <p id="cabo-hint">{m.hint}</p>
      <div id="cabo-actions" class="row">
        {m.actions.map((a) => (
          <button
            key={a.id}
            id={`cabo-${a.id}`}
            class={a.id === "callCabo" ? "cabo-call" : ""}
            disabled={a.move === undefined}
            onClick={() => {
              if (a.move) void link.api.move(a.move);
            }}
          >
            {a.label}
          </button>
        ))}
        {(model.picks.own.length > 0 || model.picks.target) && (
          <button id="cabo-clear-picks" class="quiet" onClick={() => link.selection.clear()}>
            Clear picks
          </button>
        )}
        {gameOver && model.host && (
          <button id="cabo-play-again" onClick={() => act("reset")}>
            Play again
          </button>
        )}
      </div>
      {model.seats.length > 0 && (
        <table id="cabo-scores">
          <thead>
            <tr>
              <th>Round</th>
              {model.seats.map((s) => (
                <th key={s.seat}>{s.name}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {m.history.map((r) => (
              <tr key={r.round} data-round={r.round}>
                <td>
                  {r.round}
                  {r.caller && (
                    <span class="muted">{` · ${r.caller} called${r.callerWon === 1 ? " (lowest)" : r.callerWon === 0 ? " (+10)" : ""}`}</span>
                  )}
                </td>
                {model.seats.map((s) => (
                  <td key={s.seat}>{r.scores[s.seat] ?? "–"}</td>
                ))}
              </tr>
            ))}
            <tr class="totals">
              <td>Total</td>
              {model.seats.map((s) => (
                <td key={s.seat} data-seat={s.seat} class={model.winners.includes(s.seat) ? "winner" : ""}>
                  {s.total}
                </td>
              ))}
            </tr>
          </tbody>
        </table>
      )}
    </section>
  );
}
