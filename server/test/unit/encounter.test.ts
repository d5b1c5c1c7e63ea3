import assert from "node:assert/strict";
import { TavernError, type ErrorCode } from "@tavern/shared/errors";
import {
  emptyTable,
  newActor,
  newCharacter,
  newCombatant,
  type CombatantDoc,
  type EncounterDoc,
  type TableDoc,
} from "@tavern/shared/table/document";
import { hashTable } from "@tavern/shared/table/hash";
import { nextActing, previousActing, turnOrder } from "@tavern/shared/table/turnOrder";
import { encounterCommandSchema, runEncounterCommand, type EncounterCommand, type EncounterEffect } from "../../src/domain/table/encounter";
import { applyOperations } from "../../src/domain/table/engine";
import { dnd5eLitePlugin } from "../../src/domain/table/plugins/dnd5e-lite";
import { genericPlugin } from "../../src/domain/table/plugins/generic";
import type { Rng, RulesPlugin } from "../../src/domain/table/plugins/RulesPlugin";

/** Plays back `values`; fails the test if the code under test rolls more dice than scripted. */
function scripted(values: number[]): Rng {
  let next = 0;
  return () => {
    const value = values[next++];
    if (value === undefined) throw new Error(`scripted rng ran out after ${values.length} rolls`);
    return value;
  };
}

/** Generic rules plus hooks that record which turn each hook saw, so tests can tell the documents apart. */
const hookedPlugin: RulesPlugin = {
  ...genericPlugin,
  id: "hooked",
  onTurnEnd: (doc, id) => ({
    ops: [{ op: "set", path: "plugin.endSaw", value: doc.encounter?.turnId ?? null }],
    notes: [`end ${id}`],
  }),
  onTurnStart: (doc, id) => ({
    ops: [{ op: "set", path: "plugin.startSaw", value: doc.encounter?.turnId ?? null }],
    notes: [`start ${id}`],
  }),
};

function tableDoc(plugin: RulesPlugin): TableDoc {
  const d = plugin.defaults;
  return {
    ...emptyTable("Test", plugin.id, d.session()),
    characters: {
      aria: newCharacter({ name: "Aria", plugin: d.character() }),
      bram: newCharacter({ name: "Bram", plugin: d.character() }),
    },
    actors: {
      gob: newActor({ name: "Goblin", plugin: d.actor() }),
      orc: newActor({ name: "Orc", plugin: d.actor() }),
      corpse: newActor({ name: "Corpse", hp: 0, plugin: d.actor() }),
    },
  };
}

/** A session under test: commands run against the current document and their ops are applied. */
class Table {
  doc: TableDoc;
  private readonly ids: string[];
  private readonly ctx;

  constructor(
    readonly plugin: RulesPlugin = genericPlugin,
    options: { rolls?: number[]; ids?: string[]; doc?: TableDoc } = {},
  ) {
    this.doc = options.doc ?? tableDoc(plugin);
    this.ids = [...(options.ids ?? [])];
    let n = 0;
    this.ctx = { plugin, rng: scripted(options.rolls ?? []), newId: () => this.ids.shift() ?? `k${++n}` };
  }

  effect(command: EncounterCommand): EncounterEffect {
    return runEncounterCommand(this.doc, command, this.ctx);
  }

  run(command: EncounterCommand): EncounterEffect {
    const effect = this.effect(command);
    this.doc = applyOperations(this.doc, effect.ops, this.plugin);
    return effect;
  }

  get encounter(): EncounterDoc {
    assert.ok(this.doc.encounter, "no encounter");
    return this.doc.encounter;
  }

  /** The combatant id standing for a character or actor. */
  id(sourceId: string): string {
    const found = Object.entries(this.encounter.combatants).find(([, c]) => c.sourceId === sourceId);
    assert.ok(found, `${sourceId} is not a combatant`);
    return found[0];
  }

  combatant(sourceId: string): CombatantDoc {
    return this.encounter.combatants[this.id(sourceId)]!;
  }

  /** Source ids, so assertions read as names. */
  order(): string[] {
    return turnOrder(this.encounter).map((id) => this.encounter.combatants[id]!.sourceId);
  }

  turn(): { round: number; who: string } {
    const { round, turnId } = this.encounter;
    return { round, who: turnId === "" ? "" : this.encounter.combatants[turnId]!.sourceId };
  }

  next(): EncounterEffect {
    return this.run({ type: "nextTurn" });
  }

  refuses(command: EncounterCommand, code: ErrorCode, fragment = ""): void {
    assert.throws(
      () => this.effect(command),
      (err: unknown) => {
        assert.ok(err instanceof TavernError, `expected a TavernError, got ${String(err)}`);
        assert.equal(err.code, code, err.message);
        assert.ok(err.message.includes(fragment), `"${err.message}" lacks "${fragment}"`);
        return true;
      },
    );
  }
}

/** Starts an encounter with the given sources and sets their initiative, in that order. */
function fight(initiatives: Record<string, number>, plugin: RulesPlugin = genericPlugin, ids?: string[]): Table {
  const t = new Table(plugin, ids ? { ids } : {});
  const combatants = Object.keys(initiatives).map((id) => ({
    kind: id in t.doc.characters ? ("character" as const) : ("actor" as const),
    id,
  }));
  t.run({ type: "start", combatants });
  for (const [sourceId, initiative] of Object.entries(initiatives)) {
    t.run({ type: "setInitiative", combatantId: t.id(sourceId), initiative });
  }
  return t;
}

function combatant(over: Partial<CombatantDoc>): CombatantDoc {
  return newCombatant({ sourceKind: "character", sourceId: "aria", name: "X", rolled: true, ...over });
}

describe("encounter", () => {
  describe("turnOrder", () => {
    it("puts rolled before unrolled, then initiative and tiebreak descending, then id ascending", () => {
      const encounter: EncounterDoc = {
        round: 0,
        turnId: "",
        combatants: {
          unrolled: combatant({ initiative: 30, rolled: false }),
          low: combatant({ initiative: 5 }),
          b: combatant({ initiative: 12, tiebreak: 1 }),
          a: combatant({ initiative: 12, tiebreak: 1 }),
          quick: combatant({ initiative: 12, tiebreak: 3 }),
          top: combatant({ initiative: 18, tiebreak: -2 }),
        },
      };
      assert.deepEqual(turnOrder(encounter), ["top", "quick", "a", "b", "low", "unrolled"]);
      // Insertion order must not matter, or server and client could disagree.
      const reversed = Object.fromEntries(Object.entries(encounter.combatants).reverse());
      assert.deepEqual(turnOrder({ ...encounter, combatants: reversed }), turnOrder(encounter));
    });

    it("steps forward and back with wrap-around, skipping defeated and delayed combatants", () => {
      const encounter: EncounterDoc = {
        round: 2,
        turnId: "c",
        combatants: {
          a: combatant({ initiative: 20 }),
          b: combatant({ initiative: 15, defeated: true }),
          c: combatant({ initiative: 10 }),
          d: combatant({ initiative: 5, delayed: true }),
        },
      };
      assert.deepEqual(nextActing(encounter), { round: 3, turnId: "a" });
      assert.deepEqual(previousActing(encounter), { round: 2, turnId: "a" });
      assert.deepEqual(previousActing({ ...encounter, turnId: "a" }), { round: 1, turnId: "c" });
      assert.equal(previousActing({ ...encounter, round: 1, turnId: "a" }), undefined);
      assert.deepEqual(nextActing({ ...encounter, round: 0, turnId: "" }), { round: 1, turnId: "a" });
      const nobody = { ...encounter, combatants: { b: combatant({ defeated: true }) } };
      assert.equal(nextActing(nobody), undefined);
    });
  });

  describe("start, add and end", () => {
    it("starts at round 0 with combatants copied from their sources", () => {
      const t = new Table();
      t.run({
        type: "start",
        combatants: [
          { kind: "character", id: "aria" },
          { kind: "actor", id: "corpse" },
        ],
      });
      assert.equal(t.encounter.round, 0);
      assert.equal(t.encounter.turnId, "");
      assert.deepEqual(t.combatant("aria"), combatant({ sourceId: "aria", name: "Aria", rolled: false }));
      assert.deepEqual(
        t.combatant("corpse"),
        combatant({ sourceKind: "actor", sourceId: "corpse", name: "Corpse", rolled: false, defeated: true }),
      );
    });

    it("adds and removes combatants, and ends the encounter", () => {
      const t = new Table();
      t.run({ type: "start" });
      const effect = t.run({ type: "addCombatant", source: { kind: "actor", id: "orc" } });
      assert.deepEqual(effect.notes, [{ text: "Orc joins the encounter", gmOnly: false }]);
      assert.equal(t.combatant("orc").name, "Orc");
      t.run({ type: "removeCombatant", combatantId: t.id("orc") });
      assert.deepEqual(t.encounter.combatants, {});
      t.run({ type: "end" });
      assert.equal(t.doc.encounter, null);
    });
  });

  describe("initiative", () => {
    it("rolls through the plugin, only for the unrolled by default, with a note per roll", () => {
      const t = new Table(dnd5eLitePlugin, { rolls: [14, 9, 3] });
      const abilities = { str: 10, dex: 14, con: 10, int: 10, wis: 10, cha: 10 };
      t.doc = applyOperations(t.doc, [{ op: "set", path: "actors.gob.plugin.abilities", value: abilities }], dnd5eLitePlugin);
      t.run({
        type: "start",
        combatants: [
          { kind: "actor", id: "gob" },
          { kind: "character", id: "aria" },
        ],
      });
      t.run({ type: "setInitiative", combatantId: t.id("aria"), initiative: 7 });
      const effect = t.run({ type: "rollInitiative" });
      assert.deepEqual(effect.notes, [{ text: "Goblin rolls initiative: d20 (14) + 2 = 16", gmOnly: false }]);
      assert.deepEqual(t.combatant("gob"), { ...t.combatant("gob"), initiative: 16, tiebreak: 2, rolled: true });
      assert.equal(t.combatant("aria").initiative, 7);

      // Named combatants roll again even when they have rolled.
      t.run({ type: "rollInitiative", combatantIds: [t.id("aria"), t.id("gob")] });
      assert.equal(t.combatant("aria").initiative, 9);
      assert.equal(t.combatant("gob").initiative, 5);
    });

    it("refuses to start the first turn while someone has not rolled, naming them", () => {
      const t = new Table();
      t.run({
        type: "start",
        combatants: [
          { kind: "character", id: "aria" },
          { kind: "actor", id: "orc" },
        ],
      });
      t.run({ type: "setInitiative", combatantId: t.id("aria"), initiative: 12 });
      t.refuses({ type: "nextTurn" }, "INVALID_PHASE", "Orc");
      t.run({ type: "setInitiative", combatantId: t.id("orc"), initiative: 3 });
      t.next();
      assert.deepEqual(t.turn(), { round: 1, who: "aria" });
    });

    it("does not wait for a defeated combatant's roll", () => {
      const t = fight({ aria: 10 });
      t.run({ type: "addCombatant", source: { kind: "actor", id: "corpse" } });
      t.next();
      assert.deepEqual(t.turn(), { round: 1, who: "aria" });
    });
  });

  describe("turns", () => {
    it("cycles through a round in initiative order and counts rounds", () => {
      const t = fight({ bram: 10, gob: 15, aria: 20 });
      assert.deepEqual(t.order(), ["aria", "gob", "bram"]);
      const seen = [1, 2, 3, 4].map(() => {
        const effect = t.next();
        return { ...t.turn(), notes: effect.notes.map((n) => n.text) };
      });
      assert.deepEqual(seen, [
        { round: 1, who: "aria", notes: ["Round 1: Aria's turn"] },
        { round: 1, who: "gob", notes: ["Round 1: Goblin's turn"] },
        { round: 1, who: "bram", notes: ["Round 1: Bram's turn"] },
        { round: 2, who: "aria", notes: ["Round 2: Aria's turn"] },
      ]);
    });

    it("breaks initiative ties by tiebreak, then by combatant id", () => {
      const t = fight({ aria: 12, bram: 12, gob: 12 }, genericPlugin, ["k3", "k1", "k2"]);
      assert.deepEqual(t.order(), ["bram", "gob", "aria"]);
      t.doc = applyOperations(t.doc, [{ op: "set", path: `encounter.combatants.${t.id("aria")}.tiebreak`, value: 1 }], t.plugin);
      assert.deepEqual(t.order(), ["aria", "bram", "gob"]);
    });

    it("skips defeated combatants", () => {
      const t = fight({ aria: 20, gob: 15, bram: 10 });
      t.doc = applyOperations(t.doc, [{ op: "set", path: `encounter.combatants.${t.id("gob")}.defeated`, value: true }], t.plugin);
      t.next();
      t.next();
      assert.deepEqual(t.turn(), { round: 1, who: "bram" });
      t.next();
      assert.deepEqual(t.turn(), { round: 2, who: "aria" });
    });

    it("steps back, across rounds, but not before round 1's first turn", () => {
      const t = fight({ aria: 20, gob: 15, bram: 10 });
      t.refuses({ type: "previousTurn" }, "INVALID_PHASE");
      t.next();
      t.refuses({ type: "previousTurn" }, "INVALID_PHASE");
      t.next();
      t.next();
      t.next();
      assert.deepEqual(t.turn(), { round: 2, who: "aria" });
      const effect = t.run({ type: "previousTurn" });
      assert.deepEqual(t.turn(), { round: 1, who: "bram" });
      assert.deepEqual(effect.notes, [{ text: "Round 1: Bram's turn", gmOnly: false }]);
    });

    it("passes the turn on when the current combatant is removed, to nobody when none is left", () => {
      const t = fight({ aria: 20, gob: 15 });
      t.next();
      t.next();
      t.run({ type: "removeCombatant", combatantId: t.id("gob") });
      assert.deepEqual(t.turn(), { round: 2, who: "aria" });
      t.run({ type: "removeCombatant", combatantId: t.id("aria") });
      assert.deepEqual(t.turn(), { round: 2, who: "" });
      t.refuses({ type: "nextTurn" }, "INVALID_PHASE", "No combatant can act");
    });

    it("delays a turn and resumes it right after the current combatant", () => {
      const t = fight({ aria: 20, gob: 15, bram: 10, orc: 5 });
      t.next();
      t.run({ type: "delayTurn" });
      assert.equal(t.combatant("aria").delayed, true);
      assert.deepEqual(t.turn(), { round: 1, who: "gob" });
      t.next();
      assert.deepEqual(t.turn(), { round: 1, who: "bram" });

      const effect = t.run({ type: "resumeTurn", combatantId: t.id("aria") });
      assert.deepEqual(t.turn(), { round: 1, who: "aria" });
      assert.deepEqual(t.order(), ["gob", "bram", "aria", "orc"]);
      assert.deepEqual(t.combatant("aria"), { ...t.combatant("aria"), delayed: false, initiative: 10, tiebreak: -1 });
      assert.deepEqual(
        effect.notes.map((n) => n.text),
        ["Aria stops delaying", "Round 1: Aria's turn"],
      );
      t.next();
      assert.deepEqual(t.turn(), { round: 1, who: "orc" });
      t.next();
      assert.deepEqual(t.turn(), { round: 2, who: "gob" });
    });

    it("skips delayed combatants until they resume, across rounds", () => {
      const t = fight({ aria: 20, gob: 15 });
      t.next();
      t.run({ type: "delayTurn" });
      t.next();
      assert.deepEqual(t.turn(), { round: 2, who: "gob" });
      t.refuses({ type: "delayTurn" }, "INVALID_PHASE", "nobody to wait for");
    });

    it("resumes between combatants tied on initiative and tiebreak, whatever the ids", () => {
      // Ids: aria k3, bram k1, gob k2; the resumed one has the smallest id of the three.
      const t = fight({ aria: 12, bram: 20, gob: 12 }, genericPlugin, ["k3", "k1", "k2"]);
      t.next();
      t.run({ type: "delayTurn" });
      assert.deepEqual(t.turn(), { round: 1, who: "gob" });
      t.run({ type: "resumeTurn", combatantId: t.id("bram") });
      assert.deepEqual(t.order(), ["gob", "bram", "aria"]);
      assert.deepEqual(t.turn(), { round: 1, who: "bram" });
      t.next();
      assert.deepEqual(t.turn(), { round: 1, who: "aria" });
    });

    it("resumes above the next lower tiebreak of the same initiative", () => {
      const t = fight({ aria: 20, gob: 12, orc: 12 });
      t.doc = applyOperations(t.doc, [{ op: "set", path: `encounter.combatants.${t.id("gob")}.tiebreak`, value: 2 }], t.plugin);
      t.doc = applyOperations(t.doc, [{ op: "set", path: `encounter.combatants.${t.id("orc")}.tiebreak`, value: 1 }], t.plugin);
      t.next();
      t.run({ type: "delayTurn" });
      t.run({ type: "resumeTurn", combatantId: t.id("aria") });
      assert.equal(t.combatant("aria").tiebreak, 1.5);
      assert.deepEqual(t.order(), ["gob", "aria", "orc"]);
    });
  });

  describe("plugin hooks", () => {
    it("gives the end hook the document before the turn moves and the start hook the one after", () => {
      const t = fight({ aria: 20, gob: 15 }, hookedPlugin);
      const first = t.next();
      assert.deepEqual(t.doc.plugin, { startSaw: t.id("aria") });
      assert.deepEqual(
        first.notes.map((n) => n.text),
        ["Round 1: Aria's turn", `start ${t.id("aria")}`],
      );
      const second = t.next();
      assert.deepEqual(t.doc.plugin, { endSaw: t.id("aria"), startSaw: t.id("gob") });
      assert.deepEqual(
        second.notes.map((n) => n.text),
        [`end ${t.id("aria")}`, "Round 1: Goblin's turn", `start ${t.id("gob")}`],
      );
      const back = t.run({ type: "previousTurn" });
      assert.equal(back.ops.length, 1, "previousTurn runs no hooks");
    });

    it("runs the dnd5e-lite turn start: the incoming combatant's reaction comes back", () => {
      const t = fight({ aria: 20, gob: 15 }, dnd5eLitePlugin);
      t.doc = applyOperations(t.doc, [{ op: "set", path: "characters.aria.plugin.reactionUsed", value: true }], t.plugin);
      t.next();
      assert.equal(t.doc.characters["aria"]!.plugin["reactionUsed"], false);
    });
  });

  describe("hidden combatants", () => {
    it("hides the actor of a hidden combatant, and reveals both together", () => {
      const t = fight({ aria: 20 });
      const added = t.run({ type: "addCombatant", source: { kind: "actor", id: "gob" }, hidden: true });
      assert.equal(t.doc.actors["gob"]!.hidden, true);
      assert.equal(t.combatant("gob").hidden, true);
      assert.deepEqual(added.notes, [{ text: "Goblin joins the encounter", gmOnly: true }]);

      const revealed = t.run({ type: "reveal", combatantId: t.id("gob") });
      assert.equal(t.doc.actors["gob"]!.hidden, false);
      assert.equal(t.combatant("gob").hidden, false);
      assert.equal(revealed.notes[0]?.gmOnly, true, "players could not see it before the command");

      const hidden = t.run({ type: "hide", combatantId: t.id("gob") });
      assert.equal(t.combatant("gob").hidden, true);
      assert.equal(hidden.notes[0]?.gmOnly, true);
    });

    it("keeps notes about combatants players cannot see for the GM, hook notes included", () => {
      const t = fight({ aria: 20, orc: 15 }, hookedPlugin);
      t.run({ type: "addCombatant", source: { kind: "actor", id: "gob" }, hidden: true });
      const roll = t.run({ type: "setInitiative", combatantId: t.id("gob"), initiative: 10 });
      assert.deepEqual(roll.notes, [{ text: "Goblin's initiative is set to 10", gmOnly: true }]);
      t.next();
      t.next();
      const toGoblin = t.next();
      assert.deepEqual(
        toGoblin.notes.map((n) => [n.text, n.gmOnly]),
        [
          [`end ${t.id("orc")}`, false],
          ["Round 1: Goblin's turn", true],
          [`start ${t.id("gob")}`, true],
        ],
      );
      const toAria = t.next();
      assert.deepEqual(
        toAria.notes.map((n) => n.gmOnly),
        [true, false, false],
      );
    });

    it("treats a combatant whose actor is hidden as unseen", () => {
      const t = new Table();
      t.doc = applyOperations(t.doc, [{ op: "set", path: "actors.orc.hidden", value: true }], t.plugin);
      const effect = t.run({ type: "start", combatants: [{ kind: "actor", id: "orc" }] });
      assert.deepEqual(effect.notes, [
        { text: "The encounter begins", gmOnly: false },
        { text: "Orc joins the encounter", gmOnly: true },
      ]);
      t.run({ type: "reveal", combatantId: t.id("orc") });
      assert.equal(t.doc.actors["orc"]!.hidden, false);
    });
  });

  describe("determinism", () => {
    it("replays the same ops from the same document to the same document, without the RNG", () => {
      const t = new Table(hookedPlugin, { rolls: [7, 19, 7] });
      t.run({
        type: "start",
        combatants: [
          { kind: "character", id: "aria" },
          { kind: "character", id: "bram" },
          { kind: "actor", id: "gob" },
        ],
      });
      const origin = t.doc;
      const snapshot = structuredClone(origin);
      const records = [
        t.run({ type: "rollInitiative" }),
        t.next(),
        t.run({ type: "delayTurn" }),
        t.next(),
        t.run({ type: "resumeTurn", combatantId: t.id("bram") }),
        t.next(),
      ].map((e) => e.ops);
      const replay = () => records.reduce((doc, ops) => applyOperations(doc, ops, hookedPlugin), origin);
      const once = replay();
      const twice = replay();
      assert.deepEqual(once, t.doc);
      assert.deepEqual(twice, once);
      assert.equal(hashTable(twice), hashTable(t.doc));
      assert.deepEqual(origin, snapshot, "commands and replays never change the document they read");
    });
  });

  describe("refusals", () => {
    it("answers each refused command with its code", () => {
      const none = new Table();
      none.refuses({ type: "end" }, "INVALID_PHASE");
      none.refuses({ type: "nextTurn" }, "INVALID_PHASE");
      none.refuses({ type: "addCombatant", source: { kind: "actor", id: "gob" } }, "INVALID_PHASE");
      none.refuses({ type: "start", combatants: [{ kind: "actor", id: "ghost" }] }, "NOT_FOUND");
      none.refuses({ type: "start", combatants: [{ kind: "actor", id: "constructor" }] }, "NOT_FOUND");
      const twice = { kind: "actor", id: "gob" } as const;
      none.refuses({ type: "start", combatants: [twice, twice] }, "VALIDATION_ERROR", "already in the encounter");

      const t = fight({ aria: 20, gob: 15 });
      t.refuses({ type: "start" }, "INVALID_PHASE");
      t.refuses({ type: "addCombatant", source: { kind: "character", id: "aria" } }, "VALIDATION_ERROR");
      t.refuses({ type: "addCombatant", source: { kind: "character", id: "nobody" } }, "NOT_FOUND");
      for (const type of ["removeCombatant", "setInitiative", "resumeTurn", "reveal", "hide"] as const) {
        const command = type === "setInitiative" ? { type, combatantId: "ghost", initiative: 1 } : { type, combatantId: "ghost" };
        t.refuses(command, "NOT_FOUND");
      }
      t.refuses({ type: "rollInitiative", combatantIds: ["ghost"] }, "NOT_FOUND");
      t.refuses({ type: "rollInitiative" }, "VALIDATION_ERROR", "Every combatant");
      t.refuses({ type: "delayTurn" }, "INVALID_PHASE", "No turn is running");
      t.refuses({ type: "resumeTurn", combatantId: t.id("aria") }, "VALIDATION_ERROR", "not delaying");
      t.refuses({ type: "reveal", combatantId: t.id("aria") }, "VALIDATION_ERROR", "already visible");
      t.run({ type: "hide", combatantId: t.id("aria") });
      t.refuses({ type: "hide", combatantId: t.id("aria") }, "VALIDATION_ERROR", "already hidden");

      const everyoneDown = fight({ aria: 20 });
      everyoneDown.doc = applyOperations(
        everyoneDown.doc,
        [{ op: "set", path: `encounter.combatants.${everyoneDown.id("aria")}.defeated`, value: true }],
        genericPlugin,
      );
      everyoneDown.refuses({ type: "nextTurn" }, "INVALID_PHASE", "No combatant can act");
    });

    it("refuses a resume that finds no room at the bottom of the tiebreak range", () => {
      // The resumed aria (k1) would need a tiebreak below -1000 to sort after goblin (k2).
      const t = fight({ aria: 20, gob: 15 }, genericPlugin, ["k1", "k2"]);
      t.doc = applyOperations(t.doc, [{ op: "set", path: `encounter.combatants.${t.id("gob")}.tiebreak`, value: -1000 }], t.plugin);
      t.next();
      t.run({ type: "delayTurn" });
      t.refuses({ type: "resumeTurn", combatantId: t.id("aria") }, "VALIDATION_ERROR", "no room");
    });

    it("validates commands at the schema", () => {
      const ok = (value: unknown) => encounterCommandSchema.safeParse(value).success;
      assert.equal(ok({ type: "setInitiative", combatantId: "k1", initiative: 12.5 }), true);
      assert.equal(ok({ type: "setInitiative", combatantId: "k1", initiative: 1001 }), false);
      assert.equal(ok({ type: "setInitiative", combatantId: "k1", initiative: Number.POSITIVE_INFINITY }), false);
      assert.equal(ok({ type: "start", combatants: [{ kind: "item", id: "i1" }] }), false);
      assert.equal(ok({ type: "nextTurn", extra: true }), false);
      assert.equal(ok({ type: "fleeCombat" }), false);
      assert.equal(ok({ type: "rollInitiative", combatantIds: [] }), false);
    });
  });
});
