/**
 * The one list of error codes every Tavern reply uses: request rejections, HTTP error bodies and
 * join refusals. Clients switch on `code`; `message` is for people.
 */
export const ERROR_CODES = [
  "VALIDATION_ERROR",
  "UNAUTHORIZED",
  "PERMISSION_DENIED",
  "INVALID_PHASE",
  "NOT_FOUND",
  "ROOM_FULL",
  "RATE_LIMITED",
  "UNKNOWN_REQUEST",
  "KICKED",
  "KNOCK_REQUIRED",
  "KNOCK_DENIED",
  "KNOCK_UNANSWERED",
  "VERSION_CONFLICT",
  "PERSISTENCE_ERROR",
  "INTERNAL_ERROR",
  "NOT_YOUR_TURN",
  "INVALID_MOVE",
  "IDEMPOTENCY_CONFLICT",
  "IDEMPOTENCY_IN_PROGRESS",
  "UNAVAILABLE",
  "ALREADY_EXISTS",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  /** Optional machine-readable context (the field that failed, the current version, ...). */
  details?: Record<string, unknown>;
  /** Whether the same request may succeed later unchanged (HTTP bodies always say; see RETRYABLE). */
  retryable?: boolean;
}

/**
 * Numeric codes carried by join refusals. Colyseus 0.18 answers matchmaking with the error's code
 * as the HTTP status, so each Tavern code has a distinct number in 400-599 that decodes back.
 */
export const JOIN_ERROR_NUMBERS: Readonly<Record<ErrorCode, number>> = {
  VALIDATION_ERROR: 400,
  UNAUTHORIZED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  UNKNOWN_REQUEST: 405,
  KNOCK_UNANSWERED: 408,
  INVALID_PHASE: 409,
  VERSION_CONFLICT: 412,
  KNOCK_REQUIRED: 423,
  RATE_LIMITED: 429,
  KICKED: 451,
  KNOCK_DENIED: 452,
  ROOM_FULL: 460,
  INTERNAL_ERROR: 500,
  PERSISTENCE_ERROR: 503,
  NOT_YOUR_TURN: 461,
  INVALID_MOVE: 422,
  IDEMPOTENCY_CONFLICT: 462,
  IDEMPOTENCY_IN_PROGRESS: 463,
  UNAVAILABLE: 502,
  ALREADY_EXISTS: 464,
};

/** HTTP status for each code, used by the HTTP API's error bodies. */
export const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = {
  VALIDATION_ERROR: 400,
  UNAUTHORIZED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  INVALID_PHASE: 409,
  ROOM_FULL: 409,
  RATE_LIMITED: 429,
  UNKNOWN_REQUEST: 400,
  KICKED: 403,
  KNOCK_REQUIRED: 423,
  KNOCK_DENIED: 403,
  KNOCK_UNANSWERED: 408,
  VERSION_CONFLICT: 409,
  PERSISTENCE_ERROR: 503,
  INTERNAL_ERROR: 500,
  NOT_YOUR_TURN: 409,
  INVALID_MOVE: 422,
  IDEMPOTENCY_CONFLICT: 422,
  IDEMPOTENCY_IN_PROGRESS: 409,
  UNAVAILABLE: 503,
  ALREADY_EXISTS: 409,
};

/**
 * Codes whose request may succeed if sent again unchanged (after Retry-After where one is given):
 * a limit that resets, a write still in flight, a store or room that is briefly unreachable.
 */
export const RETRYABLE: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  "RATE_LIMITED",
  "IDEMPOTENCY_IN_PROGRESS",
  "PERSISTENCE_ERROR",
  "UNAVAILABLE",
]);

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && (ERROR_CODES as readonly string[]).includes(value);
}

export function errorCodeFromNumber(n: number): ErrorCode | undefined {
  for (const code of ERROR_CODES) {
    if (JOIN_ERROR_NUMBERS[code] === n) return code;
  }
  return undefined;
}

/** A typed domain error: thrown by domain modules, turned into a reply by the room or route. */
export class TavernError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = "TavernError";
    this.code = code;
    this.details = details;
  }

  toBody(): ErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function isErrorBody(value: unknown): value is ErrorBody {
  return (
    typeof value === "object" &&
    value !== null &&
    isErrorCode((value as { code?: unknown }).code) &&
    typeof (value as { message?: unknown }).message === "string"
  );
}

/**
 * Turns whatever the SDK threw (a rejected request, a server fault, a matchmaking or join refusal)
 * into an ErrorBody. Used by the browser client and by tests, so both read errors the same way.
 */
export function toErrorBody(err: unknown): ErrorBody {
  if (err instanceof TavernError) return err.toBody();
  if (typeof err !== "object" || err === null) {
    return { code: "INTERNAL_ERROR", message: String(err) };
  }
  const e = err as { name?: unknown; reason?: unknown; code?: unknown; message?: unknown };
  if (e.name === "rejected" && isErrorBody(e.reason)) return e.reason;
  if (e.name === "no_handler") {
    return { code: "UNKNOWN_REQUEST", message: typeof e.message === "string" ? e.message : "unknown request" };
  }
  const message = typeof e.message === "string" ? e.message : "unexpected error";
  if (typeof e.code === "number") {
    const mapped = errorCodeFromNumber(e.code);
    if (mapped) return { code: mapped, message };
    // Colyseus matchmaking codes (521: no room matched, 522: room id unknown, 525: onAuth failed).
    if (e.code === 521 || e.code === 522) return { code: "NOT_FOUND", message };
    if (e.code === 525) return { code: "UNAUTHORIZED", message };
  }
  if (isErrorCode(e.code)) return { code: e.code, message };
  return { code: "INTERNAL_ERROR", message };
}
