/** Create a room: its type, a table's title and rules, a Cabo game's settings, and the config. */
import { CABO_CONFIG_DEFAULTS } from "@tavern/shared/cabo/rules";
import type { RoomType } from "@tavern/shared/protocol";
import { defaultMaxPlayers, playerLimits } from "@tavern/shared/roomDefaults";
import { useState } from "preact/hooks";
import type { CreateOptions } from "../../net/joined";
import type { TavernConnection } from "../../net/connection";
import { testParams } from "../../testParams";
import type { Attempt } from "./Lobby";
import { CaboFields, caboOptionsOf } from "./CaboFields";

/** The widest a room's player count goes where its type sets no limit of its own. */
const ANY_PLAYERS = { min: 1, max: 500 };

export function CreateRoom({ conn, attempt }: { conn: TavernConnection; attempt: Attempt }) {
  const [type, setType] = useState<RoomType>("space");
  const limits = playerLimits(type) ?? ANY_PLAYERS;
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
        const options: CreateOptions = { config };
        if (type === "table") {
          options.title = String(form.get("title") ?? "").trim() || "Untitled session";
          options.plugin = String(form.get("plugin") ?? "generic");
        }
        if (type === "cabo") {
          options.cabo = caboOptionsOf(form);
          // Test builds deal from a fixed seed when the page's address names one (the server accepts it in test mode only).
          const seed = testParams.get("caboSeed");
          if (seed) options.seed = seed;
        }
        attempt(() => conn.create(type, options));
      }}
    >
      <h2>Create a room</h2>
      <label>
        Type{" "}
        <select id="create-type" value={type} onChange={(e) => setType(e.currentTarget.value as RoomType)}>
          <option value="space">space</option>
          <option value="table">table</option>
          <option value="cabo">cabo (card game)</option>
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
      {type === "cabo" && <CaboFields defaults={CABO_CONFIG_DEFAULTS} />}
      {/* Keyed by type: switching type shows that type's defaults and limits (shared/src/roomDefaults.ts), as the server would use. */}
      <label>
        Max players{" "}
        <input
          key={`max-${type}`}
          id="create-max"
          name="maxPlayers"
          type="number"
          min={limits.min}
          max={limits.max}
          defaultValue={String(defaultMaxPlayers(type))}
        />
      </label>
      <label>
        Min players{" "}
        <input
          key={`min-${type}`}
          id="create-min"
          name="minPlayers"
          type="number"
          min={limits.min}
          max={limits.max}
          defaultValue={String(limits.min)}
        />
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
