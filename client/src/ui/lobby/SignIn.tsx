/** The sign-in form: a name, a character, and whether this guest is the browser's or this tab's own. */
import { useEffect, useRef } from "preact/hooks";
import type { GuestScope, TavernConnection } from "../../net/connection";
import { CharacterPicker, pickedCharacter } from "./CharacterPicker";
import type { Attempt } from "./Lobby";

export function SignIn({ conn, scope, attempt }: { conn: TavernConnection; scope: GuestScope; attempt: Attempt }) {
  const name = useRef<HTMLInputElement>(null);
  // Shown after a sign-out too: the name is what to type next.
  useEffect(() => name.current?.focus(), []);
  return (
    <form
      id="signin"
      onSubmit={(e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        const scope = form.get("tabOnly") !== null ? "tab" : "browser";
        attempt(() => conn.signIn(String(form.get("name") ?? ""), scope, pickedCharacter(form.get("character"))));
      }}
    >
      <label>
        Your name <input id="name" name="name" ref={name} maxLength={32} required autoComplete="nickname" />
      </label>
      <CharacterPicker />
      <button type="submit">Sign in</button>
      <label class="hint">
        <input id="signin-tab" name="tabOnly" type="checkbox" defaultChecked={scope === "tab"} /> only in this tab (other tabs and windows
        of this browser keep their own guest)
      </label>
    </form>
  );
}
