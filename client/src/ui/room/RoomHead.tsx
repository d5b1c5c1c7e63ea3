/** The room's head line: code, phase, locked, (a table's own head), and Leave. */
import type { Room } from "@colyseus/sdk";
import type { LobbyState } from "@tavern/shared/state";
import type { ComponentChildren } from "preact";
import { useRedraw, useSchemaCallbacks } from "../hooks";

export function RoomHead({ room, leave, children }: { room: Room<unknown, LobbyState>; leave(): void; children?: ComponentChildren }) {
  const redraw = useRedraw();
  useSchemaCallbacks(room, (cb) => [cb.listen("code", redraw), cb.listen("phase", redraw), cb.listen(room.state.config, "locked", redraw)]);
  const s = room.state;
  return (
    <div id="room-head">
      <strong>
        Room <span id="room-code">{s.code}</span>
      </strong>{" "}
      · <span id="room-phase">{s.phase}</span>{" "}
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
