/**
 * The GM's encounter controls: start (with every character), end, add a token (optionally hidden
 * from players), roll initiative, next / previous turn, delay. Buttons are enabled by what the
 * encounter allows right now; the server still decides and its refusals are shown as they come.
 */
import type { Room } from "@colyseus/sdk";
import type { TableState } from "@tavern/shared/table/state";
import type { TableApi } from "../../net/tableApi";
import { allTokens, combatantsOf, forEachCombatant, tokenKey, type TokenRef } from "../../table/entities";
import { $, fillSelect, input, type Choice } from "../dom";
import { renderOnPatch } from "./patchRender";

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

export function mountEncounterControls(room: Room<unknown, TableState>, api: TableApi): () => void {
  const select = $("enc-add-source") as HTMLSelectElement;
  const render = renderOnPatch(
    room,
    () => controlsModel(room.state),
    (m) => {
      fillSelect(select, m.addable);
      const enable = (id: string, on: boolean) => (($(id) as HTMLButtonElement).disabled = !on);
      enable("enc-start", !m.active);
      enable("enc-end", m.active);
      enable("enc-add", m.active && m.addable.length > 0);
      enable("enc-roll", m.active && m.anyUnrolled);
      enable("enc-next", m.active);
      enable("enc-prev", m.started);
      enable("enc-delay", m.hasTurn);
    },
  );

  const handlers: [string, () => void][] = [
    [
      "enc-start",
      () => {
        const combatants: TokenRef[] = [];
        room.state.characters?.forEach((_c, id) => combatants.push({ kind: "character", id }));
        void api.encounter({ type: "start", combatants });
      },
    ],
    ["enc-end", () => void api.encounter({ type: "end" })],
    [
      "enc-add",
      () => {
        const source = parseKey(select.value);
        if (source) void api.encounter({ type: "addCombatant", source, hidden: input("enc-add-hidden").checked });
      },
    ],
    ["enc-roll", () => void api.encounter({ type: "rollInitiative" })],
    ["enc-next", () => void api.encounter({ type: "nextTurn" })],
    ["enc-prev", () => void api.encounter({ type: "previousTurn" })],
    ["enc-delay", () => void api.encounter({ type: "delayTurn" })],
  ];
  for (const [id, fn] of handlers) $(id).addEventListener("click", fn);
  return () => {
    render.stop();
    for (const [id, fn] of handlers) $(id).removeEventListener("click", fn);
  };
}
