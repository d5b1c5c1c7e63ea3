/** The players with role, ready and connection; for the host, kick and host transfer; the ready toggle. */
import type { Room } from "@colyseus/sdk";
import type { LobbyState } from "@tavern/shared/state";
import { useRedraw, useSchemaCallbacks } from "../hooks";
import type { RequestAction } from "./useRequestAction";
import { subscribePlayers } from "./playerSubscriptions";

interface PlayersProps {
  room: Room<unknown, LobbyState>;
  selfId: string;
  act: RequestAction;
}

/** Redraws on any change to the players or the host: a player's own changes too, until they leave. */
function usePlayers(room: Room<unknown, LobbyState>): void {
  const redraw = useRedraw();
  useSchemaCallbacks(room, (cb) => subscribePlayers(cb, redraw).offs);
}

export function Players({ room, selfId, act }: PlayersProps) {
  usePlayers(room);
  const host = room.state.hostId === selfId;
  return (
    <ul id="players">
      {[...room.state.players].map(([id, p]) => (
        <li key={id} data-player-id={String(id)} class={p.connected ? "" : "offline"}>
          {/* Their character's standing frame, as the space shows them (spectators have no avatar). */}
          {p.role !== "spectator" && (
            <span class="character-face small" aria-hidden="true" style={{ backgroundPositionY: `${-p.character * 24}px` }} />
          )}
          <span class="player-name">{`${p.name} · ${p.role}${p.ready ? " · ready" : ""}${p.connected ? "" : " · away"}`}</span>
          {host && id !== selfId && (
            <span class="actions">
              <button onClick={() => act("kick", { playerId: id })}>Kick</button>
              <button onClick={() => act("transferHost", { playerId: id })}>Make host</button>
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}

export function ReadyToggle({ room, selfId, act }: PlayersProps) {
  usePlayers(room);
  return (
    <label>
      <input
        id="ready"
        type="checkbox"
        checked={room.state.players.get(selfId)?.ready ?? false}
        onChange={(e) => act("ready", { ready: e.currentTarget.checked })}
      />{" "}
      ready
    </label>
  );
}
