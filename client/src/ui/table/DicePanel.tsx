/** Dice: an expression and a label rolled on the server, and the session's roll log from state. */
import { isGm } from "../../table/entities";
import { usePatchModel } from "../hooks";
import { useTable } from "./TableView";
import { rollLogOf } from "./gmNotes";

const SHOWN_ROLLS = 30;

export function DicePanel() {
  const { room, selfId, api } = useTable();
  const model = usePatchModel(room, () => ({
    gm: isGm(room.state, selfId),
    rolls: rollLogOf(room.state, SHOWN_ROLLS),
  }));
  return (
    <section id="dice-panel" class="panel">
      <h3>Dice</h3>
      <form
        id="dice-form"
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          const expression = String(form.get("expression") ?? "").trim();
          if (!expression) return;
          void api.roll(expression, String(form.get("label") ?? "").trim(), form.get("secret") !== null);
        }}
      >
        <input id="dice-expr" name="expression" defaultValue="1d20" maxLength={100} required aria-label="dice expression" />{" "}
        <input id="dice-label" name="label" placeholder="label (attack, save...)" maxLength={64} aria-label="roll label" />{" "}
        <label id="dice-secret-field" hidden={!model.gm}>
          <input id="dice-secret" name="secret" type="checkbox" /> secret
        </label>{" "}
        <button>Roll</button>
      </form>
      <ol id="roll-log">
        {/* Newest first, so the latest roll is always in view. */}
        {[...model.rolls].reverse().map((r, i) => (
          <li key={i} title={r.detail} class={r.secret ? "secret" : ""}>
            {`${r.secret ? "secret · " : ""}${r.who}${r.label ? ` (${r.label})` : ""}: ${r.text}`}
            <span class="muted">{` [${r.detail}]`}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
