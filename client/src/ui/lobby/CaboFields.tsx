/** The Create form's Cabo settings (docs/CABO.md, "Timers"), with the bounds the server checks. */
import { caboConfigSchema, type CaboConfig } from "@tavern/shared/cabo/rules";

/** A number field's bounds, read from the shared schema so the form never offers what the server refuses. */
function bounds(key: "peekSeconds" | "turnSeconds" | "revealSeconds"): { min?: number; max?: number } {
  const field = caboConfigSchema.shape[key].unwrap();
  return { min: field.minValue ?? undefined, max: field.maxValue ?? undefined };
}

export function CaboFields({ defaults }: { defaults: CaboConfig }) {
  return (
    <fieldset id="create-cabo-fields">
      <label>
        Seconds per turn{" "}
        <input
          id="create-cabo-turn"
          name="turnSeconds"
          type="number"
          {...bounds("turnSeconds")}
          defaultValue={String(defaults.turnSeconds)}
        />
      </label>
      <label>
        Seconds to look at the first two cards{" "}
        <input
          id="create-cabo-peek"
          name="peekSeconds"
          type="number"
          {...bounds("peekSeconds")}
          defaultValue={String(defaults.peekSeconds)}
        />
      </label>
      <label>
        Seconds a peeked or spied card stays shown{" "}
        <input
          id="create-cabo-reveal"
          name="revealSeconds"
          type="number"
          {...bounds("revealSeconds")}
          defaultValue={String(defaults.revealSeconds)}
        />
      </label>
      <label>
        <input id="create-cabo-memory" name="memoryAid" type="checkbox" defaultChecked={defaults.memoryAid} /> memory aid: keep showing
        cards you saw
      </label>
    </fieldset>
  );
}

export function caboOptionsOf(form: FormData): Partial<CaboConfig> {
  return {
    turnSeconds: Number(form.get("turnSeconds")),
    peekSeconds: Number(form.get("peekSeconds")),
    revealSeconds: Number(form.get("revealSeconds")),
    memoryAid: form.get("memoryAid") !== null,
  };
}
