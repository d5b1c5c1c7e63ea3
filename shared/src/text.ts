/**
 * What every string a client sends must be: well-formed UTF-16 (no lone surrogate, which would
 * decode differently on every client and break hashes) and free of NUL (which PostgreSQL text
 * and jsonb refuse, so a NUL accepted once fails every later write of the same document). And how
 * deep a payload may nest, checked without recursion, before any schema walks it.
 */
import { z } from "zod";

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `text` may not be stored or shown, or undefined when it may. */
export function textProblem(text: string): string | undefined {
  if (text.includes("\u0000")) return "must not contain NUL characters";
  if (LONE_SURROGATE.test(text)) return "must be valid Unicode text (it has a lone surrogate)";
  return undefined;
}

/** A zod string that refuses what textProblem() names. */
export function safeString(): z.ZodString {
  return z.string().superRefine((text, ctx) => {
    const problem = textProblem(text);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  }) as unknown as z.ZodString; // superRefine keeps the string type; the cast keeps .min/.max chainable after it
}

/** Deeper payloads are refused before validation (a deep schema walk would exhaust the stack). */
export const MAX_PAYLOAD_DEPTH = 32;

/**
 * The first problem of a decoded payload, or undefined: nesting past MAX_PAYLOAD_DEPTH, or a
 * string (value or key) that textProblem() refuses. Iterative, so a hostile depth cannot overflow it.
 */
export function payloadProblem(payload: unknown): string | undefined {
  const stack: Array<{ value: unknown; depth: number }> = [{ value: payload, depth: 0 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!;
    if (typeof value === "string") {
      const problem = textProblem(value);
      if (problem) return `a text ${problem}`;
      continue;
    }
    if (value === null || typeof value !== "object") continue;
    if (depth >= MAX_PAYLOAD_DEPTH) return `nested deeper than ${MAX_PAYLOAD_DEPTH} levels`;
    if (Array.isArray(value)) {
      for (const item of value) stack.push({ value: item, depth: depth + 1 });
      continue;
    }
    for (const [key, item] of Object.entries(value)) {
      const problem = textProblem(key);
      if (problem) return `a key ${problem}`;
      stack.push({ value: item, depth: depth + 1 });
    }
  }
  return undefined;
}
