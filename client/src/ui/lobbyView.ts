/** The lobby screen: sign-in, create, join by code, and the live list of public rooms. */
import type { ErrorBody } from "../../../shared/src/errors";
import { describeError, type TavernConnection } from "../net/connection";
import { $, el, input } from "./dom";

export function mountLobby(conn: TavernConnection, notify: (text: string) => void): void {
  const signin = $("signin") as HTMLFormElement;
  const actions = $("lobby-actions");
  const showSignedIn = () => {
    const signedIn = Boolean(conn.session);
    signin.hidden = signedIn;
    actions.hidden = !signedIn;
    $("whoami").textContent = conn.session ? `Signed in as ${conn.session.name}` : "";
    if (signedIn) void conn.watchRooms().catch(() => notify("The public room list is unavailable right now."));
  };

  const attempt = async (work: () => Promise<unknown>) => {
    try {
      await work();
    } catch (err) {
      notify(describeError(err as ErrorBody));
    }
  };

  signin.addEventListener("submit", (e) => {
    e.preventDefault();
    void attempt(async () => {
      await conn.signIn(input("name").value);
      showSignedIn();
    });
  });

  $("create").addEventListener("submit", (e) => {
    e.preventDefault();
    void attempt(() =>
      conn.create(($("create-type") as HTMLSelectElement).value, {
        maxPlayers: Number(input("create-max").value),
        minPlayers: Number(input("create-min").value),
        allowSpectators: input("create-spectators").checked,
        private: input("create-private").checked,
      }),
    );
  });

  $("join").addEventListener("submit", (e) => {
    e.preventDefault();
    void attempt(() => conn.joinByCode(input("join-code").value, input("join-spectator").checked));
  });

  conn.on("rooms", (rooms) => {
    const list = $("room-list");
    list.replaceChildren();
    if (rooms.length === 0) list.append(el("li", "No public rooms yet.", "empty"));
    for (const room of rooms) {
      const meta = room.metadata ?? {};
      const item = el("li", `${meta.code ?? "?"} · ${room.name} · ${meta.players ?? 0}/${meta.maxPlayers ?? "?"} · ${meta.phase ?? ""} · host ${meta.hostName ?? ""}`);
      const join = el("button", "Join");
      join.addEventListener("click", () => void attempt(() => conn.joinByCode(meta.code ?? "")));
      item.append(join);
      list.append(item);
    }
  });

  showSignedIn();
}
