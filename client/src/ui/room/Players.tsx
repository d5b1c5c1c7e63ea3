/**
 * The players with role, ready, where they are (the lobby, an external game, away) and what the
 * game says of them; for the host, kick and host transfer; the ready toggle; the external game.
 */
import type { Room } from "@colyseus/sdk";
import type { SeatLocation } from "@tavern/shared/platform";
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
          <span class="player-name">{`${p.name} · ${p.role}${p.ready ? " · ready" : ""}`}</span>
          <span class={`location location-${p.location}`}>{LOCATION_WORDS[p.location]}</span>
          {p.status && <span class="player-status">{p.status}</span>}
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

const LOCATION_WORDS: Record<SeatLocation, string> = { lobby: "here", game: "in the game", disconnected: "away" };

/** The external game the players went to, or how the last one ended. */
export function ExternalGame({ room }: { room: Room<unknown, LobbyState> }) {
  const redraw = useRedraw();
  useSchemaCallbacks(room, (cb) => [cb.listen("currentGame", redraw), cb.listen("lastGame", redraw)]);
  const { currentGame, lastGame } = room.state;
  if (currentGame) {
    return (
      <p id="external-game" class="playing">
        {"Playing "}
        <b>{currentGame.gameId}</b>
        {currentGame.url && (
          <>
            {" · "}
            <a href={currentGame.url} target="_blank" rel="noopener noreferrer">
              open the game
            </a>
          </>
        )}
      </p>
    );
  }
  if (!lastGame) return null;
  return (
    <p id="external-game" class="ended">
      {"Last game "}
      <b>{lastGame.gameId}</b>
      {": "}
      <span id="external-result">{describeResult(lastGame.result)}</span>
    </p>
  );
}

/** A game's result object in a few words: its own summary when it gives one, else its fields. */
function describeResult(json: string): string {
  try {
    const result = JSON.parse(json) as Record<string, unknown>;
    if (typeof result["summary"] === "string") return result["summary"];
    const parts = Object.entries(result)
      .filter(([, v]) => typeof v !== "object" || v === null)
      .map(([k, v]) => `${k} ${String(v)}`);
    return parts.length > 0 ? parts.join(", ") : "ended";
  } catch {
    return "ended";
  }
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
