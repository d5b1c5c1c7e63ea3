/**
 * The room panel beside the map, the same for every room type (it reads only the lifecycle
 * fields): players with roles and connection, ready toggle, host controls (the lock, and who is
 * knocking), chat. Rendered from schema callbacks like the scene.
 */
import type { AnyRoomContract, PayloadArgs, RequestName } from "@tavern/shared/contract";
import { Callbacks, type Room } from "@colyseus/sdk";
import type { ErrorBody } from "@tavern/shared/errors";
import type { KnockSummary } from "@tavern/shared/protocol";
import type { LobbyState } from "@tavern/shared/state";
import type { TavernConnection } from "../net/connection";
import { describeError } from "../net/describeError";
import { $, el, input } from "./dom";

export function mountRoomView(conn: TavernConnection, room: Room<unknown, LobbyState>, notify: (text: string) => void): () => void {
  const cb = Callbacks.get(room);
  const selfId = conn.session?.playerId ?? "";
  const offs: (() => void)[] = [];

  const act = <K extends RequestName<AnyRoomContract>>(name: K, ...payload: PayloadArgs<AnyRoomContract, K>) =>
    void conn.request(name, ...payload).catch((err: ErrorBody) => notify(describeError(err)));

  const renderPlayers = () => {
    const list = $("players");
    list.replaceChildren();
    const host = room.state.hostId === selfId;
    for (const [id, p] of room.state.players) {
      const item = el(
        "li",
        `${p.name} · ${p.role}${p.ready ? " · ready" : ""}${p.connected ? "" : " · away"}`,
        p.connected ? "" : "offline",
      );
      item.dataset["playerId"] = String(id);
      if (host && id !== selfId) {
        const kick = el("button", "Kick");
        kick.addEventListener("click", () => act("kick", { playerId: id }));
        const promote = el("button", "Make host");
        promote.addEventListener("click", () => act("transferHost", { playerId: id }));
        item.append(kick, promote);
      }
      list.append(item);
    }
    $("host-controls").hidden = !host;
    input("ready").checked = room.state.players.get(selfId)?.ready ?? false;
  };

  let knocks: KnockSummary[] = [];
  const renderKnocks = () => {
    const list = $("knocks");
    list.replaceChildren();
    if (knocks.length === 0) list.append(el("li", "Nobody is knocking.", "empty"));
    for (const knock of knocks) {
      const item = el("li", `${knock.name}${knock.spectator ? " (to watch)" : ""}`);
      item.dataset["knockId"] = knock.id;
      const admit = el("button", "Let in");
      admit.addEventListener("click", () => act("answerKnock", { knockId: knock.id, admit: true }));
      const deny = el("button", "Turn away");
      deny.addEventListener("click", () => act("answerKnock", { knockId: knock.id, admit: false }));
      item.append(admit, deny);
      list.append(item);
    }
  };

  const renderLock = () => {
    const locked = room.state.config.locked;
    input("lock").checked = locked;
    $("room-locked").hidden = !locked;
  };

  let wasHost = false;
  const renderRoom = () => {
    $("room-code").textContent = room.state.code;
    $("room-phase").textContent = room.state.phase;
    input("cfg-max").value = String(room.state.config.maxPlayers);
    const host = room.state.hostId === selfId;
    // A list shown to a host is stale once they are not host. (A new host's list arrives before
    // the state says they are host, so it is never cleared on gaining the role.)
    if (wasHost && !host && knocks.length > 0) {
      knocks = [];
      renderKnocks();
    }
    wasHost = host;
    renderLock();
    renderPlayers();
  };

  const renderChat = () => {
    const chat = $("chat");
    chat.replaceChildren(
      ...room.state.chat.map((line) => el("li", line.playerId ? `${line.name}: ${line.text}` : line.text, line.playerId ? "" : "system")),
    );
    chat.scrollTop = chat.scrollHeight;
  };

  offs.push(
    cb.onAdd("players", (player) => {
      offs.push(cb.onChange(player, renderPlayers));
      renderPlayers();
    }),
    cb.onRemove("players", renderPlayers),
    cb.listen("hostId", renderRoom),
    cb.listen("phase", renderRoom),
    cb.listen("code", renderRoom),
    cb.onAdd("chat", renderChat),
    cb.onRemove("chat", renderChat),
    cb.listen(room.state.config, "locked", renderLock),
    conn.on("knocks", (list) => {
      knocks = list;
      renderKnocks();
    }),
  );

  const handlers: [string, string, EventListener][] = [
    ["ready", "change", () => act("ready", { ready: input("ready").checked })],
    ["cfg-save", "click", () => act("config", { maxPlayers: Number(input("cfg-max").value) })],
    [
      "lock",
      "change",
      () =>
        void conn.request("lock", { locked: input("lock").checked }).catch((err: ErrorBody) => {
          notify(describeError(err));
          renderLock(); // back to what the room says
        }),
    ],
    ["start", "click", () => act("start")],
    ["finish", "click", () => act("finish")],
    ["reset", "click", () => act("reset")],
    [
      "chat-form",
      "submit",
      (e) => {
        e.preventDefault();
        const text = input("chat-text").value;
        input("chat-text").value = "";
        if (text.trim()) act("chat", { text });
      },
    ],
  ];
  for (const [id, event, fn] of handlers) $(id).addEventListener(event, fn);
  renderRoom();
  renderKnocks();

  return () => {
    for (const off of offs.splice(0)) off();
    for (const [id, event, fn] of handlers) $(id).removeEventListener(event, fn);
  };
}
