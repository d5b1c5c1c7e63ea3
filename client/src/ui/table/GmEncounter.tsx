/**
 * The GM's encounter controls: start (with every character), end, add a token (optionally hidden
 * from players), roll initiative, next / previous turn, delay, and an initiative set by hand.
 * Buttons are enabled by what the encounter allows right now; the server still decides and its
 * refusals are shown as they come.
 */
import type { TableState } from "@tavern/shared/table/state";
import { useRef, useState } from "preact/hooks";
import { allTokens, combatantsOf, forEachCombatant, tokenKey, type TokenRef } from "../../table/entities";
import { offered, type Choice } from "../choices";
import { usePatchModel } from "../hooks";
import { Options } from "../Options";
import { GmInitiative } from "./GmInitiative";
import { useTable } from "./TableView";

interface EncounterControlsModel {
  active: boolean;
  started: boolean;
  anyUnrolled: boolean;
  hasTurn: boolean;
  /** Tokens not yet in the encounter, for the add list. */
  addable: Choice[];
}

function controlsModel(state: TableState): EncounterControlsModel {
  const encounter = state.encounter;
  const active = encounter?.active ?? false;
  let anyUnrolled = false;
  let hasTurn = false;
  forEachCombatant(state, (c) => {
    if (!c.rolled && !c.defeated) anyUnrolled = true;
    if (c.current) hasTurn = true;
  });
  const addable = allTokens(state)
    .filter((t) => combatantsOf(state, t).length === 0)
    .map((t) => ({ value: tokenKey(t), label: `${t.entity.name} (${"kind" in t.entity ? t.entity.kind : "character"})` }));
  return { active, started: active && (encounter?.round ?? 0) > 0, anyUnrolled, hasTurn, addable };
}

function parseKey(key: string): TokenRef | undefined {
  const [kind, id] = key.split(":");
  return (kind === "character" || kind === "actor") && id ? { kind, id } : undefined;
}

export function GmEncounter() {
  const { room, api } = useTable();
  const m = usePatchModel(room, () => controlsModel(room.state));
  const [chosen, setChosen] = useState("");
  const source = offered(m.addable, chosen);
  const hidden = useRef<HTMLInputElement>(null);
  const start = () => {
    const combatants: TokenRef[] = [];
    room.state.characters?.forEach((_c, id) => combatants.push({ kind: "character", id }));
    void api.encounter({ type: "start", combatants });
  };
  const add = () => {
    const ref = parseKey(source);
    if (ref) void api.encounter({ type: "addCombatant", source: ref, hidden: hidden.current?.checked ?? false });
  };
  return (
    <fieldset id="gm-encounter">
      <legend>Encounter</legend>
      <button id="enc-start" disabled={m.active} onClick={start}>
        Start with all characters
      </button>{" "}
      <button id="enc-end" disabled={!m.active} onClick={() => void api.encounter({ type: "end" })}>
        End encounter
      </button>
      <div class="row">
        <select id="enc-add-source" aria-label="token to add" value={source} onChange={(e) => setChosen(e.currentTarget.value)}>
          <Options choices={m.addable} />
        </select>
        <label>
          <input id="enc-add-hidden" ref={hidden} type="checkbox" /> hidden
        </label>
        <button id="enc-add" disabled={!(m.active && m.addable.length > 0)} onClick={add}>
          Add to encounter
        </button>
      </div>
      <div class="row">
        <button id="enc-roll" disabled={!(m.active && m.anyUnrolled)} onClick={() => void api.encounter({ type: "rollInitiative" })}>
          Roll initiative
        </button>
        <button id="enc-prev" disabled={!m.started} onClick={() => void api.encounter({ type: "previousTurn" })}>
          ◀ Previous
        </button>
        <button id="enc-next" disabled={!m.active} onClick={() => void api.encounter({ type: "nextTurn" })}>
          Next turn ▶
        </button>
        <button id="enc-delay" disabled={!m.hasTurn} onClick={() => void api.encounter({ type: "delayTurn" })}>
          Delay current
        </button>
      </div>
      <GmInitiative />
    </fieldset>
  );
}
