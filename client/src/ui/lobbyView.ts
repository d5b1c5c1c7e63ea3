/**
 * The lobby screen: sign-in (and a new guest, on the same device), create, join by code (waiting
 * at a locked room's door), and the live list of public rooms.
 */
import type { ErrorBody } from "@tavern/shared/errors";
import { ROOM_TYPES, type RoomType } from "@tavern/shared/protocol";
import type { TavernConnection } from "../net/connection";
import { describeError } from "../net/describeError";
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

  $("new-guest").addEventListener("click", () => {
    conn.signOut();
    showSignedIn();
    input("name").focus();
  });

  conn.on("knock", (knocking) => {
    $("knock-wait").hidden = !knocking;
    $("knock-code").textContent = knocking?.code ?? "";
  });
  $("knock-cancel").addEventListener("click", () => conn.cancelKnock());

  signin.addEventListener("submit", (e) => {
    e.preventDefault();
    void attempt(async () => {
      await conn.signIn(input("name").value);
      showSignedIn();
    });
  });

  const typeSelect = $("create-type") as HTMLSelectElement;
  const showTypeFields = () => ($("create-table-fields").hidden = typeSelect.value !== "table");
  typeSelect.addEventListener("change", showTypeFields);
  showTypeFields();

  $("create").addEventListener("submit", (e) => {
    e.preventDefault();
    const type = typeSelect.value as RoomType;
    const config = {
      maxPlayers: Number(input("create-max").value),
      minPlayers: Number(input("create-min").value),
      allowSpectators: input("create-spectators").checked,
      private: input("create-private").checked,
    };
    const table =
      type === "table"
        ? { title: input("create-title").value.trim() || "Untitled session", plugin: ($("create-plugin") as HTMLSelectElement).value }
        : {};
    void attempt(() => conn.create(type, { config, ...table }));
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
      const item = el(
        "li",
        `${meta.code ?? "?"} · ${room.name} · ${meta.players ?? 0}/${meta.maxPlayers ?? "?"} · ${meta.phase ?? ""} · host ${meta.hostName ?? ""}`,
      );
      const join = el("button", "Join");
      // The listing names the room type, so no lookup is needed before joining.
      const type = (ROOM_TYPES as readonly string[]).includes(room.name) ? (room.name as RoomType) : undefined;
      join.addEventListener("click", () => void attempt(() => conn.joinByCode(meta.code ?? "", false, type)));
      item.append(join);
      list.append(item);
    }
  });

  showSignedIn();
}
