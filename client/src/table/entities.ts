/**
 * Reading characters and actors (the things with tokens) out of the decoded table state, and who
 * may do what with them. Permissions here only decide what the UI offers; the server decides.
 */
import type { JsonValue, SourceKind } from "../../../shared/src/table/document";
import type { ActorState, CharacterState, CombatantState, TableState } from "../../../shared/src/table/state";

export interface TokenRef {
  kind: SourceKind;
  id: string;
}

export type TokenEntity = CharacterState | ActorState;

export function tokenKey(ref: TokenRef): string {
  return `${ref.kind}:${ref.id}`;
}

export function entityOf(state: TableState, ref: TokenRef): TokenEntity | undefined {
  return ref.kind === "character" ? state.characters?.get(ref.id) : state.actors?.get(ref.id);
}

/** The document collection a token's entity lives in. */
export function collectionOf(kind: SourceKind): "characters" | "actors" {
  return kind === "character" ? "characters" : "actors";
}

/** Every character and actor this client holds, characters first, each by name. */
export function allTokens(state: TableState): (TokenRef & { entity: TokenEntity })[] {
  const out: (TokenRef & { entity: TokenEntity })[] = [];
  state.characters?.forEach((entity, id) => out.push({ kind: "character", id, entity }));
  state.actors?.forEach((entity, id) => out.push({ kind: "actor", id, entity }));
  const rank = (k: SourceKind) => (k === "character" ? 0 : 1);
  return out.sort((a, b) => rank(a.kind) - rank(b.kind) || a.entity.name.localeCompare(b.entity.name));
}

export function isGm(state: TableState, selfId: string): boolean {
  return selfId !== "" && state.hostId === selfId;
}

/** The GM moves any token; a player moves the characters they own. */
export function mayMove(state: TableState, selfId: string, ref: TokenRef): boolean {
  if (isGm(state, selfId)) return true;
  return ref.kind === "character" && state.characters?.get(ref.id)?.ownerId === selfId;
}

/** The combatants standing for this token in the running encounter (usually zero or one). */
export function combatantsOf(state: TableState, ref: TokenRef): [string, CombatantState][] {
  const out: [string, CombatantState][] = [];
  state.encounter?.combatants?.forEach((c, id) => {
    if (c.sourceKind === ref.kind && c.sourceId === ref.id) out.push([id, c]);
  });
  return out;
}

/** One plugin value of an entity (plugin data travels as a map of JSON strings). */
export function pluginValue(entity: { plugin?: { get(key: string): string | undefined } }, key: string): JsonValue | undefined {
  const raw = entity.plugin?.get(key);
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw) as JsonValue;
  } catch {
    return undefined;
  }
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
