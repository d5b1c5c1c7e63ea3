/**
 * The game SDK mirrors Tavern's platform types without importing them: here they meet. The type
 * checks below fail `npm run typecheck` when a wire type of the SDK and of shared/platform.ts stop
 * being assignable both ways; the tests fail when the SDK's operations or error codes differ from
 * the OpenAPI document's and the server's.
 */
import assert from "node:assert/strict";
import type { z } from "zod";
import { ERROR_CODES, type ErrorCode } from "@tavern/shared/errors";
import {
  BULK_MAX_PLAYERS,
  STATUS_MAX_LENGTH,
  type bulkStatusBodySchema,
  type gameEndedBodySchema,
  type gameStartedBodySchema,
  type heartbeatBodySchema,
  type playerStatusBodySchema,
  type HttpErrorBody,
  type ReportedLocation,
  type SeatLocation,
  type RoomPlayersReply,
  type WriteReply,
} from "@tavern/shared/platform";
import type { Role } from "@tavern/shared/protocol";
import {
  WEBHOOK_EVENT_TYPES,
  type createWebhookBodySchema,
  type updateWebhookBodySchema,
  type webhookEventBodySchema,
  type RegisteredWebhook,
  type WebhookDeliveriesReply,
  type WebhookDeliveryView,
  type WebhookEndpointView,
  type WebhookEventBody,
  type WebhookEventType,
  type WebhookListReply,
} from "@tavern/shared/webhooks";
import * as sdk from "../../../sdk/src/index";
import { openApiDocument } from "../../src/http/openapi/document";

/** true when A and B are assignable both ways (what a client and a server exchanging them need). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** The server's event body, one member per type (as the SDK's WebhookEvent is). */
type ServerWebhookEvent = { [T in WebhookEventType]: WebhookEventBody<T> }[WebhookEventType];

// Each line fails to compile (false is not true) when the two sides drift apart.
const typesAgree: [
  Same<sdk.RoomPlayers, RoomPlayersReply>,
  Same<sdk.WriteReply, WriteReply>,
  Same<sdk.ErrorBody, HttpErrorBody>,
  Same<sdk.TavernErrorCode, ErrorCode>,
  Same<sdk.SeatLocation, SeatLocation>,
  Same<sdk.ReportedLocation, ReportedLocation>,
  Same<sdk.Role, Role>,
  Same<sdk.PlayerUpdate, z.input<typeof playerStatusBodySchema>>,
  Same<sdk.BulkUpdate, z.input<typeof bulkStatusBodySchema>>,
  Same<sdk.Heartbeat, z.input<typeof heartbeatBodySchema>>,
  Same<sdk.GameStarted, z.input<typeof gameStartedBodySchema>>,
  Same<sdk.GameEnded, z.input<typeof gameEndedBodySchema>>,
  Same<sdk.NewWebhook, z.input<typeof createWebhookBodySchema>>,
  Same<sdk.WebhookUpdate, z.input<typeof updateWebhookBodySchema>>,
  Same<sdk.WebhookEndpoint, WebhookEndpointView>,
  Same<sdk.RegisteredWebhook, RegisteredWebhook>,
  Same<sdk.WebhookList, WebhookListReply>,
  Same<sdk.WebhookDelivery, WebhookDeliveryView>,
  Same<sdk.WebhookDeliveries, WebhookDeliveriesReply>,
  Same<sdk.WebhookEventType, WebhookEventType>,
  Same<sdk.WebhookEvent, ServerWebhookEvent>,
  Same<sdk.WebhookEvent, z.infer<typeof webhookEventBodySchema>>,
] = [true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true];

describe("the game SDK agrees with the server", () => {
  it("in its wire types (checked when compiled)", () => {
    assert.ok(typesAgree.every(Boolean));
  });

  it("calls every operation of the OpenAPI document, with its method and path", () => {
    const documented = Object.entries(openApiDocument().paths ?? {}).flatMap(([path, item]) =>
      Object.entries(item as Record<string, { operationId?: string }>).map(([method, op]) => ({
        id: op.operationId,
        method: method.toUpperCase(),
        path,
      })),
    );
    const inSdk = Object.entries(sdk.OPERATIONS).map(([id, op]) => ({ id, method: op.method, path: sdk.API_BASE + op.path }));
    const key = (o: { id?: string; method: string; path: string }) => `${o.id} ${o.method} ${o.path}`;
    assert.deepEqual(inSdk.map(key).sort(), documented.map(key).sort());
    for (const id of Object.keys(sdk.OPERATIONS)) {
      assert.equal(typeof (sdk.TavernGameClient.prototype as unknown as Record<string, unknown>)[id], "function", `client method ${id}`);
    }
  });

  it("in its error codes and limits", () => {
    assert.deepEqual([...sdk.TAVERN_ERROR_CODES], [...ERROR_CODES]);
    assert.deepEqual([...sdk.WEBHOOK_EVENT_TYPES], [...WEBHOOK_EVENT_TYPES]);
    assert.equal(sdk.STATUS_MAX_LENGTH, STATUS_MAX_LENGTH);
    assert.equal(sdk.BULK_MAX_PLAYERS, BULK_MAX_PLAYERS);
  });
});
