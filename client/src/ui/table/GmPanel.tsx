/** The GM's panel: encounter, the selected token's editor, items, the create form and the GM's notes. */
import { GmCreate } from "./GmCreate";
import { GmEditor } from "./GmEditor";
import { GmEncounter } from "./GmEncounter";
import { GmItems } from "./GmItems";
import { gmNoteList } from "./gmNotes";

export function GmPanel({ hidden }: { hidden: boolean }) {
  return (
    <section id="gm-panel" class="panel" hidden={hidden}>
      <h3>Game master</h3>
      <GmEncounter />
      <GmEditor />
      <GmItems />
      <GmCreate />
      <h4>GM notes</h4>
      <ol id="gm-notes">
        {gmNoteList.value.map((n, i) => (
          <li key={i}>{`${new Date(n.at).toLocaleTimeString()} ${n.text}`}</li>
        ))}
      </ol>
    </section>
  );
}
