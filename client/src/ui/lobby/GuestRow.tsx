/**
 * Who this tab plays as, and the ways to be someone else: sign out (the next sign-in is a new
 * guest, under any name), or a guest of this tab's own, so that a second window of the same browser
 * can be a second player instead of taking the first one's seat.
 */
import type { GuestScope, TavernConnection } from "../../net/connection";

export function GuestRow({ conn, name, scope }: { conn: TavernConnection; name: string; scope: GuestScope }) {
  return (
    <div id="guest-row" class="row">
      <span id="guest-scope" data-scope={scope}>
        {scope === "tab"
          ? `You play as ${name} in this tab only.`
          : `You play as ${name} in every tab and window of this browser: joining a room here takes ${name} out of it elsewhere.`}
      </span>
      {scope === "browser" && (
        <button id="tab-guest" type="button" onClick={() => conn.newGuestInThisTab()}>
          New guest in this tab
        </button>
      )}
      <button id="new-guest" type="button" title="Forget this guest: sign in again under any name" onClick={() => conn.signOut()}>
        Sign out / change name
      </button>
    </div>
  );
}
