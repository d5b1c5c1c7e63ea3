/**
 * The room's head line: code, what the room is doing (its lifecycle phase, or what the room type
 * says instead: a table's encounter), locked, (a table's own head), and Leave.
 */
import type { Room } from "@colyseus/sdk";
import type { LobbyState } from "@tavern/shared/state";
import type { ComponentChildren } from "preact";
import { useRedraw, useSchemaCallbacks } from "../hooks";

interface RoomHeadProps {
  room: Room<unknown, LobbyState>;
  leave(): void;
  /** Shown instead of the lifecycle phase, for room types whose phase says nothing to a player. */
  status?: ComponentChildren;
  children?: ComponentChildren;
}

export function RoomHead({ room, leave, status, children }: RoomHeadProps) {
  const redraw = useRedraw();
  useSchemaCallbacks(room, (cb) => [cb.listen("code", redraw), cb.listen("phase", redraw), cb.listen(room.state.config, "locked", redraw)]);
  const s = room.state;
  return (
    <div id="room-head">
      <strong>
        Room <span id="room-code">{s.code}</span>
      </strong>{" "}
      · <span id="room-phase">{status ?? s.phase}</span>{" "}
      <span id="room-locked" hidden={!s.config.locked}>
        · locked
      </span>{" "}
      {children}{" "}
      <button id="leave" onClick={leave}>
        Leave
      </button>
    </div>
  );
}
