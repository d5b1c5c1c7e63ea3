/**
 * Test builds only (vite --mode test): `window.__tavern` exposes what the scenes have rendered and
 * the connection's state, so browser tests read facts instead of matching pixels.
 */
import type { TavernConnection } from "./net/connection";
import { tableIntegrity, type TableIntegrity } from "./net/integrity";
import type { UpdateQueueStats } from "./net/updateQueue";
import type { RenderedAvatar, SpaceScene } from "./scenes/SpaceScene";
export type { RenderedAvatar } from "./scenes/SpaceScene";
import type { RenderedToken, TableScene } from "./scenes/TableScene";
import { trackerModel, type TrackerModel } from "./ui/table/tracker";
import { gmNotesOf } from "./ui/table/gmNotes";
import type { TableApi } from "./net/tableApi";
import { actorMaps, forEachItem, versionOf } from "./table/entities";

export interface TableEntitySummary {
  id: string;
  name: string;
  x: number;
  y: number;
  hp: number;
  maxHp: number;
  ownerId?: string;
  hidden?: boolean;
}

export interface TableItemSummary {
  id: string;
  name: string;
  quantity: number;
  holderId: string;
  hidden: boolean;
}

/** What a table page holds and shows, in plain data. */
export interface TableSummary {
  title: string;
  pluginId: string;
  /** The version this page's document is at: the whole one for the GM, the public one for others. */
  version: number;
  /** What players see counted, which every page holds. */
  publicVersion: number;
  gm: boolean;
  characters: TableEntitySummary[];
  actors: TableEntitySummary[];
  items: TableItemSummary[];
  tracker: TrackerModel;
  rolls: string[];
  integrity: TableIntegrity | undefined;
}

export interface TavernTableHook {
  summary(): TableSummary | undefined;
  tokens(): RenderedToken[];
  /** Canvas pixel at the centre of a map cell. */
  cellCenter(x: number, y: number): { x: number; y: number };
  gmNotes(): string[];
  queue(): (UpdateQueueStats & { pending: number }) | undefined;
  /** Changes the decoded title locally, as a decoding bug would: the next integrity check must catch it. */
  tamper(): void;
}

export interface TavernTestHook {
  status(): string;
  playerId(): string | undefined;
  deviceId(): string | undefined;
  knocking(): boolean;
  code(): string | undefined;
  roomType(): string | undefined;
  sceneReady(): boolean;
  avatars(): RenderedAvatar[];
  resyncs(): number;
  integrityChecks(): number;
  /** Rooms this page entered (a resync or a rejoin enters the same room again: one more). */
  roomEntries(): number;
  /** Times the link went to "reconnecting" (a dropped connection). */
  drops(): number;
  checkIntegrity(): Promise<boolean>;
  table: TavernTableHook;
}

declare global {
  interface Window {
    __tavern?: TavernTestHook;
  }
}

interface Scenes {
  space: SpaceScene;
  table: TableScene;
  tableApi: () => TableApi | undefined;
}

export function installTestHook(conn: TavernConnection, scenes: Scenes): void {
  const tableRoom = () => (conn.joined?.type === "table" ? conn.joined.room : undefined);
  let roomEntries = 0;
  let drops = 0;
  conn.on("room", (joined) => {
    if (joined) roomEntries++;
  });
  conn.on("status", (status) => {
    if (status === "reconnecting") drops++;
  });
  window.__tavern = {
    status: () => conn.status,
    playerId: () => conn.session?.playerId,
    deviceId: () => conn.deviceId,
    knocking: () => conn.isKnocking,
    code: () => conn.room?.state?.code,
    roomType: () => conn.joined?.type,
    sceneReady: () => (conn.joined?.type === "table" ? scenes.table.ready : scenes.space.ready),
    avatars: () => (scenes.space.ready ? scenes.space.rendered() : []),
    resyncs: () => conn.resyncs,
    integrityChecks: () => conn.integrityChecks,
    roomEntries: () => roomEntries,
    drops: () => drops,
    checkIntegrity: () => conn.checkIntegrity(),
    table: {
      summary: () => {
        const room = tableRoom();
        const s = room?.state;
        const mine = versionOf(s, conn.selfId);
        if (!s || !mine) return undefined;
        const characters: TableEntitySummary[] = [];
        const actors: TableEntitySummary[] = [];
        s.characters?.forEach((c, id) =>
          characters.push({ id, name: c.name, x: c.x, y: c.y, hp: c.hp, maxHp: c.maxHp, ownerId: c.ownerId }),
        );
        for (const map of actorMaps(s))
          map.forEach((a, id) => actors.push({ id, name: a.name, x: a.x, y: a.y, hp: a.hp, maxHp: a.maxHp, hidden: a.hidden }));
        const items: TableItemSummary[] = [];
        forEachItem(s, (i, id) => items.push({ id, name: i.name, quantity: i.quantity, holderId: i.holderId, hidden: i.hidden }));
        return {
          title: s.title,
          pluginId: s.pluginId,
          version: mine.version,
          publicVersion: s.publicVersion,
          gm: s.hostId === conn.selfId,
          characters,
          actors,
          items,
          tracker: trackerModel(s, conn.selfId),
          rolls: (s.rolls ?? []).map((r) => `${r.name}: ${r.label} ${r.expression} = ${r.total}`),
          integrity: tableIntegrity(s, conn.selfId),
        };
      },
      tokens: () => (scenes.table.ready ? scenes.table.rendered() : []),
      cellCenter: (x, y) => scenes.table.cellCenter(x, y),
      gmNotes: () => gmNotesOf(tableRoom()?.state).map((n) => n.text),
      queue: () => {
        const queue = scenes.tableApi()?.queue;
        return queue && { ...queue.stats, pending: queue.pending };
      },
      tamper: () => {
        const s = tableRoom()?.state;
        if (s) s.title = `${s.title} (tampered)`;
      },
    },
  };
}
