/**
 * Projects the session document into the room's schema state, and keeps every client's StateView
 * in step with what it may see. Documents share untouched nodes between versions, so an entity
 * whose object is the same as at the last sync is skipped without looking inside.
 */
import type { MapSchema } from "@colyseus/schema";
import { StateView } from "@colyseus/schema";
import type {
  ActorDoc,
  CharacterDoc,
  CombatantDoc,
  ItemDoc,
  PluginData,
  TableDoc,
} from "../../../shared/src/table/document";
import { canonicalDoc, isActorVisible, isCombatantVisible, isItemVisible } from "../../../shared/src/table/hash";
import {
  ActorState,
  CharacterState,
  CombatantState,
  ItemState,
  type TableState,
} from "../../../shared/src/table/state";

/** Anything whose `view` the sync manages (a Colyseus Client). */
export interface ViewHolder {
  view?: StateView;
}

type Filtered = ActorState | ItemState | CombatantState;

export class TableStateSync {
  private last: TableDoc | undefined;
  private readonly gmViews = new Set<StateView>();
  private readonly playerViews = new Set<StateView>();
  /** Players' visibility of each view-filtered instance as of the last sync. */
  private readonly visible = new Map<Filtered, boolean>();

  constructor(private readonly state: TableState) {}

  /** Writes `doc` into the schema state; call after every accepted update. */
  sync(doc: TableDoc, version: number, hash: string, publicHash: string): void {
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
    if (prev?.actors !== doc.actors) syncMap(s.actors, prev?.actors, doc.actors, () => new ActorState(), writeEntity);
    if (prev?.items !== doc.items) syncMap(s.items, prev?.items, doc.items, () => new ItemState(), writeEntity);
    if (prev?.encounter !== doc.encounter) {
      const e = s.encounter;
      const next = doc.encounter;
      e.active = next !== null;
      e.round = next?.round ?? 0;
      const turnId = next?.turnId ?? "";
      syncMap(e.combatants, prev?.encounter?.combatants, next?.combatants ?? {}, () => new CombatantState(), writeCombatant);
      e.combatants.forEach((c, id) => {
        c.current = id === turnId;
      });
    }
    this.last = doc;
    s.version = version;
    s.hash = hash;
    s.publicHash = publicHash;
    this.refreshViews(doc);
  }

  /** Gives a client the view its role allows: the GM sees everything, players what is not hidden. */
  attach(client: ViewHolder, isGm: boolean): void {
    const previous = client.view;
    if (previous) this.detachView(previous);
    const view = new StateView();
    client.view = view;
    (isGm ? this.gmViews : this.playerViews).add(view);
    for (const [instance, visible] of this.visible) {
      if (isGm || visible) view.add(instance);
    }
  }

  detach(client: ViewHolder): void {
    if (client.view) this.detachView(client.view);
  }

  private detachView(view: StateView): void {
    this.gmViews.delete(view);
    this.playerViews.delete(view);
  }

  private refreshViews(doc: TableDoc): void {
    const seen = new Set<Filtered>();
    const update = (instance: Filtered, visible: boolean) => {
      seen.add(instance);
      const before = this.visible.get(instance);
      if (before === visible) return;
      this.visible.set(instance, visible);
      if (before === undefined) for (const view of this.gmViews) view.add(instance);
      for (const view of this.playerViews) {
        if (visible) view.add(instance);
        else if (before !== undefined) view.remove(instance);
      }
    };
    this.state.actors.forEach((a, id) => {
      const actor = doc.actors[id];
      if (actor) update(a, isActorVisible(actor));
    });
    this.state.items.forEach((i, id) => {
      const item = doc.items[id];
      if (item) update(i, isItemVisible(doc, item));
    });
    this.state.encounter.combatants.forEach((c, id) => {
      const combatant = doc.encounter?.combatants[id];
      if (combatant) update(c, isCombatantVisible(doc, combatant));
    });
    for (const instance of this.visible.keys()) if (!seen.has(instance)) this.visible.delete(instance);
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
