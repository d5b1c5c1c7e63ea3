/** The page: the header (who, connection badge, rejoin), the notice line, and the lobby or the room. */
import type { ReadonlySignal } from "@preact/signals";
import type { TavernConnection } from "../net/connection";
import { badgeOf } from "./badge";
import type { ConnState } from "./connState";
import { Lobby } from "./lobby/Lobby";
import type { Notice, Notify } from "./notice";
import { RoomScreen, type CurrentRoom } from "./room/RoomScreen";

export interface AppProps {
  conn: TavernConnection;
  state: ConnState;
  current: ReadonlySignal<CurrentRoom | undefined>;
  notice: ReadonlySignal<Notice | undefined>;
  notify: Notify;
  leave(): void;
}

export function App({ conn, state, current, notice, notify, leave }: AppProps) {
  const status = state.status.value;
  const room = current.value;
  const signedInAs = state.signedInAs.value;
  const badge = badgeOf(status, room !== undefined || conn.canRecover);
  const shown = notice.value;
  return (
    <>
      <header>
        <h1>Tavern</h1>
        <span id="whoami">{signedInAs ? `Signed in as ${signedInAs}${state.scope.value === "tab" ? " (this tab)" : ""}` : ""}</span>
        <span id="badge" class={`badge ${badge.tone}`} data-status={status}>
          {badge.label}
        </span>
        <button id="rejoin" hidden={status !== "disconnected" || !conn.canRecover} onClick={() => void conn.recover()}>
          Rejoin
        </button>
      </header>
      {/* Over the page, not in its flow: a notice never moves the map under the cursor. An error is
          announced at once (alert); information politely (status). */}
      <div id="notice" role={shown?.kind === "info" ? "status" : "alert"} data-kind={shown?.kind} class={shown?.kind} hidden={!shown}>
        {shown?.text}
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
