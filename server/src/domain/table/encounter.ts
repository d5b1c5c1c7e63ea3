/**
 * Encounter commands (start and end, combatants, initiative, turns, visibility) as a plain domain
 * module: a command reads the document and answers with ops and log notes, never changing the
 * document itself. Dice are rolled here, once, into concrete values, so replaying the recorded ops
 * rebuilds the same document without the RNG. It is longer than most modules (about 380 lines)
 * because the twelve commands share one draft, one visibility rule for their notes and one turn
 * order; split apart, each would need all three.
 */
import { TavernError } from "@tavern/shared/errors";
import type { EncounterCommand } from "@tavern/shared/table/protocol";
import {
  entry,
  newCombatant,
  type ActorDoc,
  type CharacterDoc,
  type CombatantDoc,
  type EncounterDoc,
  type JsonValue,
  type TableDoc,
} from "@tavern/shared/table/document";
import { isCombatantVisible } from "@tavern/shared/table/hash";
import type { Operation } from "@tavern/shared/table/operations";
import { canAct, nextActing, previousActing, turnOrder, type TurnPosition } from "@tavern/shared/table/turnOrder";
import { applyOperations } from "./engine";
import type { EntityRef, PluginEffect, Rng, RulesPlugin } from "./plugins/RulesPlugin";

export { encounterCommandSchema, type EncounterCommand } from "@tavern/shared/table/protocol";
import { INITIATIVE_LIMIT } from "@tavern/shared/table/protocol";
type Command<T extends EncounterCommand["type"]> = Extract<EncounterCommand, { type: T }>;

/** A roll-log line; gmOnly lines must not reach players. */
export interface Note {
  text: string;
  gmOnly: boolean;
}
export interface EncounterEffect {
  ops: Operation[];
  notes: Note[];
}
export interface EncounterContext {
  plugin: RulesPlugin;
  rng: Rng;
  newId: () => string;
}

/** A note whose audience is decided once the result is known, by the combatants it is about. */
interface DraftNote {
  text: string;
  about: string[];
}
interface Draft {
  ops: Operation[];
  notes: DraftNote[];
}

export function runEncounterCommand(doc: TableDoc, command: EncounterCommand, ctx: EncounterContext): EncounterEffect {
  const draft = build(doc, command, ctx);
  // Also refuses an invalid result before the room records anything.
  const after = applyOperations(doc, draft.ops, ctx.plugin);
  const secret = (id: string) => hiddenIn(doc, id) || hiddenIn(after, id);
  return { ops: draft.ops, notes: draft.notes.map(({ text, about }) => ({ text, gmOnly: about.some(secret) })) };
}

function build(doc: TableDoc, command: EncounterCommand, ctx: EncounterContext): Draft {
  switch (command.type) {
    case "start":
      return start(doc, command, ctx);
    case "end":
      requireEncounter(doc);
      return { ops: [{ op: "set", path: "encounter", value: null }], notes: [{ text: "The encounter ends", about: [] }] };
    case "addCombatant":
      return addCombatant(doc, command, ctx);
    case "removeCombatant":
      return removeCombatant(doc, command, ctx);
    case "rollInitiative":
      return rollInitiative(doc, command, ctx);
    case "setInitiative":
      return setInitiative(doc, command);
    case "nextTurn":
      return nextTurn(doc, ctx);
    case "previousTurn":
      return previousTurn(doc, ctx);
    case "delayTurn":
      return delayTurn(doc, ctx);
    case "resumeTurn":
      return resumeTurn(doc, command, ctx);
    case "reveal":
      return reveal(doc, command);
    case "hide":
      return hide(doc, command);
  }
}

// ----- combatants ----------------------------------------------------------------------------

function start(doc: TableDoc, { combatants = [], hidden = false }: Command<"start">, ctx: EncounterContext): Draft {
  if (doc.encounter) throw new TavernError("INVALID_PHASE", "An encounter is already running; end it first.");
  let encounter: EncounterDoc = { round: 0, turnId: "", combatants: {} };
  const sideOps: Operation[] = [];
  const notes: DraftNote[] = [{ text: "The encounter begins", about: [] }];
  for (const source of combatants) {
    const joined = join(doc, encounter, source, hidden, ctx);
    encounter = { ...encounter, combatants: { ...encounter.combatants, [joined.id]: joined.combatant } };
    sideOps.push(...joined.ops);
    notes.push(joined.note);
  }
  return { ops: [{ op: "set", path: "encounter", value: json(encounter) }, ...sideOps], notes };
}

function addCombatant(doc: TableDoc, { source, hidden = false }: Command<"addCombatant">, ctx: EncounterContext): Draft {
  const joined = join(doc, requireEncounter(doc), source, hidden, ctx);
  const set: Operation = { op: "set", path: `encounter.combatants.${joined.id}`, value: json(joined.combatant) };
  return { ops: [set, ...joined.ops], notes: [joined.note] };
}

function join(doc: TableDoc, encounter: EncounterDoc, source: EntityRef, hidden: boolean, ctx: EncounterContext) {
  const entity = sourceEntity(doc, source);
  const present = Object.values(encounter.combatants).some((c) => c.sourceKind === source.kind && c.sourceId === source.id);
  if (present) throw new TavernError("VALIDATION_ERROR", `${entity.name} is already in the encounter.`);
  const id = ctx.newId();
  if (Object.hasOwn(encounter.combatants, id)) throw new TavernError("INTERNAL_ERROR", `Combatant id ${id} is already taken.`);
  const actor = source.kind === "actor" ? (entity as ActorDoc) : undefined;
  const combatant = newCombatant({
    sourceKind: source.kind,
    sourceId: source.id,
    name: entity.name,
    hidden,
    defeated: actor !== undefined && actor.hp <= 0,
  });
  // A secret combatant whose token and stats stayed public would give the surprise away.
  const ops: Operation[] = hidden && actor && !actor.hidden ? [{ op: "set", path: `actors.${source.id}.hidden`, value: true }] : [];
  return { id, combatant, ops, note: { text: `${entity.name} joins the encounter`, about: [id] } };
}

function removeCombatant(doc: TableDoc, { combatantId: id }: Command<"removeCombatant">, ctx: EncounterContext): Draft {
  const encounter = requireEncounter(doc);
  const removed = combatantIn(encounter, id);
  const draft: Draft = {
    ops: [{ op: "unset", path: `encounter.combatants.${id}` }],
    notes: [{ text: `${removed.name} leaves the encounter`, about: [id] }],
  };
  if (encounter.turnId !== id) return draft;
  const to = nextActing(encounter, (c, other) => other !== id && canAct(c));
  if (!to) return { ...draft, ops: [...draft.ops, { op: "set", path: "encounter.turnId", value: "" }] };
  // The leaver's turn just stops, so only the incoming combatant's hook runs.
  return passTurn(doc, encounter, draft, to, ctx, { end: false, start: true });
}

// ----- initiative ----------------------------------------------------------------------------

function rollInitiative(doc: TableDoc, { combatantIds }: Command<"rollInitiative">, ctx: EncounterContext): Draft {
  const encounter = requireEncounter(doc);
  const ids = combatantIds ? [...new Set(combatantIds)] : Object.keys(encounter.combatants).sort();
  // Every id is checked before the first die is rolled.
  const chosen = ids.map((id) => [id, combatantIn(encounter, id)] as const).filter(([, c]) => combatantIds !== undefined || !c.rolled);
  if (chosen.length === 0) throw new TavernError("VALIDATION_ERROR", "Every combatant has rolled initiative already.");
  const draft: Draft = { ops: [], notes: [] };
  for (const [id, c] of chosen) {
    const roll = ctx.plugin.rollInitiative(sourceEntity(doc, { kind: c.sourceKind, id: c.sourceId }), ctx.rng);
    const path = `encounter.combatants.${id}`;
    draft.ops.push(
      { op: "set", path: `${path}.initiative`, value: roll.total },
      { op: "set", path: `${path}.tiebreak`, value: roll.tiebreak },
      { op: "set", path: `${path}.rolled`, value: true },
    );
    draft.notes.push({ text: `${c.name} rolls initiative: ${roll.detail} = ${roll.total}`, about: [id] });
  }
  return draft;
}

function setInitiative(doc: TableDoc, { combatantId: id, initiative }: Command<"setInitiative">): Draft {
  const c = combatantIn(requireEncounter(doc), id);
  return {
    ops: [
      { op: "set", path: `encounter.combatants.${id}.initiative`, value: initiative },
      { op: "set", path: `encounter.combatants.${id}.rolled`, value: true },
    ],
    notes: [{ text: `${c.name}'s initiative is set to ${initiative}`, about: [id] }],
  };
}

// ----- turns ---------------------------------------------------------------------------------

function nextTurn(doc: TableDoc, ctx: EncounterContext): Draft {
  const encounter = requireEncounter(doc);
  requireAllRolled(encounter);
  const to = nextActing(encounter);
  if (!to) throw new TavernError("INVALID_PHASE", "No combatant can act: everyone is defeated or delaying.");
  return passTurn(doc, encounter, { ops: [], notes: [] }, to, ctx, { end: true, start: true });
}

/** Steps back to correct a mistake, so the plugin's turn effects are not played again. */
function previousTurn(doc: TableDoc, ctx: EncounterContext): Draft {
  const encounter = requireEncounter(doc);
  const to = previousActing(encounter);
  if (!to) throw new TavernError("INVALID_PHASE", "There is no earlier turn to go back to.");
  return passTurn(doc, encounter, { ops: [], notes: [] }, to, ctx, { end: false, start: false });
}

function delayTurn(doc: TableDoc, ctx: EncounterContext): Draft {
  const encounter = requireEncounter(doc);
  const id = encounter.turnId;
  const current = currentCombatant(encounter);
  requireAllRolled(encounter);
  const to = nextActing(encounter, (c, other) => other !== id && canAct(c));
  if (!to) throw new TavernError("INVALID_PHASE", `${current.name} is the only combatant who can act: there is nobody to wait for.`);
  const delaying: Draft = {
    ops: [{ op: "set", path: `encounter.combatants.${id}.delayed`, value: true }],
    notes: [{ text: `${current.name} delays`, about: [id] }],
  };
  return passTurn(doc, encounter, delaying, to, ctx, { end: true, start: true });
}

/** The current combatant has finished, so its turn-end hook runs before the resumed one starts. */
function resumeTurn(doc: TableDoc, { combatantId: id }: Command<"resumeTurn">, ctx: EncounterContext): Draft {
  const encounter = requireEncounter(doc);
  const resumed = combatantIn(encounter, id);
  if (!resumed.delayed) throw new TavernError("VALIDATION_ERROR", `${resumed.name} is not delaying.`);
  const current = currentCombatant(encounter);
  if (encounter.turnId === id) throw new TavernError("INVALID_PHASE", `It is already ${current.name}'s turn.`);
  const ops: Operation[] = [{ op: "set", path: `encounter.combatants.${id}.delayed`, value: false }];
  for (const [movedId, key] of slotAfter(encounter, encounter.turnId, id)) {
    const before = encounter.combatants[movedId]!;
    for (const field of ["initiative", "tiebreak", "rolled"] as const) {
      if (before[field] !== key[field]) ops.push({ op: "set", path: `encounter.combatants.${movedId}.${field}`, value: key[field] });
    }
  }
  const resuming: Draft = { ops, notes: [{ text: `${resumed.name} stops delaying`, about: [id] }] };
  return passTurn(doc, encounter, resuming, { round: encounter.round, turnId: id }, ctx, { end: true, start: true });
}

type SortKey = Pick<CombatantDoc, "initiative" | "tiebreak" | "rolled">;

/**
 * Sort keys that seat `resumedId` right after the current combatant. It takes the current one's
 * initiative and a lower tiebreak; combatants tied with the current one on everything but the id
 * would still sort between them, so they move down with it, in their order, into the gap above the
 * next lower tiebreak.
 */
function slotAfter(encounter: EncounterDoc, currentId: string, resumedId: string): Map<string, SortKey> {
  const current = encounter.combatants[currentId]!;
  const order = turnOrder(encounter).filter((id) => id !== resumedId);
  const at = order.indexOf(currentId);
  const following = order.slice(at + 1).map((id) => [id, encounter.combatants[id]!] as const);
  const sameInitiative = (c: CombatantDoc) => c.rolled === current.rolled && c.initiative === current.initiative;
  const untied = following.findIndex(([, c]) => !sameInitiative(c) || c.tiebreak !== current.tiebreak);
  const tied = (untied < 0 ? following : following.slice(0, untied)).map(([id]) => id);
  const below = following.find(([, c]) => sameInitiative(c) && c.tiebreak < current.tiebreak)?.[1].tiebreak;
  const moving = [resumedId, ...tied];
  // With no lower tiebreak to stay above, step down by whole numbers while the schema's bound allows.
  const step =
    below === undefined
      ? Math.min(1, (current.tiebreak + INITIATIVE_LIMIT) / moving.length)
      : (current.tiebreak - below) / (moving.length + 1);
  const keys = new Map<string, SortKey>(
    moving.map((id, k) => [id, { initiative: current.initiative, tiebreak: current.tiebreak - (k + 1) * step, rolled: current.rolled }]),
  );

  // Tiebreaks at the schema's bound or too close for floating point leave no room in between.
  const combatants = { ...encounter.combatants };
  for (const [id, key] of keys) combatants[id] = { ...combatants[id]!, ...key };
  const expected = [...order.slice(0, at + 1), resumedId, ...order.slice(at + 1)];
  if (turnOrder({ ...encounter, combatants }).join() !== expected.join()) {
    const name = encounter.combatants[resumedId]!.name;
    throw new TavernError(
      "VALIDATION_ERROR",
      `There is no room in the turn order right after ${current.name}: set ${name}'s initiative instead.`,
    );
  }
  return keys;
}

/**
 * Moves the turn to `to` after the ops of `prior`, running the plugin's hooks: the end hook sees
 * the document before the turn moves, the start hook the document after it.
 */
function passTurn(
  doc: TableDoc,
  encounter: EncounterDoc,
  prior: Draft,
  to: TurnPosition,
  ctx: EncounterContext,
  hooks: { end: boolean; start: boolean },
): Draft {
  const { plugin } = ctx;
  const draft: Draft = { ops: [...prior.ops], notes: [...prior.notes] };
  const outgoing = encounter.turnId;
  if (hooks.end && plugin.onTurnEnd && Object.hasOwn(encounter.combatants, outgoing)) {
    addHookEffect(draft, plugin.onTurnEnd(applied(doc, draft.ops, plugin), outgoing), outgoing);
  }
  if (to.round !== encounter.round) draft.ops.push({ op: "set", path: "encounter.round", value: to.round });
  draft.ops.push({ op: "set", path: "encounter.turnId", value: to.turnId });
  const name = encounter.combatants[to.turnId]!.name;
  draft.notes.push({ text: `Round ${to.round}: ${name}'s turn`, about: [to.turnId] });
  if (hooks.start && plugin.onTurnStart) {
    addHookEffect(draft, plugin.onTurnStart(applied(doc, draft.ops, plugin), to.turnId), to.turnId);
  }
  return draft;
}

function addHookEffect(draft: Draft, effect: PluginEffect, combatantId: string): void {
  draft.ops.push(...effect.ops);
  draft.notes.push(...effect.notes.map((text) => ({ text, about: [combatantId] })));
}

function applied(doc: TableDoc, ops: Operation[], plugin: RulesPlugin): TableDoc {
  return ops.length === 0 ? doc : applyOperations(doc, ops, plugin);
}

// ----- visibility ----------------------------------------------------------------------------

function reveal(doc: TableDoc, { combatantId: id }: Command<"reveal">): Draft {
  const c = combatantIn(requireEncounter(doc), id);
  if (isCombatantVisible(doc, c)) throw new TavernError("VALIDATION_ERROR", `${c.name} is already visible.`);
  const ops: Operation[] = [];
  if (c.hidden) ops.push({ op: "set", path: `encounter.combatants.${id}.hidden`, value: false });
  // A visible combatant standing for a hidden actor would still be left out of what players see.
  if (c.sourceKind === "actor" && entry(doc.actors, c.sourceId)?.hidden) {
    ops.push({ op: "set", path: `actors.${c.sourceId}.hidden`, value: false });
  }
  return { ops, notes: [{ text: `${c.name} is revealed`, about: [id] }] };
}

function hide(doc: TableDoc, { combatantId: id }: Command<"hide">): Draft {
  const c = combatantIn(requireEncounter(doc), id);
  if (c.hidden) throw new TavernError("VALIDATION_ERROR", `${c.name} is already hidden.`);
  const ops: Operation[] = [{ op: "set", path: `encounter.combatants.${id}.hidden`, value: true }];
  // As when adding a hidden combatant: a hidden combatant whose token stayed public would give it away.
  const actor = c.sourceKind === "actor" ? entry(doc.actors, c.sourceId) : undefined;
  if (actor && !actor.hidden) ops.push({ op: "set", path: `actors.${c.sourceId}.hidden`, value: true });
  return { ops, notes: [{ text: `${c.name} is hidden from players`, about: [id] }] };
}

function hiddenIn(doc: TableDoc, id: string): boolean {
  const combatants = doc.encounter?.combatants;
  const c = combatants && Object.hasOwn(combatants, id) ? combatants[id] : undefined;
  return c !== undefined && !isCombatantVisible(doc, c);
}

// ----- lookups -------------------------------------------------------------------------------

function requireEncounter(doc: TableDoc): EncounterDoc {
  if (!doc.encounter) throw new TavernError("INVALID_PHASE", "No encounter is running.");
  return doc.encounter;
}

// Own-property checks: ids come from clients, and "constructor" would otherwise find Object's.
function combatantIn(encounter: EncounterDoc, id: string): CombatantDoc {
  const c = Object.hasOwn(encounter.combatants, id) ? encounter.combatants[id] : undefined;
  if (!c) throw new TavernError("NOT_FOUND", `There is no combatant ${id} in the encounter.`);
  return c;
}

function sourceEntity(doc: TableDoc, ref: EntityRef): CharacterDoc | ActorDoc {
  const collection = ref.kind === "character" ? doc.characters : doc.actors;
  const entity = Object.hasOwn(collection, ref.id) ? collection[ref.id] : undefined;
  if (!entity) throw new TavernError("NOT_FOUND", `There is no ${ref.kind} ${ref.id}.`);
  return entity;
}

function currentCombatant(encounter: EncounterDoc): CombatantDoc {
  const c = Object.hasOwn(encounter.combatants, encounter.turnId) ? encounter.combatants[encounter.turnId] : undefined;
  if (!c) throw new TavernError("INVALID_PHASE", "No turn is running: start the first turn with nextTurn.");
  return c;
}

/** Defeated combatants never act, so they need no initiative. */
function requireAllRolled(encounter: EncounterDoc): void {
  const unrolled = turnOrder(encounter).filter((id) => {
    const c = encounter.combatants[id]!;
    return !c.rolled && !c.defeated;
  });
  if (unrolled.length === 0) return;
  const names = unrolled.map((id) => encounter.combatants[id]!.name).join(", ");
  throw new TavernError("INVALID_PHASE", `Roll or set initiative first for ${names}.`);
}

/** Document nodes are JSON by construction; their interfaces just lack the index signature to say so. */
function json(value: EncounterDoc | CombatantDoc): JsonValue {
  return value as unknown as JsonValue;
}
