/**
 * One platform API operation as documented, and how it becomes an OpenAPI path: the bearer key
 * with its scope, the rate tier's headers, the shared error responses, and for writes the
 * Idempotency-Key header and the waitForBroadcast query. Each API (the game API, webhooks, ...)
 * lists its operations in this shape; document.ts registers every list.
 */
import type { OpenAPIRegistry, ResponseConfig } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import type { ApiKeyScope } from "@tavern/shared/platform";
import type { LimitTier } from "../platformLimits";
import {
  ERROR_RESPONSES,
  RATE_LIMIT_HEADERS,
  SECURITY_SCHEME,
  idempotencyKeyHeader,
  waitForBroadcastQuery,
  type ErrorStatus,
} from "./components";

export interface ApiOperation {
  method: "get" | "post" | "put" | "delete" | "patch";
  /** The full path in express's form (`/api/v1/games/rooms/:code/players`). */
  path: string;
  /** Unique across the document: the SDK's method names follow these. */
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  scope: ApiKeyScope;
  tier: LimitTier;
  /** Path parameters by name: each is documented with its schema. */
  params?: Record<string, z.ZodType>;
  body?: z.ZodType;
  /** Success status and its body. */
  reply: { status: 200 | 201 | 204; schema?: z.ZodType; description: string };
  /** Whether it takes Idempotency-Key and waitForBroadcast (every write does). */
  write: boolean;
  /** Every error status the route can answer. */
  errors: readonly ErrorStatus[];
}

/** `/rooms/:code/players` → `/rooms/{code}/players`. */
export const openApiPath = (expressPath: string) => expressPath.replace(/:([A-Za-z0-9_]+)/g, "{$1}");

export function registerOperation(registry: OpenAPIRegistry, op: ApiOperation): void {
  const names = [...op.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
  const missing = names.filter((n) => !op.params?.[n]);
  if (missing.length > 0) throw new Error(`${op.operationId}: path parameters without a schema: ${missing.join(", ")}`);
  const success: ResponseConfig = {
    description: op.reply.description,
    headers: {
      ...RATE_LIMIT_HEADERS,
      ...(op.write ? { "Idempotent-Replayed": { $ref: "#/components/headers/Idempotent-Replayed" } } : {}),
    },
    ...(op.reply.schema ? { content: { "application/json": { schema: op.reply.schema } } } : {}),
  };
  const errors = Object.fromEntries(op.errors.map((status) => [status, { $ref: `#/components/responses/${ERROR_RESPONSES[status]}` }]));
  registry.registerPath({
    method: op.method,
    path: openApiPath(op.path),
    operationId: op.operationId,
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    tags: op.tags,
    security: [{ [SECURITY_SCHEME]: [op.scope] }],
    "x-tavern-scope": op.scope,
    "x-tavern-rate-tier": op.tier,
    request: {
      ...(op.params ? { params: z.object(op.params) } : {}),
      ...(op.write ? { headers: z.object({ "Idempotency-Key": idempotencyKeyHeader }) } : {}),
      ...(op.write ? { query: z.object({ waitForBroadcast: waitForBroadcastQuery }) } : {}),
      ...(op.body ? { body: { required: true, content: { "application/json": { schema: op.body } } } } : {}),
    },
    responses: { [op.reply.status]: success, ...errors },
  });
}
