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
export interface WebhookEventData {
  "player.joined": { playerId: string; name: string; role: string };
  /** The seat is gone for good (left, did not come back in time, kicked). */
  "player.left": { playerId: string };
  "player.location_changed": { playerId: string; location: string; previousLocation: string };
  /** Not sent for a room's first host (player.joined says role "host"). `hostId` is "" when nobody hosts. */
  "host.changed": { hostId: string; previousHostId: string };
  /** The host asked, from the room, for the external game to start (the `launchGame` request). */
  "game.launch_requested": { requestedBy: string; gameId?: string };
}

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

/** An endpoint as listed: never its secret. */
export interface WebhookEndpointView {
  id: string;
  url: string;
  events: WebhookEventType[];
  roomCode: string | null;
  createdAt: string;
  enabled: boolean;
  /** When it was disabled, by Tavern (too many failed deliveries in a row) or by the game. */
  disabledAt: string | null;
  disabledReason: string | null;
  /** Deliveries that gave up one after another since the last success. */
  consecutiveFailures: number;
}

/** Registration answers the signing secret once, with the endpoint's listing. */
export interface RegisteredWebhook extends WebhookEndpointView {
  secret: string;
}

export type WebhookDeliveryState = "pending" | "delivered" | "failed";

export interface WebhookAttemptView {
  attempt: number;
  at: string;
  /** The receiver's HTTP status, or null when no answer came (`error` says why). */
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

export interface WebhookDeliveryView {
  id: number;
  eventId: string;
  eventType: WebhookEventType;
  state: WebhookDeliveryState;
  attempts: number;
  createdAt: string;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  log: WebhookAttemptView[];
}
