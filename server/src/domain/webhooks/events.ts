/**
 * A room's happening as the webhook event sent for it: the body's shape in one place, and its
 * exact bytes (the signature covers them, so they are made once and stored, never re-serialised).
 */
import type { WebhookEventBody, WebhookEventData, WebhookEventType } from "@tavern/shared/webhooks";

export interface EventRoom {
  code: string;
  type: string;
}

/** An event as a room emits it: what happened and where, before it has an id. */
export interface RoomEvent<T extends WebhookEventType = WebhookEventType> {
  type: T;
  room: EventRoom;
  data: WebhookEventData[T];
  occurredAt: Date;
}

export function eventBody<T extends WebhookEventType>(id: string, event: RoomEvent<T>): WebhookEventBody<T> {
  return {
    id,
    type: event.type,
    occurredAt: event.occurredAt.toISOString(),
    room: { code: event.room.code, type: event.room.type },
    data: event.data,
  };
}

/** The bytes that are sent and signed. */
export function serializeEvent(body: WebhookEventBody): string {
  return JSON.stringify(body);
}
