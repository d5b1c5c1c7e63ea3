/**
 * Dice expressions for the tabletop: "d20", "2d6+3", "1d8 + 2d4 - 1", "4d6kh3", "2d20kl1", "d%".
 * Parsing and rolling are apart so a room can validate a player's expression before it rolls, and
 * so tests can roll a parsed expression with a scripted RNG. The RNG is always passed in: the
 * server's cryptographic one lives with the adapters (rooms/table/random.ts).
 */
import { TavernError } from "@tavern/shared/errors";
import type { Rng } from "./plugins/RulesPlugin";

/** Bounds that keep one roll cheap to compute and its log line short enough to read. */
export const DICE_LIMITS = {
  maxDicePerTerm: 100,
  maxSides: 1000,
  maxTerms: 20,
  maxLength: 100,
  maxConstant: 10000,
} as const;

export type Sign = 1 | -1;
export interface Keep {
  which: "highest" | "lowest";
  n: number;
}

export type DiceTerm =
  { kind: "dice"; sign: Sign; count: number; sides: number; keep?: Keep } | { kind: "constant"; sign: Sign; value: number };

export interface DiceExpression {
  terms: DiceTerm[];
}

/** `subtotal` and `value` are unsigned; `sign` says whether the term adds or subtracts. */
export type RolledTerm =
  | {
      kind: "dice";
      count: number;
      sides: number;
      keep?: Keep;
      rolls: number[];
      kept: number[];
      sign: Sign;
      subtotal: number;
    }
  | { kind: "constant"; value: number; sign: Sign };

export interface DiceRoll {
  /** The normalized expression, e.g. "1d20+3". */
  expression: string;
  total: number;
  terms: RolledTerm[];
  /** For the roll log: "4d6kh3+1: [6, 5, (1), 3] + 1 = 15", dropped dice in parentheses. */
  detail: string;
}

function invalid(message: string): TavernError {
  return new TavernError("VALIDATION_ERROR", message);
}

export function parseDice(expression: string): DiceExpression {
  if (expression.length > DICE_LIMITS.maxLength) {
    throw invalid(`dice expression is too long (at most ${DICE_LIMITS.maxLength} characters)`);
  }
  const src = expression.toLowerCase();
  let i = 0;
  const skipSpaces = () => {
    while (i < src.length && /\s/.test(src[i]!)) i++;
  };
  const readInt = (): number | undefined => {
    const start = i;
    while (i < src.length && src[i]! >= "0" && src[i]! <= "9") i++;
    return i > start ? Number(src.slice(start, i)) : undefined;
  };
  // Positions are 1-based: they are shown to players, not programmers.
  const unexpected = (what: string): TavernError =>
    i < src.length
      ? invalid(`unexpected "${expression[i]}" at position ${i + 1}, expected ${what}`)
      : invalid(`expected ${what} at the end of "${expression.trim()}"`);

  const terms: DiceTerm[] = [];
  skipSpaces();
  if (i === src.length) throw invalid("dice expression is empty");
  while (i < src.length) {
    let sign: Sign = 1;
    if (src[i] === "+" || src[i] === "-") {
      sign = src[i] === "-" ? -1 : 1;
      i++;
      skipSpaces();
    } else if (terms.length > 0) {
      throw unexpected('"+" or "-"');
    }
    if (terms.length === DICE_LIMITS.maxTerms) {
      throw invalid(`too many terms (at most ${DICE_LIMITS.maxTerms})`);
    }
    terms.push(parseTerm(sign));
    skipSpaces();
  }
  return { terms };

  function parseTerm(sign: Sign): DiceTerm {
    const start = i;
    const number = readInt();
    if (src[i] !== "d") {
      if (number === undefined) throw unexpected("a number or a die");
      if (number > DICE_LIMITS.maxConstant) {
        throw invalid(`"${text()}": number too large (at most ${DICE_LIMITS.maxConstant})`);
      }
      return { kind: "constant", sign, value: number };
    }
    i++;
    let sides: number | undefined;
    if (src[i] === "%") {
      i++;
      sides = 100;
    } else {
      sides = readInt();
      if (sides === undefined) throw unexpected("the number of sides");
    }
    let keep: Keep | undefined;
    if (src[i] === "k") {
      i++;
      const which = src[i] === "h" ? "highest" : src[i] === "l" ? "lowest" : undefined;
      if (which === undefined) throw unexpected('"kh" (keep highest) or "kl" (keep lowest)');
      i++;
      const n = readInt();
      if (n === undefined) throw unexpected("how many dice to keep");
      keep = { which, n };
    }
    const count = number ?? 1;
    if (count < 1) throw invalid(`"${text()}": roll at least 1 die`);
    if (count > DICE_LIMITS.maxDicePerTerm) {
      throw invalid(`"${text()}": too many dice (at most ${DICE_LIMITS.maxDicePerTerm} per term)`);
    }
    if (sides < 2) throw invalid(`"${text()}": a die needs at least 2 sides`);
    if (sides > DICE_LIMITS.maxSides) {
      throw invalid(`"${text()}": too many sides (at most ${DICE_LIMITS.maxSides})`);
    }
    if (keep && (keep.n < 1 || keep.n > count)) {
      throw invalid(`"${text()}": can keep 1 to ${count} of ${count} dice`);
    }
    return keep ? { kind: "dice", sign, count, sides, keep } : { kind: "dice", sign, count, sides };

    function text(): string {
      return expression.slice(start, i);
    }
  }
}

/** The canonical spelling of an expression: "d20 + 3" and "1D20+3" both become "1d20+3". */
export function formatDice(expr: DiceExpression): string {
  return expr.terms
    .map((term, index) => {
      const op = term.sign === -1 ? "-" : index === 0 ? "" : "+";
      if (term.kind === "constant") return `${op}${term.value}`;
      const keep = term.keep ? `k${term.keep.which === "highest" ? "h" : "l"}${term.keep.n}` : "";
      return `${op}${term.count}d${term.sides}${keep}`;
    })
    .join("");
}

/** Calls `rng` exactly once per die, term by term, left to right. */
export function rollDice(expr: DiceExpression, rng: Rng): DiceRoll {
  const expression = formatDice(expr);
  let total = 0;
  const parts: string[] = [];
  const terms = expr.terms.map((term, index): RolledTerm => {
    const op = term.sign === -1 ? (index === 0 ? "-" : " - ") : index === 0 ? "" : " + ";
    if (term.kind === "constant") {
      total += term.sign * term.value;
      parts.push(`${op}${term.value}`);
      return { kind: "constant", value: term.value, sign: term.sign };
    }
    const rolls = Array.from({ length: term.count }, () => rng(term.sides));
    const keptIndexes = keptIndexesOf(rolls, term.keep);
    const kept = rolls.filter((_, k) => keptIndexes.has(k));
    const subtotal = kept.reduce((sum, value) => sum + value, 0);
    total += term.sign * subtotal;
    parts.push(`${op}[${rolls.map((value, k) => (keptIndexes.has(k) ? `${value}` : `(${value})`)).join(", ")}]`);
    const rolled: Extract<RolledTerm, { kind: "dice" }> = {
      kind: "dice",
      count: term.count,
      sides: term.sides,
      rolls,
      kept,
      sign: term.sign,
      subtotal,
    };
    return term.keep ? { ...rolled, keep: { ...term.keep } } : rolled;
  });
  return { expression, total, terms, detail: `${expression}: ${parts.join("")} = ${total}` };
}

export function roll(expression: string, rng: Rng): DiceRoll {
  return rollDice(parseDice(expression), rng);
}

/** Among equal values the earlier die is kept, so the dropped ones are predictable in the log. */
function keptIndexesOf(rolls: number[], keep: Keep | undefined): Set<number> {
  const indexes = rolls.map((_, k) => k);
  if (!keep) return new Set(indexes);
  const direction = keep.which === "highest" ? -1 : 1;
  indexes.sort((a, b) => direction * (rolls[a]! - rolls[b]!) || a - b);
  return new Set(indexes.slice(0, keep.n));
}
