/**
 * The table's requests as game rules: who may do what, and what it does to the document. A command
 * is checked in two steps, because a room serializes its writes: `planTableCommand` decides what
 * depends only on the caller and the request (GM-only requests, spectators, an action's name and
 * arguments, a new entity's id), at once and before the request waits for its turn; its `build`
 * then reads the document as it is when the change is made (tokens, targets, the map, the
 * encounter) and answers ops for the engine, notes for the log and what the reply adds.
 * `runTableCommand` does both at once. Nothing here changes a document, stores or sends anything.
 */
import type { PayloadOut, RollReply, TableContract } from "@tavern/shared/contract";
import { TavernError } from "@tavern/shared/errors";
import type { Role } from "@tavern/shared/protocol";
import { newActor, newCharacter, newItem, sourceOf, type JsonValue, type TableDoc } from "@tavern/shared/table/document";
import { isActorVisible } from "@tavern/shared/table/hash";
import type { Operation } from "@tavern/shared/table/operations";
import { describeZodError } from "../validation";
import { roll } from "./dice";
import { runEncounterCommand, type Note } from "./encounter";
import type { Rng, RulesPlugin } from "./plugins/RulesPlugin";

export type { Note } from "./encounter";

/** Who asks, as plain data: the room knows the seat; the rules only need these. */
export interface Actor {
  playerId: string;
  /** Shown with the actor's public rolls. */
  name: string;
  role: Role;
  /** The table's GM (its host), who keeps the role while away. */
  isGm: boolean;
}

/** What the rules need from outside: the session's plugin, randomness, ids and the clock. */
export interface CommandContext {
  plugin: RulesPlugin;
  rng: Rng;
  /** A fresh id for an entry of `collection` ("characters", "actors", "items", "combatants"). */
  newId: (collection: string) => string;
  now: () => number;
}

export type TableCommandName = "update" | "create" | "moveToken" | "action" | "roll" | "encounter";

export interface TableCommand<K extends TableCommandName = TableCommandName> {
  name: K;
  payload: PayloadOut<TableContract, K>;
}

/** A public roll as the roll log shows it (and the journal keeps it). */
export interface RollLine {
  playerId: string;
  name: string;
  label: string;
  expression: string;
  detail: string;
  total: number;
  at: number;
}

/** What each command adds to the reply of its change (a roll changes nothing: this is its whole reply). */
export interface CommandExtras {
  update: Record<never, never>;
  create: { id: string };
  moveToken: Record<never, never>;
  action: Record<never, never>;
  roll: RollReply;
  encounter: Record<never, never>;
}

export interface CommandOutcome<K extends TableCommandName = TableCommandName> {
  ops: Operation[];
  /** Log lines; gmOnly ones go to the GM alone. */
  notes: Note[];
  reply: CommandExtras[K];
  /** A roll for the roll log (which shows the last ROLL_HISTORY: the room trims it just before a patch). */
  roll?: RollLine;
  /** Whether the roll goes to the GM's own dice log only. */
  secret?: boolean;
}

export interface CommandPlan<K extends TableCommandName = TableCommandName> {
  /** What the update is recorded as: "update", "create.actors", "action.damage", "encounter.next", ... */
  kind: string;
  /** The version the caller built on (the GM's whole one, a player's public one), if it named one. */
  baseVersion: number | undefined;
  /** False for a roll: it is answered at once and no update is recorded. */
  changesDocument: boolean;
  /** Whether only the GM may make the change (and so is answered with the whole version). */
  gmOnly: boolean;
  build(doc: TableDoc): CommandOutcome<K>;
}

type Planner<K extends TableCommandName> = (actor: Actor, payload: PayloadOut<TableContract, K>, ctx: CommandContext) => CommandPlan<K>;

const NO_EXTRAS: Record<never, never> = {};

function requireGm(actor: Actor, what: string): void {
  if (!actor.isGm) throw new TavernError("PERMISSION_DENIED", `Only the GM can ${what}.`);
}

const planners: { [K in TableCommandName]: Planner<K> } = {
  update(actor, { baseVersion, ops }) {
    requireGm(actor, "change the session");
    return { kind: "update", baseVersion, changesDocument: true, gmOnly: true, build: () => ({ ops, notes: [], reply: NO_EXTRAS }) };
  },

  create(actor, { collection, fields, baseVersion }, ctx) {
    requireGm(actor, "create characters, actors or items");
    const id = ctx.newId(collection);
    return {
      kind: `create.${collection}`,
      baseVersion,
      changesDocument: true,
      gmOnly: true,
      build: () => ({
        ops: [{ op: "set", path: `${collection}.${id}`, value: entityWithDefaults(ctx.plugin, collection, fields ?? {}) }],
        notes: [],
        reply: { id },
      }),
    };
  },

  moveToken(actor, { kind, id, x, y, baseVersion }) {
    if (actor.role === "spectator") throw new TavernError("PERMISSION_DENIED", "Spectators watch; they do not move tokens.");
    // Players learn nothing about actors (some are hidden): refused before looking anything up.
    if (kind === "actor" && !actor.isGm) throw new TavernError("PERMISSION_DENIED", "Only the GM moves actors.");
    const collection = kind === "character" ? "characters" : "actors";
    return {
      kind: "moveToken",
      baseVersion,
      changesDocument: true,
      gmOnly: false,
      build: (doc) => {
        const token = sourceOf(doc, { sourceKind: kind, sourceId: id });
        if (!token) throw new TavernError("NOT_FOUND", `There is no ${kind} ${id}.`);
        const mayMove = actor.isGm || (kind === "character" && doc.characters[id]?.ownerId === actor.playerId);
        if (!mayMove) throw new TavernError("PERMISSION_DENIED", "You can only move your own character's token.");
        if (x < 0 || y < 0 || x >= doc.mapWidth || y >= doc.mapHeight) {
          throw new TavernError("VALIDATION_ERROR", `(${x}, ${y}) is off the ${doc.mapWidth}x${doc.mapHeight} map.`);
        }
        return {
          ops: [
            { op: "set", path: `${collection}.${id}.x`, value: x },
            { op: "set", path: `${collection}.${id}.y`, value: y },
          ],
          notes: [],
          reply: NO_EXTRAS,
        };
      },
    };
  },

  action(actor, { name, target, args, baseVersion }, ctx) {
    requireGm(actor, "use rules actions");
    const actions = ctx.plugin.actions;
    // An own property only: "constructor" or "__proto__" is not an action of any plugin.
    const action = Object.hasOwn(actions, name) ? actions[name] : undefined;
    if (!action) {
      const known = Object.keys(actions).join(", ");
      throw new TavernError("VALIDATION_ERROR", `The ${ctx.plugin.id} rules have no action "${name}" (known: ${known}).`);
    }
    const parsedArgs = action.args.safeParse(args ?? {});
    if (!parsedArgs.success) {
      throw new TavernError("VALIDATION_ERROR", `Invalid ${name} arguments: ${describeZodError(parsedArgs.error)}`);
    }
    return {
      kind: `action.${name}`,
      baseVersion,
      changesDocument: true,
      gmOnly: true,
      build: (doc) => {
        const source = sourceOf(doc, { sourceKind: target.kind, sourceId: target.id });
        if (!source) throw new TavernError("NOT_FOUND", `There is no ${target.kind} ${target.id}.`);
        const effect = action.run(doc, target, parsedArgs.data);
        // What an action does to a hidden actor is told to the GM alone.
        const hidden = target.kind === "actor" && !isActorVisible(doc.actors[target.id]!);
        return { ops: effect.ops, notes: effect.notes.map((text) => ({ text, gmOnly: hidden })), reply: NO_EXTRAS };
      },
    };
  },

  roll(actor, { expression, label, secret }, ctx) {
    if (actor.role === "spectator") throw new TavernError("PERMISSION_DENIED", "Spectators watch; they do not roll.");
    if (secret) requireGm(actor, "roll in secret");
    return {
      kind: "roll",
      baseVersion: undefined,
      changesDocument: false,
      gmOnly: false,
      build: () => {
        const result = roll(expression, ctx.rng);
        const reply = { expression: result.expression, total: result.total, detail: result.detail, label: label ?? "" };
        const line: RollLine = { playerId: actor.playerId, name: actor.name, ...reply, at: ctx.now() };
        return { ops: [], notes: [], reply, roll: line, ...(secret ? { secret: true } : {}) };
      },
    };
  },

  encounter(actor, command, ctx) {
    requireGm(actor, "run the encounter");
    return {
      kind: `encounter.${command.type}`,
      baseVersion: undefined,
      changesDocument: true,
      gmOnly: true,
      build: (doc) => ({
        ...runEncounterCommand(doc, command, { plugin: ctx.plugin, rng: ctx.rng, newId: () => ctx.newId("combatants") }),
        reply: NO_EXTRAS,
      }),
    };
  },
};

/** The caller's part of the checks; throws a TavernError for a request refused whatever the document. */
export function planTableCommand<K extends TableCommandName>(actor: Actor, command: TableCommand<K>, ctx: CommandContext): CommandPlan<K> {
  const planner: Planner<K> = planners[command.name];
  return planner(actor, command.payload, ctx);
}

/** A whole command against `doc`: the ops, notes and reply extras, or a TavernError. */
export function runTableCommand<K extends TableCommandName>(
  doc: TableDoc,
  actor: Actor,
  command: TableCommand<K>,
  ctx: CommandContext,
): CommandOutcome<K> {
  return planTableCommand(actor, command, ctx).build(doc);
}

/** A new entity: the plugin's defaults, then the GM's fields over them. */
export function entityWithDefaults(
  plugin: RulesPlugin,
  collection: "characters" | "actors" | "items",
  fields: Record<string, unknown>,
): JsonValue {
  const d = plugin.defaults;
  const name = typeof fields["name"] === "string" ? fields["name"] : "Unnamed";
  const base =
    collection === "characters"
      ? newCharacter({ name, plugin: d.character() })
      : collection === "actors"
        ? newActor({ name, plugin: d.actor() })
        : newItem({ name, plugin: d.item() });
  // Unchecked on purpose: unknown or ill-typed fields reach the engine, which refuses them with a clear message.
  return { ...base, ...fields } as JsonValue;
}
