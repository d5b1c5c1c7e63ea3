/** Browser entry: wires the connection, the lobby, the room panel and the Phaser scene together. */
import * as Phaser from "phaser";
import type { Room } from "@colyseus/sdk";
import type { SpaceState } from "../../shared/src/state";
import { TavernConnection } from "./net/connection";
import { SpaceScene } from "./scenes/SpaceScene";
import { mountLobby } from "./ui/lobbyView";
import { mountRoomView } from "./ui/roomView";
import { $ } from "./ui/dom";
import { installTestHook } from "./testHook";
import { SPACE_MAP } from "../../shared/src/spaceMap";

const endpoint = (import.meta.env["VITE_TAVERN_URL"] as string | undefined) ?? location.origin;
const conn = new TavernConnection(endpoint);

let noticeTimer: ReturnType<typeof setTimeout> | undefined;
function notify(text: string): void {
  const notice = $("notice");
  notice.textContent = text;
  notice.hidden = false;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => (notice.hidden = true), 6000);
}

const game = new Phaser.Game({
  type: Phaser.AUTO,
  parent: "game",
  width: SPACE_MAP.width,
  height: SPACE_MAP.height,
  backgroundColor: "#1d1b22",
  scene: [],
});
const scene = new SpaceScene();
game.scene.add("space", scene, false);

const LAST_ROOM_KEY = "tavern.lastRoom";
// Test builds can delay the scene to prove it renders players who were there before it started.
const sceneDelayMs =
  import.meta.env.MODE === "test" ? Number(new URLSearchParams(location.search).get("sceneDelayMs") ?? 0) : 0;

let unmountRoom: (() => void) | undefined;
function showRoom(room: Room<unknown, SpaceState> | undefined): void {
  unmountRoom?.();
  unmountRoom = undefined;
  $("lobby").hidden = Boolean(room);
  $("room").hidden = !room;
  if (room) {
    room.onStateChange.once((state) => sessionStorage.setItem(LAST_ROOM_KEY, state.code));
    unmountRoom = mountRoomView(conn, room, notify);
    const start = () => {
      if (conn.room === room) game.scene.start("space", { room, selfId: conn.session?.playerId ?? "" });
    };
    if (sceneDelayMs > 0) setTimeout(start, sceneDelayMs);
    else start();
  } else {
    game.scene.stop("space");
  }
}

conn.on("room", showRoom);
conn.on("notice", notify);
conn.on("announcement", (m) => notify(m.text));
conn.on("status", (status) => {
  const badge = $("badge");
  badge.textContent = status;
  badge.className = `badge ${status}`;
  badge.dataset["status"] = status;
  $("rejoin").hidden = status !== "disconnected" || !conn.canRecover;
  if (status === "disconnected" && !conn.room) sessionStorage.removeItem(LAST_ROOM_KEY);
});
$("rejoin").addEventListener("click", () => void conn.recover());
$("leave").addEventListener("click", () => {
  sessionStorage.removeItem(LAST_ROOM_KEY);
  void conn.leave();
});

mountLobby(conn, notify);
if (import.meta.env.MODE === "test") installTestHook(conn, scene);

// A reload returns to the room this tab was in, taking back the same seat (same token).
const lastRoom = sessionStorage.getItem(LAST_ROOM_KEY);
if (conn.session && lastRoom) {
  conn.joinByCode(lastRoom).catch(() => {
    sessionStorage.removeItem(LAST_ROOM_KEY);
    notify(`Room ${lastRoom} is gone.`);
  });
}
