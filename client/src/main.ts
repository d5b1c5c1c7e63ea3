/**
 * Browser entry: wires the connection, the map (Phaser, loaded on demand) and the component tree
 * together.
 */
import { signal } from "@preact/signals";
import { createElement, render } from "preact";
import type { ErrorBody } from "@tavern/shared/errors";
import { TavernConnection, type JoinedRoom } from "./net/connection";
import { describeError } from "./net/describeError";
import { lifecycleView } from "./net/joined";
import { TableApi } from "./net/tableApi";
import { LazyStage } from "./game/lazyStage";
import type { SceneData, SceneKey } from "./game/scenes";
import type { TableSceneData } from "./scenes/TableScene";
import type { CaboSceneData } from "./scenes/CaboScene";
import { caboLink } from "./cabo/link";
import { Selection } from "./table/selection";
import { installTestHook } from "./testHook";
import { testParams } from "./testParams";
import { App } from "./ui/App";
import { connState } from "./ui/connState";
import { createNotice } from "./ui/notice";
import type { CurrentRoom } from "./ui/room/RoomScreen";

const endpoint = (import.meta.env["VITE_TAVERN_URL"] as string | undefined) ?? location.origin;
const conn = new TavernConnection(endpoint);
const { notice, notify } = createNotice();
const state = connState(conn);

// Test builds can cap the frame rate: several pages rendering WebGL in software share few cores.
const fpsLimit = Number(testParams.get("fps") ?? 0);

// The map's code is loaded when a room first needs it (and fetched in the background once the
// lobby is on screen), so the lobby's first paint waits for none of it.
const stage = new LazyStage({ parent: "game", fpsLimit });

const LAST_ROOM_KEY = "tavern.lastRoom";
// Test builds can delay the scene to prove it renders what was there before it started.
const sceneDelayMs = Number(testParams.get("sceneDelayMs") ?? 0);

const current = signal<CurrentRoom | undefined>(undefined);
let joins = 0;

/** Starts a room's scene once the map is loaded, unless the page has left that room meanwhile. */
function startScene<K extends SceneKey>(joined: JoinedRoom, key: K, data: SceneData<K>): void {
  stage.load().then(
    (loaded) => {
      if (conn.joined === joined) loaded.start(key, data);
    },
    () => notify("The map could not be loaded. Check the connection, then reload the page."),
  );
}

function showRoom(joined: JoinedRoom | undefined): void {
  stage.stopAll();
  current.value?.cabo?.memory.stop();
  if (!joined) {
    current.value = undefined;
    return;
  }
  // A link hands over a room only once its first state is decoded, so its code is known now: a
  // reload right after joining (before any further patch) must still come back to it.
  sessionStorage.setItem(LAST_ROOM_KEY, lifecycleView(joined).state.code);
  let start: () => void;
  if (joined.type === "table") {
    const table = { selection: new Selection(), api: new TableApi(joined.room, notify) };
    current.value = { id: ++joins, joined, table };
    const data: TableSceneData = {
      room: joined.room,
      selfId: conn.selfId,
      selection: table.selection,
      move: (ref, x, y) => void table.api.moveToken(ref, x, y),
    };
    start = () => startScene(joined, "table", data);
  } else if (joined.type === "cabo") {
    const cabo = caboLink(joined.room, conn.selfId, notify);
    current.value = { id: ++joins, joined, cabo };
    const data: CaboSceneData = { room: joined.room, selfId: conn.selfId, ...cabo };
    start = () => startScene(joined, "cabo", data);
  } else {
    current.value = { id: ++joins, joined };
    start = () => {
      // A cabo room has no scene of its own yet, and the space scene cannot draw its state.
      if (joined.type === "space") startScene(joined, "space", { room: joined.room, selfId: conn.selfId });
    };
  }
  const startIfStillHere = () => {
    if (conn.joined === joined) start();
  };
  if (sceneDelayMs > 0) setTimeout(startIfStillHere, sceneDelayMs);
  else startIfStillHere();
}

conn.on("room", showRoom);
conn.on("notice", (n) => notify(n.text, n.kind));
// The host changed, the phase moved, someone was removed: news, not an error. Something of the
// GM's session that was not saved is one: it is shown as an error.
conn.on("announcement", (m) => notify(m.text, m.kind === "not-saved" ? "error" : "info"));
conn.on("status", (status) => {
  if (status === "disconnected" && !conn.joined) sessionStorage.removeItem(LAST_ROOM_KEY);
});
const leave = () => {
  sessionStorage.removeItem(LAST_ROOM_KEY);
  void conn.leave();
};

render(createElement(App, { conn, state, current, notice, notify, leave }), document.getElementById("app")!);
// The lobby is on screen: fetch the map's code while the player reads it.
requestAnimationFrame(() => setTimeout(() => stage.prefetch()));
if (import.meta.env.MODE === "test") {
  installTestHook(conn, { scenes: () => stage.current?.scenes, tableApi: () => current.value?.table?.api });
}

// A reload returns to the room this tab was in, taking back the same seat (same token).
// The stored sign-in is renewed once that return has settled (never racing it for the token).
const lastRoom = sessionStorage.getItem(LAST_ROOM_KEY);
if (conn.session && lastRoom) {
  conn
    .joinByCode(lastRoom)
    .catch((err: ErrorBody) => {
      sessionStorage.removeItem(LAST_ROOM_KEY);
      notify(err.code === "NOT_FOUND" ? `Room ${lastRoom} is gone.` : describeError(err));
    })
    .finally(() => void conn.renewSession());
} else {
  void conn.renewSession();
}
