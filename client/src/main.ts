/** Browser entry: wires the connection, the lobby, the room panels and the Phaser scenes together. */
import * as Phaser from "phaser";
import { TavernConnection, type JoinedRoom } from "./net/connection";
import { lifecycleView } from "./net/joined";
import { SpaceScene } from "./scenes/SpaceScene";
import { TableScene, type TableSceneData } from "./scenes/TableScene";
import { mountLobby } from "./ui/lobbyView";
import { mountRoomView } from "./ui/roomView";
import { mountTableView, type TableView } from "./ui/table/tableView";
import { $ } from "./ui/dom";
import { describeError } from "./net/describeError";
import type { ErrorBody } from "@tavern/shared/errors";
import { installTestHook } from "./testHook";
import { SPACE_MAP } from "@tavern/shared/spaceMap";

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

// Test builds can cap the frame rate: several pages rendering WebGL in software share few cores.
const testParams = new URLSearchParams(import.meta.env.MODE === "test" ? location.search : "");
const fpsLimit = Number(testParams.get("fps") ?? 0);

// One canvas for every room type; the table scene fits its grid into the same size.
const game = new Phaser.Game({
  type: Phaser.AUTO,
  parent: "game",
  width: SPACE_MAP.width,
  height: SPACE_MAP.height,
  backgroundColor: "#1d1b22",
  fps: fpsLimit > 0 ? { limit: fpsLimit } : {},
  scene: [],
});
const spaceScene = new SpaceScene();
const tableScene = new TableScene();
game.scene.add("space", spaceScene, false);
game.scene.add("table", tableScene, false);

const LAST_ROOM_KEY = "tavern.lastRoom";
// Test builds can delay the scene to prove it renders what was there before it started.
const sceneDelayMs = Number(testParams.get("sceneDelayMs") ?? 0);

let unmountRoom: (() => void) | undefined;
let tableView: TableView | undefined;

function showRoom(joined: JoinedRoom | undefined): void {
  unmountRoom?.();
  unmountRoom = undefined;
  tableView = undefined;
  game.scene.stop("space");
  game.scene.stop("table");
  $("lobby").hidden = Boolean(joined);
  $("room").hidden = !joined;
  if (!joined) return;

  const room = lifecycleView(joined);
  room.onStateChange.once((state) => sessionStorage.setItem(LAST_ROOM_KEY, state.code));
  const unmountLifecycle = mountRoomView(conn, room, notify);
  let start: () => void;
  if (joined.type === "table") {
    const view = (tableView = mountTableView(conn, joined.room, notify));
    unmountRoom = () => {
      view.unmount();
      unmountLifecycle();
    };
    const data: TableSceneData = {
      room: joined.room,
      selfId: conn.selfId,
      selection: view.selection,
      move: (ref, x, y) => void view.api.moveToken(ref, x, y),
    };
    start = () => game.scene.start("table", data);
  } else {
    unmountRoom = unmountLifecycle;
    start = () => game.scene.start("space", { room: joined.room, selfId: conn.selfId });
  }
  const startIfStillHere = () => {
    if (conn.joined === joined) start();
  };
  if (sceneDelayMs > 0) setTimeout(startIfStillHere, sceneDelayMs);
  else startIfStillHere();
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
  if (status === "disconnected" && !conn.joined) sessionStorage.removeItem(LAST_ROOM_KEY);
});
$("rejoin").addEventListener("click", () => void conn.recover());
$("leave").addEventListener("click", () => {
  sessionStorage.removeItem(LAST_ROOM_KEY);
  void conn.leave();
});

mountLobby(conn, notify);
if (import.meta.env.MODE === "test") installTestHook(conn, { space: spaceScene, table: tableScene, tableView: () => tableView });

// A reload returns to the room this tab was in, taking back the same seat (same token).
const lastRoom = sessionStorage.getItem(LAST_ROOM_KEY);
if (conn.session && lastRoom) {
  conn.joinByCode(lastRoom).catch((err: ErrorBody) => {
    sessionStorage.removeItem(LAST_ROOM_KEY);
    notify(err.code === "NOT_FOUND" ? `Room ${lastRoom} is gone.` : describeError(err));
  });
}
