/**
 * A light D&D 5e: ability scores, AC, conditions, concentration and reactions. It tracks state and
 * tells the table which saves to roll; it does not roll them, so the GM stays in charge.
 */
import { z } from "zod";
import { TavernError } from "@tavern/shared/errors";
import { sourceOf, type ActorDoc, type CharacterDoc, type TableDoc } from "@tavern/shared/table/document";
import type { Operation } from "@tavern/shared/table/operations";
import { describeZodError } from "../../validation";
import { amountArgs, damageHp, defeatedOps, defineAction, entityAt, healHp, type EntityAt } from "./generic";
import type { EntityRef, PluginEffect, RulesPlugin } from "./RulesPlugin";
import { DND5E_CONDITIONS, type Dnd5eCondition } from "@tavern/shared/table/rules/dnd5e";

export { DND5E_CONDITIONS, type Dnd5eCondition } from "@tavern/shared/table/rules/dnd5e";

/** Conditions that make a creature incapacitated, which ends concentration (PHB p. 203). */
const INCAPACITATING: ReadonlySet<Dnd5eCondition> = new Set(["incapacitated", "paralyzed", "petrified", "stunned", "unconscious"]);

export function abilityModifier(score: number): number {
  return Math.floor((score - 10) / 2);
}

const score = z.number().int("must be a whole number").min(1).max(30);
const abilities = z.object({ str: score, dex: score, con: score, int: score, wis: score, cha: score }).strict();
const condition = z.enum(DND5E_CONDITIONS);
const creatureFields = {
  abilities,
  ac: z.number().int("must be a whole number").min(0).max(50),
  conditions: z.array(condition).refine((list) => new Set(list).size === list.length, "must not list a condition twice"),
  concentration: z.string().max(64),
  reactionUsed: z.boolean(),
};
const characterData = z.object({ ...creatureFields, level: z.number().int("must be a whole number").min(1).max(20) }).strict();
const actorData = z.object(creatureFields).strict();
type CreatureData = z.infer<typeof actorData>;

function creatureDefaults(): CreatureData {
  return {
    abilities: { str: 10, dex: 10, con: 10, int: 10, wis: 10, cha: 10 },
    ac: 10,
    conditions: [],
    concentration: "",
    reactionUsed: false,
  };
}

/** The target's plugin data; the engine validates it on every write, so a failure means a bad import. */
function creatureOf(doc: TableDoc, target: EntityRef): EntityAt & { data: CreatureData } {
  const at = entityAt(doc, target);
  const parsed = (target.kind === "character" ? characterData : actorData).safeParse(at.entity.plugin);
  if (!parsed.success) {
    throw new TavernError("VALIDATION_ERROR", `${at.entity.name} has invalid dnd5e-lite data: ${describeZodError(parsed.error)}`);
  }
  return { ...at, data: parsed.data };
}

function signed(n: number): string {
  return n < 0 ? `- ${-n}` : `+ ${n}`;
}

function loseConcentration(at: EntityAt, data: CreatureData): PluginEffect {
  if (data.concentration === "") return { ops: [], notes: [] };
  return {
    ops: [{ op: "set", path: `${at.path}.plugin.concentration`, value: "" }],
    notes: [`${at.entity.name} stops concentrating on ${data.concentration}`],
  };
}

function addCondition(at: EntityAt, data: CreatureData, c: Dnd5eCondition): PluginEffect {
  const effect: PluginEffect = {
    ops: [{ op: "push", path: `${at.path}.plugin.conditions`, value: c }],
    notes: [`${at.entity.name} is ${c}`],
  };
  return INCAPACITATING.has(c) ? merge(effect, loseConcentration(at, data)) : effect;
}

/** Also strips the extra fields of an HpChange, so an action returns a plain effect. */
function merge(...effects: PluginEffect[]): PluginEffect {
  return { ops: effects.flatMap((e) => e.ops), notes: effects.flatMap((e) => e.notes) };
}

const conditionArgs = z.object({ condition }).strict();

export const dnd5eLitePlugin: RulesPlugin = {
  id: "dnd5e-lite",
  name: "D&D 5e (lite)",
  schemas: {
    session: z.object({}).strict(),
    character: characterData,
    actor: actorData,
    item: z.object({}).strict(),
  },
  defaults: {
    session: () => ({}),
    character: () => ({ ...creatureDefaults(), level: 1 }),
    actor: creatureDefaults,
    item: () => ({}),
  },
  rollInitiative(entity: CharacterDoc | ActorDoc, rng) {
    const parsed = z.object({ abilities }).safeParse(entity.plugin);
    if (!parsed.success) throw new TavernError("VALIDATION_ERROR", `${entity.name} has no valid ability scores`);
    const mod = abilityModifier(parsed.data.abilities.dex);
    const roll = rng(20);
    return { total: roll + mod, tiebreak: mod, detail: `d20 (${roll}) ${signed(mod)}` };
  },
  actions: {
    damage: defineAction(
      "Deal damage; at 0 hp monsters are defeated and characters fall unconscious",
      amountArgs,
      (doc, target, { amount }) => {
        const { data, ...at } = creatureOf(doc, target);
        const change = damageHp(doc, target, amount);
        const name = at.entity.name;
        if (change.after > 0) {
          const save = Math.max(10, Math.floor(amount / 2));
          const concentrating = data.concentration !== "" && amount > 0;
          const notes = concentrating
            ? [`${name} must make a DC ${save} Constitution save to keep concentrating on ${data.concentration}`]
            : [];
          return merge(change, { ops: [], notes });
        }
        // Characters at 0 hp make death saves, so they stay in the turn order.
        if (target.kind === "actor") {
          return merge(change, loseConcentration(at, data), { ops: defeatedOps(doc, target, true), notes: [] });
        }
        if (data.conditions.includes("unconscious")) return merge(change, loseConcentration(at, data));
        return merge(change, addCondition(at, data, "unconscious"));
      },
    ),
    heal: defineAction(
      "Restore hp up to maxHp; healing from 0 wakes characters and brings monsters back",
      amountArgs,
      (doc, target, { amount }) => {
        const { data, ...at } = creatureOf(doc, target);
        const change = healHp(doc, target, amount);
        if (!(change.before <= 0 && change.after > 0)) return merge(change);
        if (target.kind === "actor") return merge(change, { ops: defeatedOps(doc, target, false), notes: [] });
        if (!data.conditions.includes("unconscious")) return merge(change);
        const wake: Operation = { op: "pull", path: `${at.path}.plugin.conditions`, value: "unconscious" };
        return merge(change, { ops: [wake], notes: [`${at.entity.name} regains consciousness`] });
      },
    ),
    addCondition: defineAction("Give the target a condition", conditionArgs, (doc, target, args) => {
      const { data, ...at } = creatureOf(doc, target);
      if (data.conditions.includes(args.condition)) {
        throw new TavernError("VALIDATION_ERROR", `${at.entity.name} is already ${args.condition}`);
      }
      return addCondition(at, data, args.condition);
    }),
    removeCondition: defineAction("Remove a condition from the target", conditionArgs, (doc, target, args) => {
      const { data, ...at } = creatureOf(doc, target);
      if (!data.conditions.includes(args.condition)) {
        throw new TavernError("VALIDATION_ERROR", `${at.entity.name} is not ${args.condition}`);
      }
      return {
        ops: [{ op: "pull", path: `${at.path}.plugin.conditions`, value: args.condition }],
        notes: [`${at.entity.name} is no longer ${args.condition}`],
      };
    }),
    setConcentration: defineAction(
      'Start concentrating on a spell, or stop with ""',
      z.object({ spell: z.string().trim().max(64) }).strict(),
      (doc, target, { spell }) => {
        const { data, ...at } = creatureOf(doc, target);
        const name = at.entity.name;
        if (spell === "") {
          if (data.concentration === "") throw new TavernError("VALIDATION_ERROR", `${name} is not concentrating`);
          return loseConcentration(at, data);
        }
        const incapacitated = data.conditions.find((c) => INCAPACITATING.has(c));
        if (incapacitated) throw new TavernError("VALIDATION_ERROR", `${name} is ${incapacitated} and cannot concentrate`);
        const ending = data.concentration === "" || data.concentration === spell ? "" : ` (ending ${data.concentration})`;
        return {
          ops: [{ op: "set", path: `${at.path}.plugin.concentration`, value: spell }],
          notes: [`${name} concentrates on ${spell}${ending}`],
        };
      },
    ),
  },
  onTurnStart(doc, combatantId) {
    const combatant = doc.encounter?.combatants[combatantId];
    const source = combatant && sourceOf(doc, combatant);
    if (!combatant || source?.plugin.reactionUsed !== true) return { ops: [], notes: [] };
    const path = `${combatant.sourceKind === "character" ? "characters" : "actors"}.${combatant.sourceId}.plugin.reactionUsed`;
    return { ops: [{ op: "set", path, value: false }], notes: [] };
  },
};
