/**
 * Projects the session document into the room's schema state, and gives each client the view its
 * role allows. Documents share untouched nodes between versions, so an entity whose object is the
 * same as at the last sync is skipped without looking inside.
 *
 * Hidden information must not show in what players receive, not even as a count. Two numberings
 * of @colyseus/schema would count hidden entities if they lived beside visible ones:
 * - a map numbers its entries with a counter of its own (every entry ever set takes the next
 *   index), so a public map that also held hidden entries would send players indexes with holes;
 * - every instance attached to the state takes the next refId of one room-wide counter (Root), so
 *   a hidden actor created between two visible ones would leave a hole in the refIds players get.
 * So hidden entities live in GM-only maps (`state.gm`, the "gm" audience's private part of the
 * room's per-seat views, ../../lifecycle/seatViews.ts), and visible ones in the public maps; an
 * entity whose visibility changes moves between them as a fresh instance, taking a new index on
 * its new side and, on the GM's side, a refId from the private range of the views.
 */
import type { MapSchema, Schema } from "@colyseus/schema";
import type { ActorDoc, CharacterDoc, CombatantDoc, ItemDoc, PluginData, TableDoc } from "@tavern/shared/table/document";
import { canonicalDoc, isActorVisible, isCombatantVisible, isItemVisible } from "@tavern/shared/table/hash";
import {
  ActorState,
  CharacterState,
  CombatantState,
  GM_NOTE_HISTORY,
  GmNoteState,
  GmTableState,
  ItemState,
  ROLL_HISTORY,
  RollState,
  type TableState,
} from "@tavern/shared/table/state";
import { trimOldest } from "../../lifecycle/history";
import type { RollLine } from "../../domain/table/commands";
import type { SessionStamp } from "../../domain/table/session";
import type { SeatViews } from "../../lifecycle/seatViews";

/** The audience of the GM-only part. */
export const GM_AUDIENCE = "gm";

/** The two maps one kind of entity lives in: the one players receive, and the GM's. */
interface Split<S> {
  shown: MapSchema<S>;
  hidden: MapSchema<S>;
}

export class TableStateSync {
  private last: TableDoc | undefined;
  private readonly gm: GmTableState;

  /** Takes the state before the room's encoder numbers it, and gives it its GM-only part, private to the GM's audience. */
  constructor(
    private readonly state: TableState,
    private readonly views: SeatViews,
  ) {
    this.gm = new GmTableState();
    views.share(GM_AUDIENCE, this.gm, () => (state.gm = this.gm));
  }

  /** Writes `doc` into the schema state; call after every accepted update. */
  sync(doc: TableDoc, stamp: SessionStamp): void {
    const s = this.state;
    const prev = this.last;
    s.title = doc.title;
    s.pluginId = doc.pluginId;
    s.mapWidth = doc.mapWidth;
    s.mapHeight = doc.mapHeight;
    if (prev?.plugin !== doc.plugin) syncPlugin(s.plugin, doc.plugin);
    if (prev?.characters !== doc.characters) {
      syncMap(s.characters, prev?.characters, doc.characters, () => new CharacterState(), writeEntity);
    }
    // An item's visibility follows its holder's, a combatant's its actor's: both are looked at again when actors change.
    const actorsChanged = prev?.actors !== doc.actors;
    if (actorsChanged) {
      this.syncSplit(
        { shown: s.actors, hidden: this.gm.actors },
        prev?.actors,
        doc.actors,
        (a) => isActorVisible(a),
        () => new ActorState(),
        writeEntity,
      );
    }
    if (actorsChanged || prev?.items !== doc.items) {
      this.syncSplit(
        { shown: s.items, hidden: this.gm.items },
        prev?.items,
        doc.items,
        (i) => isItemVisible(doc, i),
        () => new ItemState(),
        writeEntity,
      );
    }
    if (actorsChanged || prev?.encounter !== doc.encounter) {
      const e = s.encounter;
      const next = doc.encounter;
      e.active = next !== null;
      e.round = next?.round ?? 0;
      const split = { shown: e.combatants, hidden: this.gm.combatants };
      this.syncSplit(
        split,
        prev?.encounter?.combatants,
        next?.combatants ?? {},
        (c) => isCombatantVisible(doc, c),
        () => new CombatantState(),
        writeCombatant,
      );
      const turnId = next?.turnId ?? "";
      for (const map of [split.shown, split.hidden]) {
        map.forEach((c, id) => {
          c.current = id === turnId;
        });
      }
    }
    this.last = doc;
    s.publicVersion = stamp.publicVersion;
    s.publicHash = stamp.publicHash;
    this.gm.version = stamp.version;
    this.gm.hash = stamp.hash;
  }

  /** A roll the GM made in secret, into the GM's dice log. */
  gmRoll(line: RollLine): void {
    const roll = new RollState().assign(line);
    this.views.adopt(GM_AUDIENCE, roll, () => this.gm.rolls.push(roll));
  }

  /** A line for the GM alone. */
  gmNote(note: { text: string; at: number }): void {
    const line = new GmNoteState().assign(note);
    this.views.adopt(GM_AUDIENCE, line, () => this.gm.notes.push(line));
  }

  /** Just before a patch (see history.ts): the GM's logs keep their last entries. */
  beforePatch(): void {
    trimOldest(this.gm.rolls, ROLL_HISTORY);
    trimOldest(this.gm.notes, GM_NOTE_HISTORY);
  }

  /**
   * Syncs one kind of entity into its two maps. An entity whose visibility changed leaves the map
   * it was in and enters the other as a new instance, so nothing of its old numbering goes along.
   */
  private syncSplit<D extends object, S extends Schema>(
    { shown, hidden }: Split<S>,
    before: { [id: string]: D } | undefined,
    after: { [id: string]: D },
    visible: (doc: D) => boolean,
    create: () => S,
    write: (state: S, doc: D) => void,
  ): void {
    for (const [id, doc] of Object.entries(after)) {
      const show = visible(doc);
      const [target, other] = show ? [shown, hidden] : [hidden, shown];
      const moved = other.delete(id);
      if (!moved && before?.[id] === doc && target.has(id)) continue;
      let instance = target.get(id);
      if (instance === undefined) {
        instance = create();
        write(instance, doc);
        const created = instance;
        if (show) target.set(id, created);
        else this.views.adopt(GM_AUDIENCE, created, () => target.set(id, created));
      } else {
        write(instance, doc);
      }
    }
    for (const map of [shown, hidden]) {
      for (const id of Array.from(map.keys())) if (!Object.hasOwn(after, id)) map.delete(id);
    }
  }
}

function syncMap<D extends object, S extends object>(
  target: MapSchema<S>,
  before: { [id: string]: D } | undefined,
  after: { [id: string]: D },
  create: () => S,
  write: (state: S, doc: D) => void,
): void {
  for (const [id, doc] of Object.entries(after)) {
    if (before?.[id] === doc && target.has(id)) continue;
    let instance = target.get(id);
    const isNew = instance === undefined;
    instance ??= create();
    write(instance, doc);
    if (isNew) target.set(id, instance);
  }
  for (const id of Array.from(target.keys())) if (!Object.hasOwn(after, id)) target.delete(id);
}

function syncPlugin(target: MapSchema<string>, data: PluginData): void {
  for (const [key, value] of Object.entries(data)) {
    const json = canonicalDoc(value);
    if (target.get(key) !== json) target.set(key, json);
  }
  for (const key of Array.from(target.keys())) if (!Object.hasOwn(data, key)) target.delete(key);
}

/** Core fields are assigned as they are (schema setters send only what changed); plugin data per key. */
function writeEntity(s: CharacterState | ActorState | ItemState, d: CharacterDoc | ActorDoc | ItemDoc): void {
  const { plugin, ...core } = d;
  Object.assign(s, core);
  syncPlugin(s.plugin, plugin);
}

function writeCombatant(s: CombatantState, d: CombatantDoc): void {
  Object.assign(s, d);
}
