/**
 * The platform API's OpenAPI 3.1 document, made from the zod schemas the server validates with.
 * A new API adds its operation list to API_OPERATIONS (and, for callbacks such as webhook
 * deliveries, a `registry.registerWebhook` in buildDocument, as registerWebhookDeliveries does).
 */
import { OpenAPIRegistry, OpenApiGeneratorV31 } from "@asteasolutions/zod-to-openapi";
import { errorBodySchema, idempotencyKeyHeader, registerSharedComponents, waitForBroadcastQuery } from "./components";
import { GAME_API_OPERATIONS } from "./gameApiOperations";
import { registerOperation, type ApiOperation } from "./operations";
import { WEBHOOK_OPERATIONS, registerWebhookDeliveries } from "./webhookOperations";

export const OPENAPI_PATH = "/api/v1/openapi.json";

/** Every documented operation, API by API. */
export const API_OPERATIONS: readonly ApiOperation[] = [...GAME_API_OPERATIONS, ...WEBHOOK_OPERATIONS];

export type OpenApiDocument = ReturnType<OpenApiGeneratorV31["generateDocument"]>;

let built: OpenApiDocument | undefined;

/** Built once: the schemas do not change while the process runs. */
export function openApiDocument(): OpenApiDocument {
  built ??= buildDocument(API_OPERATIONS);
  return built;
}

export function buildDocument(operations: readonly ApiOperation[]): OpenApiDocument {
  const registry = new OpenAPIRegistry();
  registerSharedComponents(registry);
  const ids = new Set<string>();
  for (const op of operations) {
    if (ids.has(op.operationId)) throw new Error(`operationId ${op.operationId} is used twice`);
    ids.add(op.operationId);
    registerOperation(registry, op);
  }
  registerWebhookDeliveries(registry);
  // The error body is named by $ref from raw response components, the parameters from each write.
  const definitions = [
    ...registry.definitions,
    { type: "schema" as const, schema: errorBodySchema },
    { type: "parameter" as const, schema: idempotencyKeyHeader },
    { type: "parameter" as const, schema: waitForBroadcastQuery },
  ];
  return new OpenApiGeneratorV31(definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "Tavern platform API",
      version: "1.0.0",
      description: [
        "External games report to Tavern over HTTP: where each player of a room is (the Tavern lobby or the game), a short status, heartbeats, and the game's start and end with its result. Every change shows at once in the room's state for everyone in it.",
        "",
        "Authenticate with `Authorization: Bearer tvk_...` (an admin creates keys with `npm run keys -- create`). Writes take an `Idempotency-Key` to be retried safely and an `expectedVersion` for optimistic locking. Each key has rate limits per tier (reads, status writes, bulk writes, heartbeats), stated in the `RateLimit-*` headers.",
        "",
        "A game hears what happens in its rooms through webhooks: it registers endpoints (scope `webhooks:manage`) and Tavern POSTs each event to them, signed (see `webhooks` below).",
        "",
        "A typed client for Node.js 22+ is in the repository's `sdk/` folder (`@tavern/game-sdk`).",
      ].join("\n"),
    },
    tags: [
      { name: "Game API", description: "What an external game reports about a room it runs a game for." },
      { name: "Webhooks", description: "A game's endpoints for the rooms' events, their deliveries, and the delivery itself." },
    ],
  });
}
