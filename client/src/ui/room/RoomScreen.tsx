/**
 * The room screen, the same frame for every room type: the head line, the map (the Phaser
 * canvas, moved in from the page while the room is shown), the side panel (players, ready, host
 * controls, chat) and, in a table room, the table's head, initiative tracker and panels.
 */
import type { TavernConnection } from "../../net/connection";
import { lifecycleView, type JoinedRoom } from "../../net/joined";
import type { ConnState } from "../connState";
import type { Notify } from "../notice";
import { TableHead, TableInitiative, TablePanels, TableProvider, TableStatus, type TableLink } from "../table/TableView";
import type { CaboLink } from "../../cabo/link";
import { CaboPanel } from "../cabo/CaboPanel";
import { CaboStatus } from "../cabo/CaboStatus";
import { Chat } from "./Chat";
import { GameSlot } from "./GameSlot";
import { HostControls } from "./HostControls";
import { ExternalGame, Players, ReadyToggle } from "./Players";
import { RoomHead } from "./RoomHead";
import { useRequestAction } from "./useRequestAction";

/** The room shown now; `id` is new at every join, so a rejoin mounts fresh components. */
export interface CurrentRoom {
  id: number;
  joined: JoinedRoom;
  /** Table rooms: the selection shared with the map, and the table's requests. */
  table?: TableLink;
  /** Cabo rooms: the picks shared with the table, the moves, the memory aid. */
  cabo?: CaboLink;
}

export interface RoomScreenProps {
  conn: TavernConnection;
  state: ConnState;
  current: CurrentRoom;
  notify: Notify;
  leave(): void;
}

export function RoomScreen({ conn, state, current, notify, leave }: RoomScreenProps) {
  const room = lifecycleView(current.joined);
  const selfId = conn.selfId;
  const act = useRequestAction(conn, notify);
  const table = current.joined.type === "table" && current.table ? { room: current.joined.room, link: current.table } : undefined;
  const cabo = current.joined.type === "cabo" && current.cabo ? { room: current.joined.room, link: current.cabo } : undefined;

  const frame = (
    <section id="room">
      <RoomHead room={room} leave={leave} status={table ? <TableStatus /> : cabo && <CaboStatus room={cabo.room} />}>
        {table && <TableHead />}
      </RoomHead>
      <GameSlot />
      <aside>
        {table && <TableInitiative />}
        <h3>Players</h3>
        <ExternalGame room={room} />
        <Players room={room} selfId={selfId} act={act} />
        {/* A table has no rounds to be ready for, start or play again: its GM runs encounters instead. */}
        {!table && <ReadyToggle room={room} selfId={selfId} act={act} />}
        <HostControls conn={conn} room={room} selfId={selfId} knocks={state.knocks} act={act} notify={notify} lifecycle={!table} />
        <h3>Chat</h3>
        <Chat room={room} act={act} />
      </aside>
      {table && <TablePanels />}
      {cabo && <CaboPanel room={cabo.room} selfId={selfId} link={cabo.link} act={act} />}
    </section>
  );
  if (!table) return frame;
  return (
    <TableProvider conn={conn} room={table.room} link={table.link} notify={notify}>
      {frame}
    </TableProvider>
  );
}
