/**
 * The webhook API's operations as documented (routes in ../webhookApi.ts), and the delivery a
 * registered endpoint receives, as an OpenAPI webhook. A test checks that every route of the
 * webhook API's router is here, with the same scope and rate tier. None takes an Idempotency-Key
 * or waitForBroadcast: they are about no room's state.
 */
import { z } from "zod";
import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import {
  WEBHOOK_ENDPOINTS_PER_GAME,
  WEBHOOK_EVENT_TYPES,
  createWebhookBodySchema,
  registeredWebhookSchema,
  updateWebhookBodySchema,
  webhookDeliveriesReplySchema,
  webhookDeliveryViewSchema,
  webhookEndpointViewSchema,
  webhookEventBodySchema,
  webhookListReplySchema,
} from "@tavern/shared/webhooks";
import { WEBHOOK_HEADERS } from "@tavern/shared/webhookSignature";
import { GAME_API_BASE } from "../gameApi";
import { documented } from "./components";
import type { ApiOperation } from "./operations";

const endpointId = documented(z.string(), {
  param: { description: "The endpoint's id, as registration answered it (`wh_...`)." },
  example: "wh_5f0c2a9e41b7d3c8a6e19f20",
});
const endpoint = documented(webhookEndpointViewSchema, { refId: "WebhookEndpoint" });
documented(webhookDeliveryViewSchema, { refId: "WebhookDelivery" });

const tags = ["Webhooks"];
const scope = "webhooks:manage";

export const WEBHOOK_OPERATIONS: readonly ApiOperation[] = [
  {
    method: "post",
    path: `${GAME_API_BASE}/webhooks`,
    operationId: "registerWebhook",
    summary: "Register an endpoint for some of the rooms' events: the reply holds its signing secret, this once",
    description: [
      "`url` is `https://` to a public host, or `http://` to `localhost`, `127.0.0.1` or `[::1]` only; anything else (a private or link-local address, credentials, a fragment) is 400 with a message starting `url`.",
      `\`events\` names each type once. Without \`roomCode\`, every room's events; a key restricted to a room registers endpoints of that room only (403 for another). A game holds ${WEBHOOK_ENDPOINTS_PER_GAME} endpoints at most (400 beyond).`,
      "Not idempotent: a repeat registers a second endpoint.",
    ].join("\n\n"),
    tags,
    scope,
    tier: "statusWrites",
    body: documented(createWebhookBodySchema, { refId: "CreateWebhookBody" }),
    reply: {
      status: 201,
      schema: documented(registeredWebhookSchema, { refId: "RegisteredWebhook" }),
      description: "Registered and enabled. `secret` signs its deliveries: it is never shown again.",
    },
    write: false,
    errors: [400, 401, 403, 429, 500],
  },
  {
    method: "get",
    path: `${GAME_API_BASE}/webhooks`,
    operationId: "listWebhooks",
    summary: "This game's endpoints, oldest first, without their secrets",
    description: "The game is the key's rotation lineage: a rotated key sees the same endpoints.",
    tags,
    scope,
    tier: "reads",
    reply: {
      status: 200,
      schema: documented(webhookListReplySchema, { refId: "WebhookList" }),
      description: "The game's endpoints.",
    },
    write: false,
    errors: [401, 403, 429, 500],
  },
  {
    method: "get",
    path: `${GAME_API_BASE}/webhooks/:id`,
    operationId: "getWebhook",
    summary: "One endpoint of this game",
    description: "Another game's endpoint answers 404, as an unknown id does.",
    tags,
    scope,
    tier: "reads",
    params: { id: endpointId },
    reply: { status: 200, schema: endpoint, description: "The endpoint." },
    write: false,
    errors: [401, 403, 404, 429, 500],
  },
  {
    method: "patch",
    path: `${GAME_API_BASE}/webhooks/:id`,
    operationId: "updateWebhook",
    summary: "Enable or disable an endpoint",
    description:
      "Enabling clears `consecutiveFailures` and sends the deliveries that waited (Tavern disables an endpoint whose deliveries keep failing). Disabling stops its deliveries until it is enabled: pending ones wait, new events are not collected. Setting the state it already has changes nothing.",
    tags,
    scope,
    tier: "statusWrites",
    params: { id: endpointId },
    body: documented(updateWebhookBodySchema, { refId: "UpdateWebhookBody" }),
    reply: { status: 200, schema: endpoint, description: "The endpoint as it is now." },
    write: false,
    errors: [400, 401, 403, 404, 429, 500],
  },
  {
    method: "delete",
    path: `${GAME_API_BASE}/webhooks/:id`,
    operationId: "deleteWebhook",
    summary: "Delete an endpoint, with its pending deliveries and its log",
    tags,
    scope,
    tier: "statusWrites",
    params: { id: endpointId },
    reply: { status: 204, description: "Deleted." },
    write: false,
    errors: [401, 403, 404, 429, 500],
  },
  {
    method: "get",
    path: `${GAME_API_BASE}/webhooks/:id/deliveries`,
    operationId: "webhookDeliveries",
    summary: "An endpoint's latest deliveries (100 at most, newest first), each with its attempts",
    tags,
    scope,
    tier: "reads",
    params: { id: endpointId },
    reply: {
      status: 200,
      schema: documented(webhookDeliveriesReplySchema, { refId: "WebhookDeliveries" }),
      description: "The endpoint and its delivery log.",
    },
    write: false,
    errors: [401, 403, 404, 429, 500],
  },
];

/** What Tavern POSTs to a registered endpoint: one OpenAPI webhook per event type. */
export function registerWebhookDeliveries(registry: OpenAPIRegistry): void {
  const body = documented(webhookEventBodySchema, { refId: "WebhookEvent" });
  registry.registerWebhook({
    method: "post",
    path: "roomEvent",
    operationId: "roomEvent",
    summary: "An event of a room, sent to each enabled endpoint registered for its type (and room)",
    description: [
      `Types: ${WEBHOOK_EVENT_TYPES.map((t) => `\`${t}\``).join(", ")}.`,
      'Signed: `Tavern-Webhook-Timestamp` (unix seconds) and `Tavern-Webhook-Signature: v1=<hex HMAC-SHA256(secret, timestamp + "." + raw body)>` (several comma-separated `v1=` entries are possible). `Tavern-Webhook-Id` equals the body\'s `id`: deduplicate by it.',
      "At least once: answer any 2xx quickly; anything else (3xx included, redirects are not followed) or no answer in time is retried with a growing backoff, signed anew over the same body. docs/WEBHOOKS.md has the signature algorithm and a test vector.",
    ].join("\n\n"),
    tags,
    request: {
      headers: z.object({
        [WEBHOOK_HEADERS.id]: z.string(),
        [WEBHOOK_HEADERS.timestamp]: z.string().regex(/^\d+$/),
        [WEBHOOK_HEADERS.signature]: z.string().regex(/^v1=[0-9a-f]{64}(, *v1=[0-9a-f]{64})*$/),
      }),
      body: { required: true, content: { "application/json": { schema: body } } },
    },
    responses: { 200: { description: "Any 2xx status: delivered (the body is ignored)." } },
  });
}
