/**
 * Everything of a table room outside the map: the head, the hint line, the initiative tracker and
 * the panels (sheet, dice, GM). The selection shared with the map and the request API with its
 * update queue come from the page (the map needs them too); the GM panel is shown only to the GM
 * (the role can change hands).
 */
import type { Room } from "@colyseus/sdk";
import type { TableState } from "@tavern/shared/table/state";
import type { ComponentChildren } from "preact";
import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { TavernConnection } from "../../net/connection";
import type { TableApi } from "../../net/tableApi";
import { entityOf, isGm, mayMove } from "../../table/entities";
import type { Selection } from "../../table/selection";
import { usePatchModel, useSelected } from "../hooks";
import type { Notify } from "../notice";
import { DicePanel } from "./DicePanel";
import { GmPanel } from "./GmPanel";
import { InitiativePanel } from "./InitiativePanel";
import { SheetPanel } from "./SheetPanel";

export interface TableLink {
  selection: Selection;
  api: TableApi;
}

export interface TableContextValue extends TableLink {
  room: Room<unknown, TableState>;
  selfId: string;
}

const TableContext = createContext<TableContextValue | undefined>(undefined);

/** The table these panels show; only rendered inside a TableProvider. */
export function useTable(): TableContextValue {
  const table = useContext(TableContext);
  if (!table) throw new Error("a table panel outside a table room");
  return table;
}

interface ProviderProps {
  conn: TavernConnection;
  room: Room<unknown, TableState>;
  link: TableLink;
  notify: Notify;
  children: ComponentChildren;
}

export function TableProvider({ conn, room, link, children }: ProviderProps) {
  return <TableContext.Provider value={{ room, selfId: conn.selfId, ...link }}>{children}</TableContext.Provider>;
}

function roleText(state: TableState, selfId: string): string {
  if (isGm(state, selfId)) return "you are the GM";
  if (state.players.get(selfId)?.role === "spectator") return "you are watching";
  const mine: string[] = [];
  state.characters?.forEach((c) => {
    if (c.ownerId === selfId) mine.push(c.name);
  });
  return mine.length ? `you play ${mine.join(", ")}` : "you have no character yet";
}

export function TableHead() {
  const { room, selfId } = useTable();
  const m = usePatchModel(room, () => {
    const s = room.state;
    // The GM sees the whole version (it names what a conflict is about); a player has no use for one.
    const version = isGm(s, selfId) ? s.gm?.version : undefined;
    return { title: s.title, plugin: s.pluginId, version, role: roleText(s, selfId) };
  });
  return (
    <span id="table-head">
      · <strong id="table-title">{m.title}</strong> · <span id="table-plugin">{m.plugin}</span>
      {m.version !== undefined && (
        <>
          {" "}
          · version <span id="table-version">{String(m.version)}</span>
        </>
      )}{" "}
      · <span id="table-role">{m.role}</span>
    </span>
  );
}

/** What the table is doing, where other rooms show their phase ("lobby" means nothing at a table). */
export function TableStatus() {
  const { room } = useTable();
  const text = usePatchModel(room, () => {
    const s = room.state;
    if (s.phase === "finished") return "session finished";
    if (!s.encounter.active) return "no encounter";
    // Round 0 is the encounter before its first turn: initiative is being rolled.
    return s.encounter.round > 0 ? `encounter · round ${s.encounter.round}` : "encounter · initiative";
  });
  return <>{text}</>;
}

export function TableInitiative() {
  return <InitiativePanel />;
}

export function TablePanels() {
  const { room, selfId, selection } = useTable();
  const ref = useSelected(selection);
  const m = usePatchModel(room, () => {
    const s = room.state;
    const entity = ref && entityOf(s, ref);
    let hint = "Click a token to see its sheet.";
    if (ref && entity) {
      hint = mayMove(s, selfId, ref) ? `${entity.name} selected: click a cell to move it.` : `${entity.name} selected.`;
    }
    return { gm: isGm(s, selfId), hint };
  }, [ref]);
  return (
    <section id="table-ui">
      <p id="table-hint">{m.hint}</p>
      <div id="table-panels">
        <SheetPanel />
        <DicePanel />
        {/* Mounted for everyone, shown to the GM: the role can change hands, and the server refuses a
            player's GM requests anyway. */}
        <GmPanel hidden={!m.gm} />
      </div>
    </section>
  );
}
