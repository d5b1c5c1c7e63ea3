/**
 * The acting order of an encounter and how the turn moves through it. Shared so the client shows
 * exactly the order the server plays; pure functions over the document, no Node-only imports.
 */
import type { CombatantDoc, EncounterDoc } from "./document";

/** Where the turn is: the round and the combatant acting in it. */
export interface TurnPosition {
  round: number;
  turnId: string;
}

/** Which combatants take a turn when the turn comes by; by default those not defeated nor delayed. */
export type ActingFilter = (combatant: CombatantDoc, id: string) => boolean;

export function canAct(c: CombatantDoc): boolean {
  return !c.defeated && !c.delayed;
}

/** Sort order of two combatants; the id comes last so equal rolls still give one order everywhere. */
export function compareCombatants(aId: string, a: CombatantDoc, bId: string, b: CombatantDoc): number {
  if (a.rolled !== b.rolled) return a.rolled ? -1 : 1;
  if (a.initiative !== b.initiative) return b.initiative - a.initiative;
  if (a.tiebreak !== b.tiebreak) return b.tiebreak - a.tiebreak;
  // Code-unit order rather than localeCompare, which could differ between server and browser.
  return aId < bId ? -1 : aId > bId ? 1 : 0;
}

/** Every combatant id, defeated and delayed ones included, in acting order. */
export function turnOrder(encounter: EncounterDoc): string[] {
  const { combatants } = encounter;
  return Object.keys(combatants).sort((a, b) => compareCombatants(a, combatants[a]!, b, combatants[b]!));
}

/**
 * The turn after the current one. Before the first turn (or once the current combatant is gone)
 * it is the first acting combatant of the next round; past the last one it wraps into the next
 * round. Undefined when nobody can act.
 */
export function nextActing(encounter: EncounterDoc, acts: ActingFilter = canAct): TurnPosition | undefined {
  const order = turnOrder(encounter);
  const acting = actingIds(encounter, order, acts);
  const [first] = acting;
  if (first === undefined) return undefined;
  const at = order.indexOf(encounter.turnId);
  if (at < 0) return { round: encounter.round + 1, turnId: first };
  const later = order.slice(at + 1).find((id) => acting.has(id));
  return later === undefined ? { round: encounter.round + 1, turnId: first } : { round: encounter.round, turnId: later };
}

/** The turn before the current one, wrapping back a round; undefined before round 1's first turn. */
export function previousActing(encounter: EncounterDoc, acts: ActingFilter = canAct): TurnPosition | undefined {
  const order = turnOrder(encounter);
  const acting = actingIds(encounter, order, acts);
  const at = order.indexOf(encounter.turnId);
  if (at < 0 || encounter.round < 1) return undefined;
  const earlier = order
    .slice(0, at)
    .reverse()
    .find((id) => acting.has(id));
  if (earlier !== undefined) return { round: encounter.round, turnId: earlier };
  const last = [...acting].pop();
  return last === undefined || encounter.round <= 1 ? undefined : { round: encounter.round - 1, turnId: last };
}

/** The acting ids, in turn order (a Set keeps insertion order). */
function actingIds(encounter: EncounterDoc, order: string[], acts: ActingFilter): Set<string> {
  return new Set(order.filter((id) => acts(encounter.combatants[id]!, id)));
}
