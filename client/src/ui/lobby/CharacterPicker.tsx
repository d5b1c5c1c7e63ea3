/**
 * The characters to sign in as, each shown by its standing frame from the space's sprite sheet;
 * "Any" (the default) lets each room give one nobody there has yet.
 */
import { CHARACTERS } from "@tavern/shared/characters";

/** The form field's value for "no pick". */
export const ANY_CHARACTER = "any";

/** The picked character as the sign-in takes it: an index, or undefined for "Any". */
export function pickedCharacter(value: FormDataEntryValue | null): number | undefined {
  const index = Number(value);
  return value === null || value === ANY_CHARACTER || !Number.isInteger(index) ? undefined : index;
}

export function CharacterPicker() {
  return (
    <fieldset id="character-picker">
      <legend>Your character</legend>
      <label class="character-choice">
        <input type="radio" name="character" value={ANY_CHARACTER} defaultChecked />
        <span class="character-face any" aria-hidden="true">
          ?
        </span>
        Any
      </label>
      {CHARACTERS.map((c, i) => (
        <label class="character-choice" key={c.id}>
          <input type="radio" name="character" value={String(i)} data-character={c.id} />
          {/* The sheet's row i, column 0: this character standing, facing down. */}
          <span class="character-face" aria-hidden="true" style={{ backgroundPositionY: `${-i * 48}px` }} />
          {c.label}
        </label>
      ))}
    </fieldset>
  );
}
