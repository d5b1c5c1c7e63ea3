/** The page: the header (who, connection badge, rejoin), the notice line, and the lobby or the room. */
import type { ReadonlySignal } from "@preact/signals";
import type { TavernConnection } from "../net/connection";
import type { ConnState } from "./connState";
import { Lobby } from "./lobby/Lobby";
import type { Notify } from "./notice";
import { RoomScreen, type CurrentRoom } from "./room/RoomScreen";

export interface AppProps {
  conn: TavernConnection;
  state: ConnState;
  current: ReadonlySignal<CurrentRoom | undefined>;
  notice: ReadonlySignal<string | undefined>;
  notify: Notify;
  leave(): void;
}

export function App({ conn, state, current, notice, notify, leave }: AppProps) {
  const status = state.status.value;
  const room = current.value;
  const signedInAs = state.signedInAs.value;
  return (
    <>
      <header>
        <h1>Tavern</h1>
        <span id="whoami">{signedInAs ? `Signed in as ${signedInAs}${state.scope.value === "tab" ? " (this tab)" : ""}` : ""}</span>
        <span id="badge" class={`badge ${status}`} data-status={status}>
          {status}
        </span>
        <button id="rejoin" hidden={status !== "disconnected" || !conn.canRecover} onClick={() => void conn.recover()}>
          Rejoin
        </button>
      </header>
      <div id="notice" role="alert" hidden={notice.value === undefined}>
        {notice.value}
      </div>
      <main>
        {room ? (
          <RoomScreen key={room.id} conn={conn} state={state} current={room} notify={notify} leave={leave} />
        ) : (
          <Lobby conn={conn} state={state} notify={notify} />
        )}
      </main>
    </>
  );
}
