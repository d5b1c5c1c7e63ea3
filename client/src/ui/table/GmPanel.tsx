/** The GM's panel: encounter, the selected token's editor, items, the create form and the GM's notes. */
import { GmCreate } from "./GmCreate";
import { GmEditor } from "./GmEditor";
import { GmEncounter } from "./GmEncounter";
import { GmItems } from "./GmItems";
import { gmNotesOf } from "./gmNotes";
import { usePatchModel } from "../hooks";
import { useTable } from "./TableView";

export function GmPanel({ hidden }: { hidden: boolean }) {
  const { room } = useTable();
  const notes = usePatchModel(room, () => gmNotesOf(room.state));
  return (
    <section id="gm-panel" class="panel" hidden={hidden}>
      <h3>Game master</h3>
      <GmEncounter />
      <GmEditor />
      <GmItems />
      <GmCreate />
      <h4>GM notes</h4>
      <ol id="gm-notes">
        {notes.map((n, i) => (
          <li key={i}>{`${new Date(n.at).toLocaleTimeString()} ${n.text}`}</li>
        ))}
      </ol>
    </section>
  );
}
