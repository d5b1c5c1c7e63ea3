/**
 * The lobby screen: sign-in (for the browser or this tab alone), who this tab plays as, create,
 * join by code (waiting at a locked room's door), and the live list of public rooms.
 */
import { useEffect } from "preact/hooks";
import type { TavernConnection } from "../../net/connection";
import { describeError } from "../../net/describeError";
import type { ConnState } from "../connState";
import type { Notify } from "../notice";
import { CreateRoom } from "./CreateRoom";
import { AccountRow, AccountSignIn } from "./Account";
import { GuestRow } from "./GuestRow";
import { PublicRooms } from "./PublicRooms";
import { SignIn } from "./SignIn";

export interface LobbyProps {
  conn: TavernConnection;
  state: ConnState;
  notify: Notify;
}

/** Runs a lobby action; its failure is told in words. */
export type Attempt = (work: () => Promise<unknown>) => void;

export function Lobby({ conn, state, notify }: LobbyProps) {
  const signedIn = state.signedInAs.value !== undefined;
  const knock = state.knock.value;
  const attempt: Attempt = (work) =>
    void work().then(
      () => notify.succeeded(),
      (err: unknown) => notify(describeError(err)),
    );

  useEffect(() => {
    if (signedIn) void conn.watchRooms().catch(() => notify("The public room list is unavailable right now."));
  }, [signedIn]);

  return (
    <section id="lobby">
      <div id="knock-wait" role="status" hidden={!knock}>
        Waiting for the host to let you in to <strong id="knock-code">{knock?.code ?? ""}</strong>…{" "}
        <button id="knock-cancel" type="button" onClick={() => conn.cancelKnock()}>
          Stop knocking
        </button>
      </div>
      {!signedIn && <SignIn conn={conn} scope={state.scope.value} attempt={attempt} />}
      {!signedIn && <AccountSignIn conn={conn} attempt={attempt} />}
      {signedIn && (
        <div id="lobby-actions">
          <GuestRow conn={conn} name={state.signedInAs.value ?? ""} scope={state.scope.value} />
          <AccountRow conn={conn} attempt={attempt} username={state.username.value} />
          <CreateRoom conn={conn} attempt={attempt} />
          <JoinByCode conn={conn} attempt={attempt} />
          <PublicRooms conn={conn} rooms={state.rooms.value} attempt={attempt} />
        </div>
      )}
    </section>
  );
}

function JoinByCode({ conn, attempt }: { conn: TavernConnection; attempt: Attempt }) {
  return (
    <form
      id="join"
      onSubmit={(e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        attempt(() => conn.joinByCode(String(form.get("code") ?? ""), form.get("spectator") !== null));
      }}
    >
      <h2>Join by code</h2>
      <input id="join-code" name="code" placeholder="ABC-DEF" maxLength={8} autoComplete="off" required />
      <label>
        <input id="join-spectator" name="spectator" type="checkbox" /> as spectator
      </label>
      <button type="submit">Join</button>
    </form>
  );
}
