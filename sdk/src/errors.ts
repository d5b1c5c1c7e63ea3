/** The errors the client throws: an answer of the API, or no answer at all. */
import { TAVERN_ERROR_CODES, type ErrorBody, type TavernErrorCode } from "./types.js";

/** The API answered with an error (after the client's retries, if it was retryable). */
export class TavernApiError extends Error {
  override readonly name = "TavernApiError";
  /** HTTP status. */
  readonly status: number;
  readonly code: TavernErrorCode;
  /** Whether the same request may succeed later unchanged. */
  readonly retryable: boolean;
  /** Machine-readable context: `currentVersion`, `scope`, `tier`, `playerId`, ... */
  readonly details: Record<string, unknown> | undefined;
  /** The server's Retry-After, in seconds, if it sent one. */
  readonly retryAfterSeconds: number | undefined;
  /** Requests sent for this call, retries included. */
  readonly attempts: number;

  constructor(fields: { status: number; body: ErrorBody; retryAfterSeconds: number | undefined; attempts: number }) {
    super(fields.body.message);
    this.status = fields.status;
    this.code = fields.body.code;
    this.retryable = fields.body.retryable;
    this.details = fields.body.details;
    this.retryAfterSeconds = fields.retryAfterSeconds;
    this.attempts = fields.attempts;
  }
}

/** No answer: the network failed or the request timed out, on every attempt. */
export class TavernNetworkError extends Error {
  override readonly name = "TavernNetworkError";
  readonly attempts: number;

  constructor(message: string, attempts: number, cause: unknown) {
    super(message, { cause });
    this.attempts = attempts;
  }
}

const isCode = (value: unknown): value is TavernErrorCode =>
  typeof value === "string" && (TAVERN_ERROR_CODES as readonly string[]).includes(value);

/** The error body of an answer; one that is not Tavern's (a proxy's page) is read from its status. */
export function errorBodyOf(status: number, parsed: unknown): ErrorBody {
  const body = parsed as Partial<ErrorBody> | null;
  if (body && typeof body === "object" && isCode(body.code) && typeof body.message === "string") {
    return {
      code: body.code,
      message: body.message,
      retryable: body.retryable === true,
      ...(body.details && typeof body.details === "object" ? { details: body.details } : {}),
    };
  }
  if (status === 429) return { code: "RATE_LIMITED", message: "Too many requests.", retryable: true };
  // A gateway in front of Tavern that could not reach it: worth another try.
  if (status === 502 || status === 503 || status === 504) {
    return { code: "UNAVAILABLE", message: `The server is unavailable (HTTP ${status}).`, retryable: true };
  }
  return { code: "INTERNAL_ERROR", message: `Unexpected answer: HTTP ${status}.`, retryable: false };
}
