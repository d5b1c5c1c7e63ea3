import assert from "node:assert/strict";
import { TavernError, type ErrorCode } from "@tavern/shared/errors";
import {
  emptyTable,
  newActor,
  newCharacter,
  newCombatant,
  type CombatantDoc,
  type PluginData,
  type TableDoc,
} from "@tavern/shared/table/document";
import { applyOperations } from "../../src/domain/table/engine";
import { abilityModifier, dnd5eLitePlugin } from "../../src/domain/table/plugins/dnd5e-lite";
import { genericPlugin } from "../../src/domain/table/plugins/generic";
import { getPlugin, pluginIds, PLUGINS } from "../../src/domain/table/plugins/registry";
import type { EntityRef, PluginEffect, Rng, RulesPlugin } from "../../src/domain/table/plugins/RulesPlugin";

function throwsCode(fn: () => unknown, code: ErrorCode, message?: RegExp): void {
  assert.throws(fn, (err: unknown) => err instanceof TavernError && err.code === code && (!message || message.test(err.message)));
}

function combatant(sourceKind: CombatantDoc["sourceKind"], sourceId: string, over: Partial<CombatantDoc> = {}): CombatantDoc {
  return newCombatant({ sourceKind, sourceId, name: sourceId, initiative: 10, rolled: true, ...over });
}

/** A party of one (c1, Aria) against a goblin (a1) with two combatants, so marking must find both. */
function table(plugin: RulesPlugin, over: { aria?: PluginData; goblin?: PluginData; ariaHp?: number; goblinHp?: number } = {}): TableDoc {
  const doc = emptyTable("Crypt", plugin.id, plugin.defaults.session());
  doc.characters.c1 = newCharacter({ name: "Aria", hp: over.ariaHp ?? 12, maxHp: 12, plugin: over.aria ?? plugin.defaults.character() });
  doc.actors.a1 = newActor({ name: "Goblin", hp: over.goblinHp ?? 7, maxHp: 7, plugin: over.goblin ?? plugin.defaults.actor() });
  doc.actors.a2 = newActor({ name: "Wolf", hp: 11, maxHp: 11, plugin: plugin.defaults.actor() });
  doc.encounter = {
    round: 1,
    turnId: "k1",
    combatants: {
      k1: combatant("actor", "a1"),
      k2: combatant("character", "c1"),
      k3: combatant("actor", "a1", { name: "Goblin (reinforcement)" }),
      k4: combatant("actor", "a2"),
    },
  };
  return doc;
}

const aria: EntityRef = { kind: "character", id: "c1" };
const goblin: EntityRef = { kind: "actor", id: "a1" };

function act(plugin: RulesPlugin, doc: TableDoc, action: string, target: EntityRef, args: unknown): PluginEffect & { doc: TableDoc } {
  const definition = plugin.actions[action];
  assert.ok(definition, `${plugin.id} has no ${action}`);
  const effect = definition.run(doc, target, args);
  return { ...effect, doc: applyOperations(doc, effect.ops, plugin) };
}

function dnd(over: Record<string, unknown> = {}, kind: "character" | "actor" = "character"): PluginData {
  return { ...dnd5eLitePlugin.defaults[kind](), ...over } as PluginData;
}

describe("rules plugins", () => {
  describe("generic", () => {
    const plugin = genericPlugin;

    it("takes any JSON object as plugin data and defaults to {}", () => {
      for (const kind of ["session", "character", "actor", "item"] as const) {
        assert.deepEqual(plugin.defaults[kind](), {});
        assert.equal(plugin.schemas[kind].safeParse({ anything: [1, "two", { three: null }] }).success, true);
        assert.equal(plugin.schemas[kind].safeParse([1]).success, false);
        assert.equal(plugin.schemas[kind].safeParse({ x: Number.NaN }).success, false);
      }
    });

    it("rolls a plain d20 with no tiebreak", () => {
      const sides: number[] = [];
      const rng: Rng = (n) => (sides.push(n), 14);
      assert.deepEqual(plugin.rollInitiative(newCharacter({ name: "Aria" }), rng), { total: 14, tiebreak: 0, detail: "d20 (14)" });
      assert.deepEqual(sides, [20]);
    });

    it("damage sets hp and describes the change", () => {
      const r = act(plugin, table(plugin), "damage", goblin, { amount: 5 });
      assert.deepEqual(r.ops, [{ op: "set", path: "actors.a1.hp", value: 2 }]);
      assert.deepEqual(r.notes, ["Goblin takes 5 damage (7 → 2)"]);
      assert.equal(r.doc.actors.a1?.hp, 2);
      assert.equal(r.doc.encounter?.combatants.k1?.defeated, false);
    });

    it("damage stops at 0 and defeats every combatant of the target, and only those", () => {
      const r = act(plugin, table(plugin), "damage", goblin, { amount: 50 });
      assert.deepEqual(r.ops, [
        { op: "set", path: "actors.a1.hp", value: 0 },
        { op: "set", path: "encounter.combatants.k1.defeated", value: true },
        { op: "set", path: "encounter.combatants.k3.defeated", value: true },
      ]);
      assert.deepEqual(r.notes, ["Goblin takes 50 damage (7 → 0)"]);
      const combatants = r.doc.encounter?.combatants;
      assert.deepEqual(
        [combatants?.k1?.defeated, combatants?.k2?.defeated, combatants?.k3?.defeated, combatants?.k4?.defeated],
        [true, false, true, false],
      );
    });

    it("damage outside an encounter only changes hp, and a character at 0 is defeated too", () => {
      const doc = { ...table(plugin), encounter: null };
      assert.deepEqual(act(plugin, doc, "damage", goblin, { amount: 9 }).ops, [{ op: "set", path: "actors.a1.hp", value: 0 }]);
      assert.deepEqual(act(plugin, table(plugin), "damage", aria, { amount: 12 }).ops, [
        { op: "set", path: "characters.c1.hp", value: 0 },
        { op: "set", path: "encounter.combatants.k2.defeated", value: true },
      ]);
    });

    it("heal stops at maxHp and brings a defeated target back", () => {
      const down = act(plugin, table(plugin), "damage", goblin, { amount: 7 }).doc;
      const r = act(plugin, down, "heal", goblin, { amount: 100 });
      assert.deepEqual(r.ops, [
        { op: "set", path: "actors.a1.hp", value: 7 },
        { op: "set", path: "encounter.combatants.k1.defeated", value: false },
        { op: "set", path: "encounter.combatants.k3.defeated", value: false },
      ]);
      assert.deepEqual(r.notes, ["Goblin regains 100 hp (0 → 7)"]);
      assert.equal(r.doc.encounter?.combatants.k1?.defeated, false);
    });

    it("produces no ops when hp cannot move", () => {
      assert.deepEqual(act(plugin, table(plugin), "heal", goblin, { amount: 3 }).ops, []);
      assert.deepEqual(act(plugin, table(plugin), "damage", goblin, { amount: 0 }).ops, []);
    });

    it("refuses bad arguments and unknown targets", () => {
      const doc = table(plugin);
      const damage = plugin.actions.damage!;
      for (const args of [{ amount: -1 }, { amount: 1.5 }, { amount: 1_000_001 }, {}, { amount: 1, extra: true }, "5"]) {
        throwsCode(() => damage.run(doc, goblin, args), "VALIDATION_ERROR");
      }
      throwsCode(() => damage.run(doc, { kind: "actor", id: "c1" }, { amount: 1 }), "NOT_FOUND");
      throwsCode(() => damage.run(doc, { kind: "actor", id: "constructor" }, { amount: 1 }), "NOT_FOUND");
    });
  });

  describe("dnd5e-lite", () => {
    const plugin = dnd5eLitePlugin;

    it("computes ability modifiers", () => {
      const cases: [number, number][] = [
        [1, -5],
        [8, -1],
        [9, -1],
        [10, 0],
        [11, 0],
        [12, 1],
        [15, 2],
        [30, 10],
      ];
      for (const [score, mod] of cases) assert.equal(abilityModifier(score), mod, `score ${score}`);
    });

    it("accepts its own defaults", () => {
      for (const kind of ["session", "character", "actor", "item"] as const) {
        assert.equal(plugin.schemas[kind].safeParse(plugin.defaults[kind]()).success, true, kind);
      }
      assert.equal(plugin.defaults.character().level, 1);
      assert.equal("level" in plugin.defaults.actor(), false);
    });

    it("refuses bad character and actor data", () => {
      const abilities = { str: 10, dex: 10, con: 10, int: 10, wis: 10, cha: 31 };
      const bad: [string, PluginData][] = [
        ["unknown condition", dnd({ conditions: ["sleepy"] })],
        ["duplicate condition", dnd({ conditions: ["prone", "prone"] })],
        ["ability 31", dnd({ abilities })],
        ["ability 0", dnd({ abilities: { ...abilities, cha: 0 } })],
        ["unknown key", dnd({ hitDice: "1d8" })],
        ["level 21", dnd({ level: 21 })],
        ["ac 51", dnd({ ac: 51 })],
        ["long concentration", dnd({ concentration: "x".repeat(65) })],
      ];
      for (const [label, data] of bad) assert.equal(plugin.schemas.character.safeParse(data).success, false, label);
      const { level: _level, ...noLevel } = dnd();
      assert.equal(plugin.schemas.character.safeParse(noLevel).success, false, "missing level");
      assert.equal(plugin.schemas.actor.safeParse(dnd({ level: 3 }, "actor")).success, false, "level on an actor");
      assert.equal(plugin.schemas.session.safeParse({ house: "rules" }).success, false, "session key");
      assert.equal(plugin.schemas.actor.safeParse(dnd({ conditions: ["prone", "stunned"] }, "actor")).success, true);
    });

    it("rolls d20 + DEX modifier with the modifier as tiebreak", () => {
      const rng: Rng = () => 14;
      const quick = newCharacter({ name: "Aria", plugin: dnd({ abilities: { str: 8, dex: 15, con: 12, int: 10, wis: 13, cha: 14 } }) });
      assert.deepEqual(plugin.rollInitiative(quick, rng), { total: 16, tiebreak: 2, detail: "d20 (14) + 2" });
      const slow = newActor({ name: "Zombie", plugin: dnd({ abilities: { str: 13, dex: 6, con: 16, int: 3, wis: 6, cha: 5 } }, "actor") });
      assert.deepEqual(plugin.rollInitiative(slow, rng), { total: 12, tiebreak: -2, detail: "d20 (14) - 2" });
      throwsCode(() => plugin.rollInitiative(newActor({ name: "Blank" }), rng), "VALIDATION_ERROR");
    });

    it("a monster at 0 hp is defeated", () => {
      const r = act(plugin, table(plugin), "damage", goblin, { amount: 10 });
      assert.deepEqual(r.ops, [
        { op: "set", path: "actors.a1.hp", value: 0 },
        { op: "set", path: "encounter.combatants.k1.defeated", value: true },
        { op: "set", path: "encounter.combatants.k3.defeated", value: true },
      ]);
      assert.deepEqual(r.doc.actors.a1?.plugin.conditions, []);
    });

    it("a character at 0 hp falls unconscious but stays in the fight", () => {
      const r = act(plugin, table(plugin), "damage", aria, { amount: 20 });
      assert.deepEqual(r.ops, [
        { op: "set", path: "characters.c1.hp", value: 0 },
        { op: "push", path: "characters.c1.plugin.conditions", value: "unconscious" },
      ]);
      assert.deepEqual(r.notes, ["Aria takes 20 damage (12 → 0)", "Aria is unconscious"]);
      assert.deepEqual(r.doc.characters.c1?.plugin.conditions, ["unconscious"]);
      assert.equal(r.doc.encounter?.combatants.k2?.defeated, false);
      // A hit while down (a failed death save at the table) must not list the condition twice.
      assert.deepEqual(act(plugin, r.doc, "damage", aria, { amount: 3 }).ops, []);
    });

    it("asks for a concentration save with DC max(10, half the damage)", () => {
      const doc = table(plugin, { aria: dnd({ concentration: "Bless" }) });
      doc.characters.c1!.maxHp = 60;
      doc.characters.c1!.hp = 60;
      assert.deepEqual(act(plugin, doc, "damage", aria, { amount: 7 }).notes, [
        "Aria takes 7 damage (60 → 53)",
        "Aria must make a DC 10 Constitution save to keep concentrating on Bless",
      ]);
      assert.equal(
        act(plugin, doc, "damage", aria, { amount: 31 }).notes[1],
        "Aria must make a DC 15 Constitution save to keep concentrating on Bless",
      );
      assert.deepEqual(act(plugin, doc, "damage", aria, { amount: 0 }).notes, ["Aria takes 0 damage (60 → 60)"]);
    });

    it("concentration ends instead when the damage drops the target to 0", () => {
      const doc = table(plugin, { goblin: dnd({ concentration: "Hex" }, "actor") });
      const r = act(plugin, doc, "damage", goblin, { amount: 7 });
      assert.deepEqual(r.ops, [
        { op: "set", path: "actors.a1.hp", value: 0 },
        { op: "set", path: "actors.a1.plugin.concentration", value: "" },
        { op: "set", path: "encounter.combatants.k1.defeated", value: true },
        { op: "set", path: "encounter.combatants.k3.defeated", value: true },
      ]);
      assert.deepEqual(r.notes, ["Goblin takes 7 damage (7 → 0)", "Goblin stops concentrating on Hex"]);
    });

    it("healing from 0 wakes a character and brings a monster back", () => {
      const down = act(plugin, act(plugin, table(plugin), "damage", aria, { amount: 12 }).doc, "damage", goblin, { amount: 7 }).doc;
      const woken = act(plugin, down, "heal", aria, { amount: 20 });
      assert.deepEqual(woken.ops, [
        { op: "set", path: "characters.c1.hp", value: 12 },
        { op: "pull", path: "characters.c1.plugin.conditions", value: "unconscious" },
      ]);
      assert.deepEqual(woken.notes, ["Aria regains 20 hp (0 → 12)", "Aria regains consciousness"]);
      assert.deepEqual(woken.doc.characters.c1?.plugin.conditions, []);
      const back = act(plugin, down, "heal", goblin, { amount: 1 });
      assert.deepEqual(back.ops, [
        { op: "set", path: "actors.a1.hp", value: 1 },
        { op: "set", path: "encounter.combatants.k1.defeated", value: false },
        { op: "set", path: "encounter.combatants.k3.defeated", value: false },
      ]);
    });

    it("healing above 0 leaves an unconscious condition the GM set (sleep) alone", () => {
      const doc = table(plugin, { aria: dnd({ conditions: ["unconscious"] }), ariaHp: 5 });
      assert.deepEqual(act(plugin, doc, "heal", aria, { amount: 2 }).ops, [{ op: "set", path: "characters.c1.hp", value: 7 }]);
    });

    it("adds and removes conditions, once each", () => {
      const added = act(plugin, table(plugin), "addCondition", goblin, { condition: "prone" });
      assert.deepEqual(added.ops, [{ op: "push", path: "actors.a1.plugin.conditions", value: "prone" }]);
      assert.deepEqual(added.notes, ["Goblin is prone"]);
      throwsCode(() => act(plugin, added.doc, "addCondition", goblin, { condition: "prone" }), "VALIDATION_ERROR", /already prone/);
      throwsCode(() => act(plugin, added.doc, "addCondition", goblin, { condition: "sleepy" }), "VALIDATION_ERROR");
      const removed = act(plugin, added.doc, "removeCondition", goblin, { condition: "prone" });
      assert.deepEqual(removed.ops, [{ op: "pull", path: "actors.a1.plugin.conditions", value: "prone" }]);
      assert.deepEqual(removed.doc.actors.a1?.plugin.conditions, []);
      throwsCode(() => act(plugin, removed.doc, "removeCondition", goblin, { condition: "prone" }), "VALIDATION_ERROR", /not prone/);
    });

    it("an incapacitating condition ends concentration", () => {
      const doc = table(plugin, { aria: dnd({ concentration: "Bless" }) });
      const r = act(plugin, doc, "addCondition", aria, { condition: "stunned" });
      assert.deepEqual(r.ops, [
        { op: "push", path: "characters.c1.plugin.conditions", value: "stunned" },
        { op: "set", path: "characters.c1.plugin.concentration", value: "" },
      ]);
      assert.equal(r.doc.characters.c1?.plugin.concentration, "");
      throwsCode(() => act(plugin, r.doc, "setConcentration", aria, { spell: "Bless" }), "VALIDATION_ERROR", /stunned/);
    });

    it("starts, switches and ends concentration", () => {
      const started = act(plugin, table(plugin), "setConcentration", aria, { spell: " Bless " });
      assert.deepEqual(started.ops, [{ op: "set", path: "characters.c1.plugin.concentration", value: "Bless" }]);
      assert.deepEqual(started.notes, ["Aria concentrates on Bless"]);
      assert.deepEqual(act(plugin, started.doc, "setConcentration", aria, { spell: "Haste" }).notes, [
        "Aria concentrates on Haste (ending Bless)",
      ]);
      const ended = act(plugin, started.doc, "setConcentration", aria, { spell: "" });
      assert.deepEqual(ended.notes, ["Aria stops concentrating on Bless"]);
      assert.equal(ended.doc.characters.c1?.plugin.concentration, "");
      throwsCode(() => act(plugin, ended.doc, "setConcentration", aria, { spell: "" }), "VALIDATION_ERROR");
      throwsCode(() => act(plugin, ended.doc, "setConcentration", aria, { spell: "x".repeat(65) }), "VALIDATION_ERROR");
    });

    it("refuses a target whose plugin data is not dnd5e-lite data", () => {
      const doc = table(plugin, { goblin: {} });
      throwsCode(() => plugin.actions.damage!.run(doc, goblin, { amount: 1 }), "VALIDATION_ERROR", /invalid dnd5e-lite data/);
    });

    it("gives the reaction back as a turn starts", () => {
      const doc = table(plugin, { goblin: dnd({ reactionUsed: true }, "actor") });
      const effect = plugin.onTurnStart!(doc, "k3");
      assert.deepEqual(effect, { ops: [{ op: "set", path: "actors.a1.plugin.reactionUsed", value: false }], notes: [] });
      assert.equal(applyOperations(doc, effect.ops, plugin).actors.a1?.plugin.reactionUsed, false);
      assert.deepEqual(plugin.onTurnStart!(doc, "k2"), { ops: [], notes: [] });
      assert.deepEqual(plugin.onTurnStart!(doc, "nobody"), { ops: [], notes: [] });
      assert.deepEqual(plugin.onTurnStart!({ ...doc, encounter: null }, "k1"), { ops: [], notes: [] });
    });
  });

  describe("registry", () => {
    it("lists and returns the plugins by id", () => {
      assert.deepEqual(pluginIds(), ["generic", "dnd5e-lite"]);
      assert.equal(getPlugin("generic"), genericPlugin);
      assert.equal(getPlugin("dnd5e-lite"), dnd5eLitePlugin);
    });

    it("refuses an unknown id, naming the known ones", () => {
      throwsCode(() => getPlugin("pathfinder"), "VALIDATION_ERROR", /pathfinder.*generic, dnd5e-lite/);
      throwsCode(() => getPlugin("toString"), "VALIDATION_ERROR");
    });

    it("every plugin keeps the contract: own id, damage and heal, defaults its schemas accept", () => {
      for (const [id, plugin] of PLUGINS) {
        assert.equal(plugin.id, id);
        assert.ok(plugin.actions.damage && plugin.actions.heal, id);
        for (const kind of ["session", "character", "actor", "item"] as const) {
          assert.equal(plugin.schemas[kind].safeParse(plugin.defaults[kind]()).success, true, `${id} ${kind}`);
        }
      }
    });
  });
});
