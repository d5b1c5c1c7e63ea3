/**
 * Accounts, for players who want to keep who they are: sign in with a user name and password
 * (the same player as where it was claimed: their tables and GM roles come along), claim the
 * current guest under one, and end every sign-in of the account.
 */
import type { TavernConnection } from "../../net/connection";
import type { Attempt } from "./Lobby";

export function AccountSignIn({ conn, attempt }: { conn: TavernConnection; attempt: Attempt }) {
  return (
    <form
      id="login"
      class="row"
      onSubmit={(e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        attempt(() => conn.logIn(String(form.get("username") ?? ""), String(form.get("password") ?? "")));
      }}
    >
      <span>Have an account?</span>
      <input id="login-username" name="username" placeholder="user name" required autoComplete="username" maxLength={32} />
      <input id="login-password" name="password" type="password" placeholder="password" required autoComplete="current-password" />
      <button type="submit">Sign in to my account</button>
    </form>
  );
}

export function AccountRow({ conn, attempt, username }: { conn: TavernConnection; attempt: Attempt; username: string | undefined }) {
  if (username) {
    return (
      <div id="account" class="row">
        <span id="account-name">Account: {username}</span>
        <button id="signout-everywhere" type="button" onClick={() => attempt(() => conn.signOutEverywhere())}>
          Sign out everywhere
        </button>
      </div>
    );
  }
  return (
    <details id="claim">
      <summary>Keep this identity (to come back from another browser, or after a long time)</summary>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          attempt(() => conn.claim(String(form.get("username") ?? ""), String(form.get("password") ?? "")));
        }}
      >
        <input id="claim-username" name="username" placeholder="user name" required autoComplete="username" minLength={3} maxLength={32} />
        <input
          id="claim-password"
          name="password"
          type="password"
          placeholder="password (10+ characters)"
          required
          minLength={10}
          autoComplete="new-password"
        />
        <button type="submit">Keep it</button>
      </form>
    </details>
  );
}
