/**
 * The contract of a rules plugin. A plugin declares the shape of its data (session-wide, per
 * character, per actor, per item), its initiative formula, its derived actions and its turn hooks.
 * Everything a plugin does to a session it returns as operations, so the operation engine applies,
 * validates, versions, hashes and records it like any GM update. Rooms never name a plugin.
 */
import type { z } from "zod";
import type { ActorDoc, CharacterDoc, PluginData, SourceKind, TableDoc } from "@tavern/shared/table/document";
import type { Operation } from "@tavern/shared/table/operations";

/** Returns a uniformly random whole number from 1 to `sides` (the server's RNG; tests inject their own). */
export type Rng = (sides: number) => number;

export interface EntityRef {
  kind: SourceKind;
  id: string;
}

export interface InitiativeRoll {
  /** The total the combatant acts on. */
  total: number;
  /** The second sort key when totals tie (for example the DEX modifier). */
  tiebreak: number;
  /** How it was rolled, for the log: "d20 (14) + 2". */
  detail: string;
}

/** What a plugin action or hook produces: operations for the engine and lines for the roll log. */
export interface PluginEffect {
  ops: Operation[];
  notes: string[];
}

export interface PluginActionDefinition {
  /** Validator of the action's arguments (besides the target). */
  args: z.ZodType;
  /** Builds the effect of the action on the target; throws TavernError for a refused action. */
  run(doc: TableDoc, target: EntityRef, args: unknown): PluginEffect;
  description: string;
}

export interface RulesPlugin {
  readonly id: string;
  readonly name: string;
  /** Validators of plugin data; engine checks every touched entity's `plugin` field with them. */
  readonly schemas: {
    session: z.ZodType<PluginData>;
    character: z.ZodType<PluginData>;
    actor: z.ZodType<PluginData>;
    item: z.ZodType<PluginData>;
  };
  /** Plugin data given to new sessions and entities created without any. */
  readonly defaults: {
    session(): PluginData;
    character(): PluginData;
    actor(): PluginData;
    item(): PluginData;
  };
  /** The plugin's initiative formula for one character or actor. */
  rollInitiative(entity: CharacterDoc | ActorDoc, rng: Rng): InitiativeRoll;
  /** Derived actions, by name ("damage", "heal", ...). Every plugin has at least damage and heal. */
  readonly actions: Readonly<Record<string, PluginActionDefinition>>;
  /** Called as a combatant's turn starts / ends (the combatant is in doc.encounter). */
  onTurnStart?(doc: TableDoc, combatantId: string): PluginEffect;
  onTurnEnd?(doc: TableDoc, combatantId: string): PluginEffect;
}
