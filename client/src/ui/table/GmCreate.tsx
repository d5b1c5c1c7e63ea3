/**
 * The GM's create form: a character (owned by a player), an actor (monster or npc, maybe hidden)
 * or an item (held by a token). New tokens are put on the first free cell so they do not stack.
 */
import { useState } from "preact/hooks";
import type { EntityCollection } from "../../net/tableApi";
import { freeCell } from "../../table/entities";
import { offered } from "../choices";
import { usePatchModel } from "../hooks";
import { Options } from "../Options";
import { holderChoices } from "./GmItems";
import { useTable } from "./TableView";

export function GmCreate() {
  const { room, api } = useTable();
  const m = usePatchModel(room, () => ({
    owners: [
      { value: "", label: "(nobody)" },
      ...[...room.state.players.entries()]
        .filter(([id, p]) => p.role !== "spectator" && id !== room.state.hostId)
        .map(([id, p]) => ({ value: id, label: p.name })),
    ],
    holders: holderChoices(room.state),
  }));
  const [which, setWhich] = useState<EntityCollection>("characters");
  const [name, setName] = useState("");
  const [owner, setOwner] = useState("");
  const [holder, setHolder] = useState("");
  // Held in state: a GM placing several hidden monsters ticks it once.
  const [hidden, setHidden] = useState(false);
  const ownerId = offered(m.owners, owner);
  const holderId = offered(m.holders, holder);
  const hiddenUnless = (collections: EntityCollection[]) => !collections.includes(which);
  return (
    <form
      id="create-entity"
      onSubmit={(e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        const trimmed = name.trim();
        if (!trimmed) return;
        const hp = Math.max(0, Math.round(Number(form.get("hp")) || 0));
        let fields: Record<string, unknown>;
        if (which === "characters") {
          fields = { name: trimmed, ownerId, hp, maxHp: hp, ...freeCell(room.state) };
        } else if (which === "actors") {
          fields = { name: trimmed, kind: String(form.get("kind") ?? "monster"), hp, maxHp: hp, hidden, ...freeCell(room.state) };
        } else {
          fields = { name: trimmed, holderId, hidden };
        }
        void api.create(which, fields).then((reply) => {
          if (reply) setName("");
        });
      }}
    >
      <fieldset>
        <legend>Create</legend>
        <select
          id="ce-collection"
          aria-label="what to create"
          value={which}
          onChange={(e) => setWhich(e.currentTarget.value as EntityCollection)}
        >
          <option value="characters">character</option>
          <option value="actors">actor</option>
          <option value="items">item</option>
        </select>{" "}
        <input
          id="ce-name"
          placeholder="Name"
          maxLength={64}
          required
          aria-label="name"
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
        />{" "}
        <label hidden={hiddenUnless(["characters"])}>
          Owner{" "}
          <select id="ce-owner" value={ownerId} onChange={(e) => setOwner(e.currentTarget.value)}>
            <Options choices={m.owners} />
          </select>
        </label>
        <label hidden={hiddenUnless(["actors"])}>
          Kind{" "}
          <select id="ce-kind" name="kind">
            <option value="monster">monster</option>
            <option value="npc">npc</option>
          </select>
        </label>
        <label hidden={hiddenUnless(["characters", "actors"])}>
          HP <input id="ce-hp" name="hp" type="number" min={0} defaultValue="10" />
        </label>
        <label hidden={hiddenUnless(["items"])}>
          Holder{" "}
          <select id="ce-holder" value={holderId} onChange={(e) => setHolder(e.currentTarget.value)}>
            <Options choices={m.holders} />
          </select>
        </label>
        <label hidden={hiddenUnless(["actors", "items"])}>
          <input id="ce-hidden" type="checkbox" checked={hidden} onChange={(e) => setHidden(e.currentTarget.checked)} /> hidden
        </label>{" "}
        <button>Create</button>
      </fieldset>
    </form>
  );
}
