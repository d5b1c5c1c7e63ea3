/**
 * The "no rules" plugin: plugin data is free-form JSON, initiative is a plain d20, and the only
 * actions are damage and heal. Its hit-point helpers are exported because every rules plugin
 * starts from the same clamping and defeated bookkeeping.
 */
import { z } from "zod";
import { TavernError } from "@tavern/shared/errors";
import { pluginDataSchema, type ActorDoc, type CharacterDoc, type TableDoc } from "@tavern/shared/table/document";
import type { Operation } from "@tavern/shared/table/operations";
import { describeZodError } from "../../validation";
import type { EntityRef, PluginActionDefinition, PluginEffect, RulesPlugin } from "./RulesPlugin";

export const amountArgs = z.object({ amount: z.number().int("must be a whole number").min(0).max(1_000_000) }).strict();

/**
 * Wraps an action so `run` gets typed arguments. The room validates with `args` too, but `run`
 * parses again because the interface hands it `unknown`.
 */
export function defineAction<S extends z.ZodType>(
  description: string,
  args: S,
  run: (doc: TableDoc, target: EntityRef, args: z.infer<S>) => PluginEffect,
): PluginActionDefinition {
  return {
    description,
    args,
    run(doc, target, raw) {
      const parsed = args.safeParse(raw);
      if (!parsed.success) throw new TavernError("VALIDATION_ERROR", `Invalid action arguments: ${describeZodError(parsed.error)}`);
      return run(doc, target, parsed.data);
    },
  };
}

export interface EntityAt {
  entity: CharacterDoc | ActorDoc;
  /** Op path of the entity, "characters.c1" or "actors.a1". */
  path: string;
}

export function entityAt(doc: TableDoc, target: EntityRef): EntityAt {
  const collection = target.kind === "character" ? "characters" : "actors";
  const entity = Object.hasOwn(doc[collection], target.id) ? doc[collection][target.id] : undefined;
  if (!entity) throw new TavernError("NOT_FOUND", `No ${target.kind} ${target.id} in this session`);
  return { entity, path: `${collection}.${target.id}` };
}

/** Ops that set `defeated` on the target's combatants in the current encounter, where it differs. */
export function defeatedOps(doc: TableDoc, target: EntityRef, defeated: boolean): Operation[] {
  const combatants = doc.encounter?.combatants ?? {};
  return Object.keys(combatants)
    .sort()
    .filter((id) => {
      const c = combatants[id];
      return c !== undefined && c.sourceKind === target.kind && c.sourceId === target.id && c.defeated !== defeated;
    })
    .map((id) => ({ op: "set", path: `encounter.combatants.${id}.defeated`, value: defeated }));
}

export interface HpChange extends EntityAt, PluginEffect {
  before: number;
  after: number;
}

/** Never raises hp (an entity already below 0 stays there) and never goes below 0. */
export function damageHp(doc: TableDoc, target: EntityRef, amount: number): HpChange {
  const at = entityAt(doc, target);
  const before = at.entity.hp;
  const after = Math.min(before, Math.max(0, before - amount));
  return hpChange(at, before, after, `${at.entity.name} takes ${amount} damage (${before} → ${after})`);
}

/** Never lowers hp (an entity above maxHp keeps its extra) and never goes above maxHp. */
export function healHp(doc: TableDoc, target: EntityRef, amount: number): HpChange {
  const at = entityAt(doc, target);
  const before = at.entity.hp;
  const after = Math.max(before, Math.min(at.entity.maxHp, before + amount));
  return hpChange(at, before, after, `${at.entity.name} regains ${amount} hp (${before} → ${after})`);
}

function hpChange(at: EntityAt, before: number, after: number, note: string): HpChange {
  const ops: Operation[] = after === before ? [] : [{ op: "set", path: `${at.path}.hp`, value: after }];
  return { ...at, before, after, ops, notes: [note] };
}

export const genericPlugin: RulesPlugin = {
  id: "generic",
  name: "Generic (no rules)",
  schemas: { session: pluginDataSchema, character: pluginDataSchema, actor: pluginDataSchema, item: pluginDataSchema },
  defaults: { session: () => ({}), character: () => ({}), actor: () => ({}), item: () => ({}) },
  rollInitiative(_entity, rng) {
    const roll = rng(20);
    return { total: roll, tiebreak: 0, detail: `d20 (${roll})` };
  },
  actions: {
    damage: defineAction("Deal damage; at 0 hp the target's combatants are defeated", amountArgs, (doc, target, { amount }) => {
      const change = damageHp(doc, target, amount);
      const ops = change.after === 0 ? [...change.ops, ...defeatedOps(doc, target, true)] : change.ops;
      return { ops, notes: change.notes };
    }),
    heal: defineAction("Restore hp up to maxHp; back above 0 the target is no longer defeated", amountArgs, (doc, target, { amount }) => {
      const change = healHp(doc, target, amount);
      const revived = change.before <= 0 && change.after > 0;
      return { ops: revived ? [...change.ops, ...defeatedOps(doc, target, false)] : change.ops, notes: change.notes };
    }),
  },
};
