/** Create a room: its type, a table's title and rules, and the config. */
import type { RoomType } from "@tavern/shared/protocol";
import { defaultMaxPlayers } from "@tavern/shared/roomDefaults";
import { useState } from "preact/hooks";
import type { TavernConnection } from "../../net/connection";
import type { Attempt } from "./Lobby";

export function CreateRoom({ conn, attempt }: { conn: TavernConnection; attempt: Attempt }) {
  const [type, setType] = useState<RoomType>("space");
  return (
    <form
      id="create"
      onSubmit={(e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        const config = {
          maxPlayers: Number(form.get("maxPlayers")),
          minPlayers: Number(form.get("minPlayers")),
          allowSpectators: form.get("allowSpectators") !== null,
          private: form.get("private") !== null,
        };
        const table =
          type === "table"
            ? { title: String(form.get("title") ?? "").trim() || "Untitled session", plugin: String(form.get("plugin") ?? "generic") }
            : {};
        attempt(() => conn.create(type, { config, ...table }));
      }}
    >
      <h2>Create a room</h2>
      <label>
        Type{" "}
        <select id="create-type" value={type} onChange={(e) => setType(e.currentTarget.value as RoomType)}>
          <option value="space">space</option>
          <option value="table">table</option>
        </select>
      </label>
      <fieldset id="create-table-fields" hidden={type !== "table"}>
        <label>
          Title <input id="create-title" name="title" maxLength={64} defaultValue="Untitled session" />
        </label>
        <label>
          Rules{" "}
          <select id="create-plugin" name="plugin">
            <option value="generic">generic (no rules)</option>
            <option value="dnd5e-lite">dnd5e-lite (D&amp;D 5e, light)</option>
          </select>
        </label>
      </fieldset>
      <label>
        {/* Keyed by type: switching type shows that type's default (shared/src/roomDefaults.ts), as the server would use. */}
        Max players{" "}
        <input
          key={type}
          id="create-max"
          name="maxPlayers"
          type="number"
          min={1}
          max={500}
          defaultValue={String(defaultMaxPlayers(type))}
        />
      </label>
      <label>
        Min players <input id="create-min" name="minPlayers" type="number" min={1} max={500} defaultValue="1" />
      </label>
      <label>
        <input id="create-spectators" name="allowSpectators" type="checkbox" defaultChecked /> allow spectators
      </label>
      <label>
        <input id="create-private" name="private" type="checkbox" /> private (join by code only)
      </label>
      <button type="submit">Create</button>
    </form>
  );
}
