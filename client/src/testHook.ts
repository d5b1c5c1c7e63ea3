/**
 * Test builds only (vite --mode test): `window.__tavern` exposes what the scenes have rendered and
 * the connection's state, so browser tests read facts instead of matching pixels.
 */
import type { TavernConnection } from "./net/connection";
import { tableIntegrity, type TableIntegrity } from "./net/integrity";
import type { UpdateQueueStats } from "./net/updateQueue";
import type { Scenes as LoadedScenes } from "./game/scenes";
import type { RenderedAvatar } from "./scenes/SpaceScene";
import type { RenderedToken } from "./scenes/TableScene";
export type { RenderedAvatar } from "./scenes/SpaceScene";
import { trackerModel, type TrackerModel } from "./ui/table/tracker";
import { gmNotesOf } from "./ui/table/gmNotes";
import type { TableApi } from "./net/tableApi";
import type { CaboHit } from "./scenes/CaboScene";
import type { CaboTableModel } from "./cabo/model";
import { unentitledHoldings } from "./cabo/entitlementCheck";
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

export interface TavernCaboHook {
  /** What the table scene drew last. */
  model(): CaboTableModel | undefined;
  /** Canvas pixel at the centre of a card or pile, as drawn now. */
  centre(hit: CaboHit): { x: number; y: number } | undefined;
  /** Every card value this page's decoded state holds (public slots, discard pile, its private part). */
  holdings(): { where: string; value: number }[];
  /** How often the table was redrawn, and how long that took in all. */
  redraws(): { redraws: number; ms: number };
  /** Decoded patches checked against the entitlements of their moment, and what was held unentitled. */
  audit(): { frames: number; violations: string[] };
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
  cabo: TavernCaboHook;
}

declare global {
  interface Window {
    __tavern?: TavernTestHook;
  }
}

interface Scenes {
  /** The scenes, once the map is loaded (it loads when a room first needs it). */
  scenes: () => LoadedScenes | undefined;
  tableApi: () => TableApi | undefined;
}

export function installTestHook(conn: TavernConnection, { scenes: loaded, tableApi }: Scenes): void {
  const tableRoom = () => (conn.joined?.type === "table" ? conn.joined.room : undefined);
  const caboRoom = () => (conn.joined?.type === "cabo" ? conn.joined.room : undefined);
  // Every decoded patch of a cabo room, checked at once (a value held for one patch only is caught too).
  const audit = { frames: 0, violations: [] as string[] };
  conn.on("room", (joined) => {
    if (joined?.type !== "cabo") return;
    const room = joined.room;
    const check = () => {
      audit.frames++;
      for (const v of unentitledHoldings(room.state, conn.selfId)) audit.violations.push(`frame ${audit.frames}: ${v}`);
    };
    check();
    room.onStateChange(check);
  });
  const scenes = () => {
    const found = loaded();
    if (!found) throw new Error("the map is not loaded yet");
    return found;
  };
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
    sceneReady: () => {
      const shown = loaded();
      const type = conn.joined?.type;
      return (type === "table" ? shown?.table.ready : type === "cabo" ? shown?.cabo.ready : shown?.space.ready) ?? false;
    },
    avatars: () => (loaded()?.space.ready ? scenes().space.rendered() : []),
    resyncs: () => conn.resyncs,
    integrityChecks: () => conn.integrityChecks,
    roomEntries: () => roomEntries,
    drops: () => drops,
    checkIntegrity: () => conn.checkIntegrity(),
    cabo: {
      model: () => (loaded()?.cabo.ready ? scenes().cabo.rendered() : undefined),
      centre: (hit) => scenes().cabo.centreOf(hit),
      holdings: () => {
        const s = caboRoom()?.state;
        const held: { where: string; value: number }[] = [];
        if (!s?.game) return held;
        s.game.players.forEach((p) =>
          p.hand.forEach((slot, i) => slot.value !== -1 && held.push({ where: `hand:${p.seat}:${i}`, value: slot.value })),
        );
        s.game.discard.forEach((value, i) => held.push({ where: `discard:${i}`, value }));
        s.secrets?.forEach((secret, owner) => {
          if (secret.drawn !== -1) held.push({ where: `drawn:${owner}`, value: secret.drawn });
          secret.known.forEach((value, key) => held.push({ where: `known:${owner}:${key}`, value }));
        });
        return held;
      },
      redraws: () => ({ ...scenes().cabo.stats }),
      audit: () => ({ frames: audit.frames, violations: [...audit.violations] }),
    },
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
      tokens: () => (loaded()?.table.ready ? scenes().table.rendered() : []),
      cellCenter: (x, y) => scenes().table.cellCenter(x, y),
      gmNotes: () => gmNotesOf(tableRoom()?.state).map((n) => n.text),
      queue: () => {
        const queue = tableApi()?.queue;
        return queue && { ...queue.stats, pending: queue.pending };
      },
      tamper: () => {
        const s = tableRoom()?.state;
        if (s) s.title = `${s.title} (tampered)`;
      },
    },
  };
}
