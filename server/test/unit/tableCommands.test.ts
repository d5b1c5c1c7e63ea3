import assert from "node:assert/strict";
import { TavernError, type ErrorCode } from "@tavern/shared/errors";
import { emptyTable, newActor, newCharacter, type TableDoc } from "@tavern/shared/table/document";
import {
  planTableCommand,
  runTableCommand,
  type Actor,
  type CommandContext,
  type TableCommand,
  type TableCommandName,
} from "../../src/domain/table/commands";
import { applyOperations } from "../../src/domain/table/engine";
import { dnd5eLitePlugin } from "../../src/domain/table/plugins/dnd5e-lite";
import { genericPlugin } from "../../src/domain/table/plugins/generic";
import type { Rng, RulesPlugin } from "../../src/domain/table/plugins/RulesPlugin";

const gm: Actor = { playerId: "gm", name: "Grace", role: "host", isGm: true };
const player: Actor = { playerId: "p1", name: "Pip", role: "player", isGm: false };
const spectator: Actor = { playerId: "s1", name: "Sam", role: "spectator", isGm: false };

/** Plays back `values`; fails the test if the command rolls more dice than scripted. */
function scripted(values: number[]): Rng {
  let next = 0;
  return () => {
    const value = values[next++];
    if (value === undefined) throw new Error(`scripted rng ran out after ${values.length} rolls`);
    return value;
  };
}

function context(overrides: Partial<CommandContext> = {}): CommandContext {
  let ids = 0;
  return {
    plugin: genericPlugin,
    rng: scripted([]),
    newId: (collection) => `${collection.slice(0, 1)}${++ids}`,
    now: () => 1_000,
    ...overrides,
  };
}

function tableDoc(plugin: RulesPlugin = genericPlugin): TableDoc {
  const d = plugin.defaults;
  return {
    ...emptyTable("Test", plugin.id, d.session()),
    characters: {
      aria: newCharacter({ name: "Aria", ownerId: "p1", x: 1, y: 1, plugin: d.character() }),
      bram: newCharacter({ name: "Bram", ownerId: "p2", plugin: d.character() }),
    },
    actors: {
      gob: newActor({ name: "Goblin", hp: 7, plugin: d.actor() }),
      lurker: newActor({ name: "Lurker", hp: 9, hidden: true, plugin: d.actor() }),
    },
  };
}

function run<K extends TableCommandName>(actor: Actor, command: TableCommand<K>, ctx = context(), doc = tableDoc()) {
  return runTableCommand(doc, actor, command, ctx);
}

function refused(code: ErrorCode, pattern?: RegExp): (err: unknown) => boolean {
  return (err) => {
    assert.ok(err instanceof TavernError, `expected a TavernError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    if (pattern) assert.match(err.message, pattern);
    return true;
  };
}

describe("table commands", () => {
  describe("update", () => {
    it("answers the GM's ops as they are, recorded as an update on the GM's base version", () => {
      const ops = [{ op: "set" as const, path: "title", value: "Renamed" }];
      const plan = planTableCommand(gm, { name: "update", payload: { baseVersion: 4, ops } }, context());
      assert.deepEqual([plan.kind, plan.baseVersion, plan.gmOnly, plan.changesDocument], ["update", 4, true, true]);
      assert.deepEqual(plan.build(tableDoc()), { ops, notes: [], reply: {} });
    });

    it("is the GM's alone, refused before the document is read", () => {
      const command: TableCommand<"update"> = { name: "update", payload: { baseVersion: 0, ops: [] } };
      assert.throws(() => planTableCommand(player, command, context()), refused("PERMISSION_DENIED", /Only the GM can change/));
    });
  });

  describe("create", () => {
    it("sets a new entity under a fresh id, with the plugin's defaults under the GM's fields, and answers the id", () => {
      const ctx = context({ plugin: dnd5eLitePlugin, newId: (collection) => `${collection}-new` });
      const out = run(gm, { name: "create", payload: { collection: "actors", fields: { name: "Ogre", hp: 30 } } }, ctx);
      assert.deepEqual(out.reply, { id: "actors-new" });
      assert.equal(out.ops.length, 1);
      const op = out.ops[0]!;
      assert.equal(op.op, "set");
      assert.equal(op.path, "actors.actors-new");
      const value = (op as { value: Record<string, unknown> }).value;
      assert.equal(value["name"], "Ogre");
      assert.equal(value["hp"], 30);
      assert.equal(value["hidden"], false);
      assert.deepEqual(value["plugin"], dnd5eLitePlugin.defaults.actor());
      // The result is an entity the engine accepts.
      const after = applyOperations(tableDoc(dnd5eLitePlugin), out.ops, dnd5eLitePlugin);
      assert.equal(after.actors["actors-new"]?.name, "Ogre");
    });

    it("names an entity created without a name 'Unnamed', and records the kind by collection", () => {
      const plan = planTableCommand(gm, { name: "create", payload: { collection: "items" } }, context());
      assert.equal(plan.kind, "create.items");
      const op = plan.build(tableDoc()).ops[0] as { value: Record<string, unknown> };
      assert.equal(op.value["name"], "Unnamed");
      assert.equal(op.value["quantity"], 1);
    });

    it("is the GM's alone", () => {
      assert.throws(() => run(player, { name: "create", payload: { collection: "characters" } }), refused("PERMISSION_DENIED"));
    });
  });

  describe("moveToken", () => {
    it("lets a player move their own character's token within the map, answered as a public change", () => {
      const plan = planTableCommand(
        player,
        { name: "moveToken", payload: { kind: "character", id: "aria", x: 5, y: 6, baseVersion: 2 } },
        context(),
      );
      assert.equal(plan.gmOnly, false);
      assert.equal(plan.baseVersion, 2);
      assert.deepEqual(plan.build(tableDoc()).ops, [
        { op: "set", path: "characters.aria.x", value: 5 },
        { op: "set", path: "characters.aria.y", value: 6 },
      ]);
    });

    it("refuses another player's character, and any actor to a player, before looking it up", () => {
      assert.throws(
        () => run(player, { name: "moveToken", payload: { kind: "character", id: "bram", x: 2, y: 2 } }),
        refused("PERMISSION_DENIED", /your own character/),
      );
      // An actor that does not exist is refused like one that does: players learn nothing about actors.
      assert.throws(
        () => planTableCommand(player, { name: "moveToken", payload: { kind: "actor", id: "nobody", x: 2, y: 2 } }, context()),
        refused("PERMISSION_DENIED", /Only the GM moves actors/),
      );
    });

    it("refuses spectators, a missing token and cells off the map", () => {
      assert.throws(
        () => planTableCommand(spectator, { name: "moveToken", payload: { kind: "character", id: "aria", x: 1, y: 1 } }, context()),
        refused("PERMISSION_DENIED", /Spectators/),
      );
      assert.throws(() => run(gm, { name: "moveToken", payload: { kind: "actor", id: "ghost", x: 1, y: 1 } }), refused("NOT_FOUND"));
      const doc = tableDoc();
      for (const [x, y] of [
        [-1, 0],
        [0, -1],
        [doc.mapWidth, 0],
        [0, doc.mapHeight],
      ] as const) {
        assert.throws(
          () => run(gm, { name: "moveToken", payload: { kind: "actor", id: "gob", x, y } }),
          refused("VALIDATION_ERROR", /off the 24x16 map/),
        );
      }
      const corner = run(gm, { name: "moveToken", payload: { kind: "actor", id: "gob", x: doc.mapWidth - 1, y: doc.mapHeight - 1 } });
      assert.equal(corner.ops.length, 2);
    });
  });

  describe("action", () => {
    it("runs the plugin's action on its target; notes about a hidden actor go to the GM alone", () => {
      const seen = run(gm, { name: "action", payload: { name: "damage", target: { kind: "actor", id: "gob" }, args: { amount: 3 } } });
      assert.deepEqual(seen.ops, [{ op: "set", path: "actors.gob.hp", value: 4 }]);
      assert.ok(seen.notes.length > 0);
      assert.ok(seen.notes.every((note) => !note.gmOnly));

      const hidden = run(gm, { name: "action", payload: { name: "damage", target: { kind: "actor", id: "lurker" }, args: { amount: 3 } } });
      assert.ok(hidden.notes.length > 0);
      assert.ok(hidden.notes.every((note) => note.gmOnly));
    });

    it("looks an action up as the plugin's own property only, and names the known ones", () => {
      for (const name of ["constructor", "toString", "__proto__", "hasOwnProperty", "fireball"]) {
        assert.throws(
          () => planTableCommand(gm, { name: "action", payload: { name, target: { kind: "actor", id: "gob" } } }, context()),
          refused("VALIDATION_ERROR", /known: damage, heal/),
          name,
        );
      }
    });

    it("validates the action's arguments before the document, and its target against it", () => {
      assert.throws(
        () =>
          planTableCommand(
            gm,
            { name: "action", payload: { name: "heal", target: { kind: "actor", id: "gob" }, args: { amount: -1 } } },
            context(),
          ),
        refused("VALIDATION_ERROR", /Invalid heal arguments: amount/),
      );
      assert.throws(
        () => run(gm, { name: "action", payload: { name: "heal", target: { kind: "character", id: "zed" }, args: { amount: 1 } } }),
        refused("NOT_FOUND"),
      );
      assert.throws(
        () => run(player, { name: "action", payload: { name: "heal", target: { kind: "character", id: "aria" } } }),
        refused("PERMISSION_DENIED"),
      );
    });
  });

  describe("roll", () => {
    it("rolls with the injected RNG, shows the roll in the log with the actor's name and the clock's time", () => {
      const plan = planTableCommand(
        player,
        { name: "roll", payload: { expression: "2d6+1", label: "Attack" } },
        context({ rng: scripted([4, 5]) }),
      );
      assert.equal(plan.changesDocument, false);
      const out = plan.build(tableDoc());
      assert.deepEqual(out.reply, { expression: "2d6+1", total: 10, detail: "2d6+1: [4, 5] + 1 = 10", label: "Attack" });
      assert.deepEqual(out.roll, {
        playerId: "p1",
        name: "Pip",
        label: "Attack",
        expression: "2d6+1",
        total: 10,
        detail: "2d6+1: [4, 5] + 1 = 10",
        at: 1_000,
      });
      assert.deepEqual(out.ops, []);
      assert.deepEqual(out.notes, []);
    });

    it("marks a secret roll for the GM's own dice log, with its whole result", () => {
      const out = run(
        gm,
        { name: "roll", payload: { expression: "d20", label: "Perception", secret: true } },
        context({ rng: scripted([17]) }),
      );
      assert.equal(out.secret, true);
      assert.equal(out.roll?.label, "Perception");
      assert.equal(out.roll?.detail, "1d20: [17] = 17");
      assert.equal(out.roll?.total, 17);
      assert.deepEqual(out.notes, []);
      assert.equal(out.reply.total, 17);
    });

    it("refuses secret rolls to players, any roll to spectators, and a bad expression", () => {
      assert.throws(
        () => run(player, { name: "roll", payload: { expression: "d20", secret: true } }),
        refused("PERMISSION_DENIED", /roll in secret/),
      );
      assert.throws(() => run(spectator, { name: "roll", payload: { expression: "d20" } }), refused("PERMISSION_DENIED", /do not roll/));
      assert.throws(() => run(gm, { name: "roll", payload: { expression: "2d" } }), refused("VALIDATION_ERROR"));
    });
  });

  describe("encounter", () => {
    it("runs the encounter rules with the context's RNG and combatant ids, recorded by command type", () => {
      const ctx = context({ rng: scripted([12]), newId: (collection) => `${collection}-1` });
      const plan = planTableCommand(gm, { name: "encounter", payload: { type: "start" } }, ctx);
      assert.equal(plan.kind, "encounter.start");
      assert.equal(plan.baseVersion, undefined);
      const started = applyOperations(tableDoc(), plan.build(tableDoc()).ops, genericPlugin);
      assert.ok(started.encounter);
      const added = run(gm, { name: "encounter", payload: { type: "addCombatant", source: { kind: "actor", id: "gob" } } }, ctx, started);
      const doc = applyOperations(started, added.ops, genericPlugin);
      assert.ok(doc.encounter?.combatants["combatants-1"], "the combatant takes the id the context made");
    });

    it("is the GM's alone", () => {
      assert.throws(
        () => planTableCommand(player, { name: "encounter", payload: { type: "start" } }, context()),
        refused("PERMISSION_DENIED"),
      );
    });
  });
});
