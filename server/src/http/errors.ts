import type { ErrorRequestHandler, Response } from "express";
import { HTTP_STATUS, RETRYABLE, TavernError, type ErrorBody, type ErrorCode } from "@tavern/shared/errors";
import type { Logger } from "../logger";

/** Seconds a client waits before retrying a retryable error that sets no Retry-After of its own. */
const DEFAULT_RETRY_AFTER_SECONDS = 1;

/** Every HTTP error answers `{ code, message, retryable, details? }`; a retryable one says when in Retry-After. */
export function sendError(res: Response, code: ErrorCode, message: string, details?: Record<string, unknown>): void {
  const retryable = RETRYABLE.has(code);
  const body: ErrorBody = details ? { code, message, retryable, details } : { code, message, retryable };
  if (retryable && !res.getHeader("Retry-After")) res.set("Retry-After", String(DEFAULT_RETRY_AFTER_SECONDS));
  res.status(HTTP_STATUS[code]).json(body);
}

/** Last express handler: malformed JSON, oversized bodies and thrown errors become error bodies. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, _req, res, next) => {
    if (res.headersSent) return next(err);
    if (err instanceof TavernError) return sendError(res, err.code, err.message, err.details);
    const e = err as { type?: string; status?: number; message?: string };
    if (e.type === "entity.parse.failed") return sendError(res, "VALIDATION_ERROR", "The request body is not valid JSON.");
    if (e.type === "entity.too.large") return sendError(res, "VALIDATION_ERROR", "The request body is too large.");
    logger.error({ err }, "unhandled HTTP error");
    sendError(res, "INTERNAL_ERROR", "The server failed to handle this request.");
  };
}
