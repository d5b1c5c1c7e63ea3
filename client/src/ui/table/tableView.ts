/**
 * Everything of a table room outside the map: the header, the hint line, and the panels
 * (initiative, sheet, dice, GM). It owns the selection shared with the map and the request API
 * with its update queue, and shows the GM panel only to the GM (the role can change hands).
 */
import type { Room } from "@colyseus/sdk";
import type { TableState } from "@tavern/shared/table/state";
import type { TavernConnection } from "../../net/connection";
import { TableApi } from "../../net/tableApi";
import { entityOf, isGm, mayMove, versionOf } from "../../table/entities";
import { Selection } from "../../table/selection";
import { $ } from "../dom";
import { mountDicePanel } from "./dicePanel";
import { mountCreateForm } from "./gmCreate";
import { mountGmEditor } from "./gmEditor";
import { mountEncounterControls } from "./gmEncounter";
import { mountInitiativeForm } from "./gmInitiative";
import { mountItemEditor } from "./gmItems";
import { recordGmNote, useGmNotesOf } from "./gmNotes";
import { mountInitiativePanel } from "./initiativePanel";
import { renderOnPatch } from "./patchRender";
import { mountSheetPanel } from "./sheetPanel";

export interface TableView {
  selection: Selection;
  api: TableApi;
  unmount(): void;
}

const TABLE_ONLY = ["table-ui", "initiative-panel", "table-head"];

function roleText(state: TableState, selfId: string): string {
  if (isGm(state, selfId)) return "you are the GM";
  if (state.players.get(selfId)?.role === "spectator") return "you are watching";
  const mine: string[] = [];
  state.characters?.forEach((c) => {
    if (c.ownerId === selfId) mine.push(c.name);
  });
  return mine.length ? `you play ${mine.join(", ")}` : "you have no character yet";
}

export function mountTableView(conn: TavernConnection, room: Room<unknown, TableState>, notify: (text: string) => void): TableView {
  const selfId = conn.selfId;
  const selection = new Selection();
  const api = new TableApi(room, notify);
  for (const id of TABLE_ONLY) $(id).hidden = false;
  useGmNotesOf(room.roomId);

  const head = renderOnPatch(
    room,
    () => {
      const s = room.state;
      const ref = selection.ref;
      const entity = ref && entityOf(s, ref);
      let hint = "Click a token to see its sheet.";
      if (ref && entity) {
        hint = mayMove(s, selfId, ref) ? `${entity.name} selected: click a cell to move it.` : `${entity.name} selected.`;
      }
      // The GM sees the whole version; anyone else the public one, which hidden changes do not move.
      const version = versionOf(s, selfId)?.version ?? s.publicVersion;
      return { title: s.title, plugin: s.pluginId, version, role: roleText(s, selfId), gm: isGm(s, selfId), hint };
    },
    (m) => {
      $("table-title").textContent = m.title;
      $("table-plugin").textContent = m.plugin;
      $("table-version").textContent = String(m.version);
      $("table-role").textContent = m.role;
      $("table-hint").textContent = m.hint;
      $("gm-panel").hidden = !m.gm;
    },
  );
  const offs: (() => void)[] = [
    () => head.stop(),
    selection.on(() => head.refresh()),
    conn.on("gmNote", recordGmNote),
    mountInitiativePanel(room, selfId, api).stop,
    mountSheetPanel(room, selection).stop,
    mountDicePanel(room, selfId, api),
    mountEncounterControls(room, api),
    mountInitiativeForm(room, api),
    mountCreateForm(room, api),
    mountGmEditor(room, selection, api),
    mountItemEditor(room, api),
  ];

  return {
    selection,
    api,
    unmount: () => {
      for (const off of offs.splice(0)) off();
      for (const id of TABLE_ONLY) $(id).hidden = true;
    },
  };
}
