/**
 * Webhooks' wire contract: the events Tavern sends to a game's endpoints, what each event's body
 * carries, and how a game registers, lists and re-enables its endpoints over the platform API.
 * docs/WEBHOOKS.md says the same in words, with the signature algorithm (./webhookSignature.ts).
 */
import { z } from "zod";

export const WEBHOOK_EVENT_TYPES = [
  "player.joined",
  "player.left",
  "player.location_changed",
  "host.changed",
  "game.launch_requested",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** What each event says, under `data`. */
export const webhookEventDataSchemas = {
  "player.joined": z.object({ playerId: z.string(), name: z.string(), role: z.string() }),
  /** The seat is gone for good (left, did not come back in time, kicked). */
  "player.left": z.object({ playerId: z.string() }),
  "player.location_changed": z.object({ playerId: z.string(), location: z.string(), previousLocation: z.string() }),
  /** Not sent for a room's first host (player.joined says role "host"). `hostId` is "" when nobody hosts. */
  "host.changed": z.object({ hostId: z.string(), previousHostId: z.string() }),
  /** The host asked, from the room, for the external game to start (the `launchGame` request). */
  "game.launch_requested": z.object({ requestedBy: z.string(), gameId: z.string().optional() }),
} as const satisfies Record<WebhookEventType, z.ZodType>;
export type WebhookEventData = { [T in WebhookEventType]: z.infer<(typeof webhookEventDataSchemas)[T]> };

/** The JSON body of one delivery (the same bytes on every retry of it). */
export interface WebhookEventBody<T extends WebhookEventType = WebhookEventType> {
  /** Unique per event, and equal to the Tavern-Webhook-Id header: receivers deduplicate by it. */
  id: string;
  type: T;
  /** ISO 8601, when the room saw it happen. */
  occurredAt: string;
  room: { code: string; type: string };
  data: WebhookEventData[T];
}

const eventBodySchema = <T extends WebhookEventType>(type: T) =>
  z.object({
    id: z.string(),
    type: z.literal(type),
    occurredAt: z.string(),
    room: z.object({ code: z.string(), type: z.string() }),
    data: webhookEventDataSchemas[type],
  });

/** WebhookEventBody as a schema, one member per event type (for the OpenAPI document's webhooks). */
export const webhookEventBodySchema = z.discriminatedUnion("type", [
  eventBodySchema("player.joined"),
  eventBodySchema("player.left"),
  eventBodySchema("player.location_changed"),
  eventBodySchema("host.changed"),
  eventBodySchema("game.launch_requested"),
]);

/** Endpoints one game (one API key lineage) may register at most. */
export const WEBHOOK_ENDPOINTS_PER_GAME = 20;
export const WEBHOOK_URL_MAX_LENGTH = 2048;

export const createWebhookBodySchema = z
  .object({
    url: z.string().min(1).max(WEBHOOK_URL_MAX_LENGTH),
    events: z
      .array(z.enum(WEBHOOK_EVENT_TYPES))
      .min(1)
      .max(WEBHOOK_EVENT_TYPES.length)
      .refine((events) => new Set(events).size === events.length, "names an event twice"),
    /** Only events of this room (by code); without it, every room the key may reach. */
    roomCode: z.string().max(32).optional(),
  })
  .strict();
export type CreateWebhookBody = z.infer<typeof createWebhookBodySchema>;

export const updateWebhookBodySchema = z.object({ enabled: z.boolean() }).strict();
export type UpdateWebhookBody = z.infer<typeof updateWebhookBodySchema>;

const isoTime = z.string();

/** An endpoint as listed: never its secret. */
export const webhookEndpointViewSchema = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
  roomCode: z.string().nullable(),
  createdAt: isoTime,
  enabled: z.boolean(),
  /** When it was disabled, by Tavern (too many failed deliveries in a row) or by the game. */
  disabledAt: isoTime.nullable(),
  disabledReason: z.string().nullable(),
  /** Deliveries that gave up one after another since the last success. */
  consecutiveFailures: z.number().int().min(0),
});
export type WebhookEndpointView = z.infer<typeof webhookEndpointViewSchema>;

/** Registration answers the signing secret once, with the endpoint's listing. */
export const registeredWebhookSchema = webhookEndpointViewSchema.extend({ secret: z.string() });
export type RegisteredWebhook = z.infer<typeof registeredWebhookSchema>;

export const WEBHOOK_DELIVERY_STATES = ["pending", "delivered", "failed"] as const;
export type WebhookDeliveryState = (typeof WEBHOOK_DELIVERY_STATES)[number];

export const webhookAttemptViewSchema = z.object({
  attempt: z.number().int().min(1),
  at: isoTime,
  /** The receiver's HTTP status, or null when no answer came (`error` says why). */
  statusCode: z.number().int().nullable(),
  error: z.string().nullable(),
  durationMs: z.number().int().min(0),
});
export type WebhookAttemptView = z.infer<typeof webhookAttemptViewSchema>;

export const webhookDeliveryViewSchema = z.object({
  id: z.number().int(),
  eventId: z.string(),
  eventType: z.enum(WEBHOOK_EVENT_TYPES),
  state: z.enum(WEBHOOK_DELIVERY_STATES),
  attempts: z.number().int().min(0),
  createdAt: isoTime,
  nextAttemptAt: isoTime.nullable(),
  deliveredAt: isoTime.nullable(),
  log: z.array(webhookAttemptViewSchema),
});
export type WebhookDeliveryView = z.infer<typeof webhookDeliveryViewSchema>;

/** GET /webhooks: this game's endpoints, oldest first. */
export const webhookListReplySchema = z.object({ webhooks: z.array(webhookEndpointViewSchema) });
export type WebhookListReply = z.infer<typeof webhookListReplySchema>;

/** GET /webhooks/:id/deliveries: the endpoint and its latest deliveries, newest first. */
export const webhookDeliveriesReplySchema = z.object({
  endpoint: webhookEndpointViewSchema,
  deliveries: z.array(webhookDeliveryViewSchema),
});
export type WebhookDeliveriesReply = z.infer<typeof webhookDeliveriesReplySchema>;
