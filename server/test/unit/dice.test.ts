import assert from "node:assert/strict";
import { TavernError } from "@tavern/shared/errors";
import { DICE_LIMITS, formatDice, parseDice, roll, rollDice } from "../../src/domain/table/dice";
import { cryptoRng } from "../../src/rooms/table/random";
import type { Rng } from "../../src/domain/table/plugins/RulesPlugin";

/** An RNG that plays back `values` and records the sides it was asked for; fails if over-used. */
function scripted(values: number[]): Rng & { asked: number[] } {
  const asked: number[] = [];
  const rng = (sides: number) => {
    asked.push(sides);
    const value = values[asked.length - 1];
    if (value === undefined) throw new Error(`scripted rng ran out after ${values.length} rolls`);
    return value;
  };
  return Object.assign(rng, { asked });
}

function refuses(expression: string, ...fragments: string[]): void {
  assert.throws(
    () => parseDice(expression),
    (err: unknown) => {
      assert.ok(err instanceof TavernError, `expected a TavernError for ${JSON.stringify(expression)}`);
      assert.equal(err.code, "VALIDATION_ERROR");
      for (const fragment of fragments) assert.ok(err.message.includes(fragment), `"${err.message}" lacks "${fragment}"`);
      return true;
    },
  );
}

describe("dice", () => {
  describe("parseDice", () => {
    it("parses a bare die, a count, a constant and d%", () => {
      assert.deepEqual(parseDice("d20").terms, [{ kind: "dice", sign: 1, count: 1, sides: 20 }]);
      assert.deepEqual(parseDice("3d8").terms, [{ kind: "dice", sign: 1, count: 3, sides: 8 }]);
      assert.deepEqual(parseDice("5").terms, [{ kind: "constant", sign: 1, value: 5 }]);
      assert.deepEqual(parseDice("d%").terms, [{ kind: "dice", sign: 1, count: 1, sides: 100 }]);
    });
    it("parses keep highest and keep lowest", () => {
      assert.deepEqual(parseDice("4d6kh3").terms, [{ kind: "dice", sign: 1, count: 4, sides: 6, keep: { which: "highest", n: 3 } }]);
      assert.deepEqual(parseDice("2d20kl1").terms, [{ kind: "dice", sign: 1, count: 2, sides: 20, keep: { which: "lowest", n: 1 } }]);
    });
    it("parses several signed terms with whitespace and any case", () => {
      assert.deepEqual(parseDice("  1D8 + 2d4 -\t1 ").terms, [
        { kind: "dice", sign: 1, count: 1, sides: 8 },
        { kind: "dice", sign: 1, count: 2, sides: 4 },
        { kind: "constant", sign: -1, value: 1 },
      ]);
      assert.deepEqual(parseDice("-d4").terms, [{ kind: "dice", sign: -1, count: 1, sides: 4 }]);
      assert.deepEqual(parseDice("4D6KH3").terms, parseDice("4d6kh3").terms);
    });
    it("normalizes the spelling", () => {
      const cases: Array<[string, string]> = [
        ["d20", "1d20"],
        ["2d6 + 3", "2d6+3"],
        ["1d8 + 2d4 - 1", "1d8+2d4-1"],
        ["d%", "1d100"],
        ["+5", "5"],
        ["- 1D4 + 2", "-1d4+2"],
        ["4D6KH3", "4d6kh3"],
        ["2d20kl1-007", "2d20kl1-7"],
      ];
      for (const [input, normalized] of cases) assert.equal(formatDice(parseDice(input)), normalized, input);
    });
  });

  describe("refusals", () => {
    it("names dice without enough sides, including d1", () => {
      refuses("2d0", '"2d0"', "at least 2 sides");
      refuses("d1", '"d1"', "at least 2 sides");
    });
    it("refuses rolling no dice", () => {
      refuses("0d6", '"0d6"', "at least 1 die");
    });
    it("points at an unexpected character by its 1-based position", () => {
      refuses("2dx", 'unexpected "x" at position 3');
      refuses("2d6 x", 'unexpected "x" at position 5, expected "+" or "-"');
      refuses("2d6 3", 'unexpected "3" at position 5');
      refuses("1 ++ 2", 'unexpected "+" at position 4');
      refuses("4d6kx3", 'unexpected "x" at position 5', "kh", "kl");
      refuses("2 d6", 'unexpected "d" at position 3');
    });
    it("says what is missing at the end", () => {
      refuses("2d", "number of sides", '"2d"');
      refuses("2d6+", "a number or a die");
      refuses("4d6kh", "how many dice to keep");
      refuses("4d6k", "kh", "kl");
    });
    it("refuses empty expressions", () => {
      refuses("", "empty");
      refuses("   ", "empty");
    });
    it("keeps between 1 and the number of dice", () => {
      refuses("4d6kh5", '"4d6kh5"', "1 to 4");
      refuses("2d20kl0", '"2d20kl0"', "1 to 2");
      assert.doesNotThrow(() => parseDice("4d6kh4"));
    });
    it("refuses a number of bad-input forms as validation errors", () => {
      for (const input of ["d", "k", "x", "2d6 kh3", "d20.5", "d-4", "(d6)", "2*d6"]) refuses(input);
    });
  });

  describe("limits", () => {
    it("allows exactly the limits and refuses one past each", () => {
      const { maxDicePerTerm, maxSides, maxTerms, maxLength, maxConstant } = DICE_LIMITS;
      assert.doesNotThrow(() => parseDice(`${maxDicePerTerm}d6`));
      refuses(`${maxDicePerTerm + 1}d6`, "too many dice", `at most ${maxDicePerTerm}`);
      assert.doesNotThrow(() => parseDice(`d${maxSides}`));
      refuses(`d${maxSides + 1}`, "too many sides", `at most ${maxSides}`);
      assert.doesNotThrow(() => parseDice(`${maxConstant}`));
      refuses(`d4+${maxConstant + 1}`, `"${maxConstant + 1}"`, "too large", `at most ${maxConstant}`);
      assert.doesNotThrow(() => parseDice(Array(maxTerms).fill("1").join("+")));
      refuses(
        Array(maxTerms + 1)
          .fill("1")
          .join("+"),
        "too many terms",
        `at most ${maxTerms}`,
      );
      const atLength = `1${" ".repeat(maxLength - 1)}`;
      assert.doesNotThrow(() => parseDice(atLength));
      refuses(`${atLength} `, "too long", `at most ${maxLength} characters`);
    });
    it("refuses huge numbers that would lose precision", () => {
      refuses("99999999999999999999d6", "too many dice");
      refuses("d99999999999999999999", "too many sides");
    });
  });

  describe("rollDice", () => {
    it("totals dice and constants with a scripted rng, one call per die in order", () => {
      const rng = scripted([4, 2, 7, 3, 1]);
      const result = roll("2d6 + 3 + 1d8 - 2d4", rng);
      assert.deepEqual(rng.asked, [6, 6, 8, 4, 4]);
      assert.equal(result.total, 4 + 2 + 3 + 7 - (3 + 1));
      assert.equal(result.expression, "2d6+3+1d8-2d4");
      assert.equal(result.detail, "2d6+3+1d8-2d4: [4, 2] + 3 + [7] - [3, 1] = 12");
      assert.deepEqual(result.terms, [
        { kind: "dice", count: 2, sides: 6, rolls: [4, 2], kept: [4, 2], sign: 1, subtotal: 6 },
        { kind: "constant", value: 3, sign: 1 },
        { kind: "dice", count: 1, sides: 8, rolls: [7], kept: [7], sign: 1, subtotal: 7 },
        { kind: "dice", count: 2, sides: 4, rolls: [3, 1], kept: [3, 1], sign: -1, subtotal: 4 },
      ]);
    });
    it("matches the documented detail line", () => {
      assert.equal(roll("2d6+3", scripted([4, 2])).detail, "2d6+3: [4, 2] + 3 = 9");
    });
    it("keeps the highest dice and shows dropped ones in parentheses", () => {
      const result = roll("4d6kh3", scripted([6, 5, 1, 3]));
      assert.equal(result.total, 14);
      assert.equal(result.detail, "4d6kh3: [6, 5, (1), 3] = 14");
      assert.deepEqual(result.terms[0], {
        kind: "dice",
        count: 4,
        sides: 6,
        keep: { which: "highest", n: 3 },
        rolls: [6, 5, 1, 3],
        kept: [6, 5, 3],
        sign: 1,
        subtotal: 14,
      });
    });
    it("keeps the lowest for disadvantage", () => {
      const result = roll("2d20kl1 + 2", scripted([17, 4]));
      assert.equal(result.total, 6);
      assert.equal(result.detail, "2d20kl1+2: [(17), 4] + 2 = 6");
    });
    it("drops the later of equal dice", () => {
      assert.equal(roll("4d6kh2", scripted([3, 5, 3, 5])).detail, "4d6kh2: [(3), 5, (3), 5] = 10");
      assert.equal(roll("3d6kl2", scripted([2, 2, 2])).detail, "3d6kl2: [2, 2, (2)] = 4");
    });
    it("handles a negative first term and a total below zero", () => {
      const result = roll("-1d4 + 2", scripted([4]));
      assert.equal(result.total, -2);
      assert.equal(result.detail, "-1d4+2: -[4] + 2 = -2");
    });
    it("rolls d% as a d100 and constants without touching the rng", () => {
      const rng = scripted([100]);
      assert.equal(roll("d%", rng).total, 100);
      assert.deepEqual(rng.asked, [100]);
      const none = scripted([]);
      assert.equal(roll("5 - 7", none).total, -2);
      assert.deepEqual(none.asked, []);
    });
    it("rolls a parsed expression again with fresh dice", () => {
      const parsed = parseDice("d6");
      const rng = scripted([2, 5]);
      assert.equal(rollDice(parsed, rng).total, 2);
      assert.equal(rollDice(parsed, rng).total, 5);
    });
  });

  describe("cryptoRng", () => {
    it("stays within 1..sides and hits both ends of a d4", () => {
      const seen = new Set<number>();
      for (let k = 0; k < 2000; k++) {
        const value = cryptoRng(4);
        assert.ok(Number.isInteger(value) && value >= 1 && value <= 4, `rolled ${value} on a d4`);
        seen.add(value);
      }
      assert.ok(seen.has(1) && seen.has(4), `never rolled 1 or 4 in 2000 d4 rolls: ${[...seen].join(",")}`);
    });
    it("stays within range for a d2 and a d1000", () => {
      for (let k = 0; k < 500; k++) {
        const coin = cryptoRng(2);
        assert.ok(coin === 1 || coin === 2, `rolled ${coin} on a d2`);
        const big = cryptoRng(1000);
        assert.ok(Number.isInteger(big) && big >= 1 && big <= 1000, `rolled ${big} on a d1000`);
      }
    });
  });
});
