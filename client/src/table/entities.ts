/**
 * Reading characters and actors (the things with tokens), items and combatants out of the decoded
 * table state, and who may do what with them. Permissions here only decide what the UI offers;
 * the server decides.
 *
 * The state keeps what players see and what only the GM sees in separate maps: `actors`, `items`
 * and `encounter.combatants` for the visible ones, `gm.actors`, `gm.items` and `gm.combatants` for
 * the hidden ones (the GM's client alone receives `gm`). Everything here reads both, so the GM's
 * screens show every entity and a player's the visible ones; an entity being revealed or hidden
 * moves from one map to the other.
 */
import type { SourceKind } from "@tavern/shared/table/document";
import type { ActorState, CharacterState, CombatantState, ItemState, TableState } from "@tavern/shared/table/state";

export interface TokenRef {
  kind: SourceKind;
  id: string;
}

export type TokenEntity = CharacterState | ActorState;

export function tokenKey(ref: TokenRef): string {
  return `${ref.kind}:${ref.id}`;
}

/** Entries of a collection as the decoder holds it (a map, or nothing yet). */
interface Entries<T> {
  get(key: string): T | undefined;
  forEach(cb: (value: T, key: string) => void): void;
}

/** The maps this client holds actors in: the visible ones, and for the GM the hidden ones. */
export function actorMaps(state: TableState): Entries<ActorState>[] {
  return present([state.actors, state.gm?.actors]);
}

/** The maps this client holds items in. */
function itemMaps(state: TableState): Entries<ItemState>[] {
  return present([state.items, state.gm?.items]);
}

/** The maps this client holds combatants in. */
function combatantMaps(state: TableState): Entries<CombatantState>[] {
  return present([state.encounter?.combatants, state.gm?.combatants]);
}

function present<T>(maps: (Entries<T> | undefined)[]): Entries<T>[] {
  return maps.filter((m): m is Entries<T> => m !== undefined);
}

function find<T>(maps: Entries<T>[], id: string): T | undefined {
  for (const map of maps) {
    const found = map.get(id);
    if (found !== undefined) return found;
  }
  return undefined;
}

export function actorOf(state: TableState, id: string): ActorState | undefined {
  return find(actorMaps(state), id);
}

export function itemOf(state: TableState, id: string): ItemState | undefined {
  return find(itemMaps(state), id);
}

export function forEachItem(state: TableState, cb: (item: ItemState, id: string) => void): void {
  for (const map of itemMaps(state)) map.forEach(cb);
}

export function forEachCombatant(state: TableState, cb: (combatant: CombatantState, id: string) => void): void {
  for (const map of combatantMaps(state)) map.forEach(cb);
}

export function entityOf(state: TableState, ref: TokenRef): TokenEntity | undefined {
  return ref.kind === "character" ? state.characters?.get(ref.id) : actorOf(state, ref.id);
}

/** The document collection a token's entity lives in. */
export function collectionOf(kind: SourceKind): "characters" | "actors" {
  return kind === "character" ? "characters" : "actors";
}

/** Every character and actor this client holds, characters first, each by name. */
export function allTokens(state: TableState): (TokenRef & { entity: TokenEntity })[] {
  const out: (TokenRef & { entity: TokenEntity })[] = [];
  state.characters?.forEach((entity, id) => out.push({ kind: "character", id, entity }));
  for (const map of actorMaps(state)) map.forEach((entity, id) => out.push({ kind: "actor", id, entity }));
  const rank = (k: SourceKind) => (k === "character" ? 0 : 1);
  return out.sort((a, b) => rank(a.kind) - rank(b.kind) || a.entity.name.localeCompare(b.entity.name));
}

export function isGm(state: TableState, selfId: string): boolean {
  return selfId !== "" && state.hostId === selfId;
}

/**
 * The version this client's document is at, and the hash it must rebuild to: the whole ones for
 * the GM, the public ones for anyone else. Undefined until they have arrived.
 */
export function versionOf(state: TableState | undefined, selfId: string): { version: number; hash: string } | undefined {
  if (!state) return undefined;
  if (isGm(state, selfId)) return state.gm?.hash ? { version: state.gm.version, hash: state.gm.hash } : undefined;
  return state.publicHash ? { version: state.publicVersion, hash: state.publicHash } : undefined;
}

/** The GM moves any token; a player moves the characters they own. */
export function mayMove(state: TableState, selfId: string, ref: TokenRef): boolean {
  if (isGm(state, selfId)) return true;
  return ref.kind === "character" && state.characters?.get(ref.id)?.ownerId === selfId;
}

/** The combatants standing for this token in the running encounter (usually zero or one). */
export function combatantsOf(state: TableState, ref: TokenRef): [string, CombatantState][] {
  const out: [string, CombatantState][] = [];
  forEachCombatant(state, (c, id) => {
    if (c.sourceKind === ref.kind && c.sourceId === ref.id) out.push([id, c]);
  });
  return out;
}

/**
 * Where a new token goes: the first free cell in reading order, every other cell first so that
 * neighbours' names do not run into each other, then any free cell; never a pile on (0, 0).
 */
export function freeCell(state: TableState): { x: number; y: number } {
  const taken = new Set(allTokens(state).map(({ entity }) => `${entity.x},${entity.y}`));
  for (const step of [2, 1]) {
    for (let y = step - 1; y < state.mapHeight; y += step) {
      for (let x = step - 1; x < state.mapWidth; x += step) if (!taken.has(`${x},${y}`)) return { x, y };
    }
  }
  return { x: 0, y: 0 };
}
