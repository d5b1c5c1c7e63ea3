import { pino, stdSerializers, type Logger } from "pino";

export type { Logger };

/** Fields of database errors that quote what was written: the statement's bound values, the offending row. */
const QUOTING_FIELDS = ["params", "parameters", "detail", "where", "query"] as const;

type SerializedError = ReturnType<typeof stdSerializers.errWithCause> & Record<string, unknown>;

/** Drops what follows "params:" in a query builder's message (the values bound to the statement). */
export function stripBoundValues(text: string): string {
  const at = text.indexOf("params:");
  return at === -1 ? text : `${text.slice(0, at)}params: (not logged)`;
}

/**
 * Errors as logged: the standard shape, without anything a database error quotes from the data
 * (players' text, names, document values). A failing query is still named by its SQLSTATE
 * (`code`), constraint and table.
 */
export function scrubError(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  return scrub(stdSerializers.errWithCause(err) as SerializedError, 0);
}

function scrub(serialized: SerializedError, depth: number): SerializedError {
  for (const field of QUOTING_FIELDS) delete serialized[field];
  if (typeof serialized.message === "string") serialized.message = stripBoundValues(serialized.message);
  if (typeof serialized.stack === "string") serialized.stack = stripBoundValues(serialized.stack);
  const cause = serialized["cause"];
  if (cause && typeof cause === "object" && depth < 5)
    (serialized as Record<string, unknown>)["cause"] = scrub(cause as SerializedError, depth + 1);
  return serialized;
}

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: "tavern" }, serializers: { err: scrubError } });
}
