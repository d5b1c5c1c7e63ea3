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
          {`${p.name} · ${p.role}${p.ready ? " · ready" : ""}${p.connected ? "" : " · away"}`}
          {host && id !== selfId && (
            <>
              <button onClick={() => act("kick", { playerId: id })}>Kick</button>
              <button onClick={() => act("transferHost", { playerId: id })}>Make host</button>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

export function ReadyToggle({ room, selfId, act }: PlayersProps) {
  usePlayers(room);
  const redraw = useRedraw();
  useSchemaCallbacks(room, (cb) => [cb.listen("phase", redraw)]);
  const seat = room.state.players.get(selfId);
  // Spectators do not play; the host's own ready is implied by pressing Start.
  if (seat?.role === "spectator") return null;
  if (room.state.hostId === selfId) {
    return (
      <p id="ready-host" class="muted">
        You are the host: press Start once everyone is ready.
      </p>
    );
  }
  return (
    <label id="ready-field" class={room.state.phase === "lobby" ? "" : "muted"}>
      <input
        id="ready"
        type="checkbox"
        checked={seat?.ready ?? false}
        disabled={room.state.phase !== "lobby"}
        onChange={(e) => act("ready", { ready: e.currentTarget.checked })}
      />{" "}
      ready
    </label>
  );
}
