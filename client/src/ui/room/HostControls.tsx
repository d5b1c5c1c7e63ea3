/**
 * The host's controls: max players, start / finish / play again (rooms that play rounds), the
 * lock, and who is at the door.
 */
import type { Room } from "@colyseus/sdk";
import type { Signal } from "@preact/signals";
import type { KnockSummary } from "@tavern/shared/protocol";
import type { LobbyState } from "@tavern/shared/state";
import { useEffect, useRef } from "preact/hooks";
import type { TavernConnection } from "../../net/connection";
import { describeError } from "../../net/describeError";
import { useRedraw, useSchemaCallbacks } from "../hooks";
import type { Notify } from "../notice";
import type { RequestAction } from "./useRequestAction";

interface HostControlsProps {
  conn: TavernConnection;
  room: Room<unknown, LobbyState>;
  selfId: string;
  knocks: Signal<KnockSummary[]>;
  act: RequestAction;
  notify: Notify;
  /** Whether the room plays rounds (start, finish, play again). */
  lifecycle: boolean;
}

export function HostControls({ conn, room, selfId, knocks, act, notify, lifecycle }: HostControlsProps) {
  const redraw = useRedraw();
  useSchemaCallbacks(room, (cb) => [
    cb.listen("hostId", redraw),
    cb.listen(room.state.config, "maxPlayers", redraw),
    cb.listen(room.state.config, "locked", redraw),
    cb.listen("phase", redraw),
  ]);
  const host = room.state.hostId === selfId;
  const max = useRef<HTMLInputElement>(null);
  const wasHost = useRef(false);
  useEffect(() => {
    // A list shown to a host is stale once they are not host. (A new host's list arrives before
    // the state says they are host, so it is never cleared on gaining the role.)
    if (wasHost.current && !host && knocks.value.length > 0) knocks.value = [];
    wasHost.current = host;
  }, [host]);
  const config = room.state.config;
  const list = knocks.value;
  // Each round control only in the phase the server accepts it in.
  const phase = room.state.phase;

  return (
    <div id="host-controls" hidden={!host}>
      <h3>Host</h3>
      <div class="actions">
        <label>
          {/* Keyed by the room's value: a change from the server shows, typing is not overwritten meanwhile. */}
          Max players{" "}
          <input id="cfg-max" key={config.maxPlayers} ref={max} type="number" min={1} max={500} defaultValue={String(config.maxPlayers)} />
        </label>
        <button id="cfg-save" onClick={() => act("config", { maxPlayers: Number(max.current?.value) })}>
          Save settings
        </button>
      </div>
      {lifecycle && (
        <div id="round-controls" class="actions">
          <button id="start" disabled={phase !== "lobby"} onClick={() => act("start")}>
            Start
          </button>
          <button id="finish" disabled={phase !== "playing"} onClick={() => act("finish")}>
            Finish
          </button>
          <button id="reset" disabled={phase !== "finished"} onClick={() => act("reset")}>
            Play again
          </button>
        </div>
      )}
      <label id="lock-field">
        <input
          id="lock"
          type="checkbox"
          checked={config.locked}
          onChange={(e) =>
            void conn.request("lock", { locked: e.currentTarget.checked }).then(
              () => notify.succeeded(),
              (err: unknown) => {
                notify(describeError(err));
                redraw(); // back to what the room says
              },
            )
          }
        />{" "}
        locked: newcomers knock
      </label>
      <h4>At the door</h4>
      <ul id="knocks">
        {list.length === 0 && <li class="empty">Nobody is knocking.</li>}
        {list.map((knock) => (
          <li key={knock.id} data-knock-id={knock.id}>
            <span class="player-name">{`${knock.name}${knock.spectator ? " (to watch)" : ""}`}</span>
            <span class="actions">
              <button onClick={() => act("answerKnock", { knockId: knock.id, admit: true })}>Let in</button>
              <button onClick={() => act("answerKnock", { knockId: knock.id, admit: false })}>Turn away</button>
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
