/**
 * The parts every platform API operation shares, registered once as OpenAPI components: the
 * bearer key scheme, the error body, the Idempotency-Key header, the waitForBroadcast query, the
 * rate limit and Retry-After headers, and one response per error status.
 */
import { zodToOpenAPIRegistry, type OpenAPIRegistry, type ZodOpenAPIMetadata } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { HTTP_STATUS, RETRYABLE, type ErrorCode } from "@tavern/shared/errors";
import { httpErrorBodySchema } from "@tavern/shared/platform";

/**
 * Names and describes a schema for the document, on the instance the server validates with.
 * Not zod's `.openapi()` (extendZodWithOpenApi): zod installs methods on a type's prototype when
 * its first instance is made, so the shared schemas, made before any extension, would lack it.
 * The library reads this registry either way.
 */
export function documented<T extends z.ZodType>(schema: T, meta: ZodOpenAPIMetadata & { refId?: string }): T {
  const { refId, ...rest } = meta;
  const current = zodToOpenAPIRegistry.get(schema) ?? {};
  const internal = { ...current._internal, ...(refId ? { refId } : {}) };
  zodToOpenAPIRegistry.add(schema, { ...current, ...rest, ...(Object.keys(internal).length > 0 ? { _internal: internal } : {}) });
  return schema;
}

export const SECURITY_SCHEME = "gameApiKey";

/** The error statuses an operation may list, each a response component named here. */
export const ERROR_RESPONSES = {
  400: "BadRequest",
  401: "Unauthorized",
  403: "Forbidden",
  404: "NotFound",
  409: "Conflict",
  422: "UnprocessableContent",
  429: "TooManyRequests",
  500: "InternalError",
  503: "Unavailable",
} as const;
export type ErrorStatus = keyof typeof ERROR_RESPONSES;

const header = (name: string) => ({ $ref: `#/components/headers/${name}` });
export const RATE_LIMIT_HEADERS = {
  "RateLimit-Policy": header("RateLimit-Policy"),
  "RateLimit-Limit": header("RateLimit-Limit"),
  "RateLimit-Remaining": header("RateLimit-Remaining"),
  "RateLimit-Reset": header("RateLimit-Reset"),
};

export const errorBodySchema = documented(httpErrorBodySchema, {
  refId: "ErrorBody",
  description:
    "Every error answer. Switch on `code`; `message` is for people; `retryable` says whether the same request may succeed later.",
});

export const idempotencyKeyHeader = documented(
  z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,128}$/)
    .optional(),
  {
    refId: "IdempotencyKey",
    param: {
      name: "Idempotency-Key",
      in: "header",
      description:
        "Makes the write safe to retry: the first reply is kept 24 hours per key lineage, and a repeat with the same body gets it again (header `Idempotent-Replayed: true`) without changing anything. The same key with another body answers 422 IDEMPOTENCY_CONFLICT; a repeat while the first is in flight may answer 409 IDEMPOTENCY_IN_PROGRESS (retryable). Replies that invite a retry (429, 5xx) are not kept.",
      example: "3f2c1d9e-0b7a-4c2e-9d51-6a8f0e4b2c17",
    },
  },
);

export const waitForBroadcastQuery = documented(z.enum(["true", "false"]).optional(), {
  refId: "WaitForBroadcast",
  param: {
    name: "waitForBroadcast",
    in: "query",
    description:
      "With `true`, the reply waits (up to 2 s) until the patch carrying the change has gone to the room's clients, and says so in `broadcast`.",
  },
});

/** Registers what no operation names by a zod schema: the key scheme, headers, error responses. */
export function registerSharedComponents(registry: OpenAPIRegistry): void {
  registry.registerComponent("securitySchemes", SECURITY_SCHEME, {
    type: "http",
    scheme: "bearer",
    bearerFormat: "tvk_<id>_<secret>",
    description:
      "A game's API key (`npm run keys -- create ...`). Each operation names the scope it needs; a key restricted to a room reaches that room only.",
  });
  registry.registerComponent("headers", "RateLimit-Policy", {
    description: "The key's limit for this route's tier and its window: `<limit>;w=60`.",
    schema: { type: "string" },
  });
  registry.registerComponent("headers", "RateLimit-Limit", {
    description: "Requests of this tier the key may make per window.",
    schema: { type: "integer" },
  });
  registry.registerComponent("headers", "RateLimit-Remaining", {
    description: "Requests of this tier left in the window.",
    schema: { type: "integer" },
  });
  registry.registerComponent("headers", "RateLimit-Reset", {
    description: "Seconds until the window resets.",
    schema: { type: "integer" },
  });
  registry.registerComponent("headers", "Retry-After", {
    description: "On a retryable error: seconds to wait before sending the same request again.",
    schema: { type: "integer", minimum: 1 },
  });
  registry.registerComponent("headers", "Idempotent-Replayed", {
    description: "`true` when this is the stored reply of an earlier request with the same Idempotency-Key.",
    schema: { type: "string", enum: ["true"] },
  });

  for (const [status, name] of Object.entries(ERROR_RESPONSES)) {
    const codes = codesFor(Number(status));
    const retryable = codes.some((c) => RETRYABLE.has(c));
    registry.registerComponent("responses", name, {
      description: `${RESPONSE_WORDS[Number(status) as ErrorStatus]} Codes: ${codes.join(", ")}.`,
      headers: {
        ...(retryable ? { "Retry-After": header("Retry-After") } : {}),
        ...(Number(status) === 429 ? RATE_LIMIT_HEADERS : {}),
      },
      content: { "application/json": { schema: { $ref: "#/components/schemas/ErrorBody" } } },
    });
  }
}

/** The platform API's codes that answer with this status (the join-only codes never reach HTTP here). */
function codesFor(status: number): ErrorCode[] {
  const platformCodes = new Set<ErrorCode>([
    "VALIDATION_ERROR",
    "UNAUTHORIZED",
    "PERMISSION_DENIED",
    "NOT_FOUND",
    "INVALID_PHASE",
    "VERSION_CONFLICT",
    "IDEMPOTENCY_IN_PROGRESS",
    "IDEMPOTENCY_CONFLICT",
    "RATE_LIMITED",
    "INTERNAL_ERROR",
    "PERSISTENCE_ERROR",
    "UNAVAILABLE",
  ]);
  return [...platformCodes].filter((c) => HTTP_STATUS[c] === status);
}

const RESPONSE_WORDS: Record<ErrorStatus, string> = {
  400: "The body, a parameter or the Idempotency-Key is malformed (`message` names the field); or a webhook URL is refused, or the game holds its most endpoints (`details.limit`).",
  401: "No key, not a key, or a key unknown, revoked, expired or rotated out.",
  403: "The key lacks the scope (`details.scope`) or is restricted to another room (`details.roomCode`); or a spectator was sent to the game.",
  404: "No open room has this code, no such player is seated in it (`details.playerId`), or the game has no webhook endpoint with this id.",
  409: "VERSION_CONFLICT: `expectedVersion` is not the room's version (`details.currentVersion`); INVALID_PHASE: the game is not in a state for this; IDEMPOTENCY_IN_PROGRESS: the first request with this key is still being handled (retryable).",
  422: "This Idempotency-Key was used with another request body: a new write needs a new key.",
  429: "The key's limit for this tier is spent (`details.tier`, `details.limit`): wait Retry-After seconds.",
  500: "The server failed to handle the request.",
  503: "The room did not answer or the database was unreachable: retry after Retry-After seconds.",
};
