/** @tavern/game-sdk: Tavern's platform API for external games, and the webhook signature check. */
export { TavernGameClient, type CallOptions, type TavernGameClientOptions, type WriteOptions } from "./client.js";
export { TavernApiError, TavernNetworkError } from "./errors.js";
export { DEFAULT_RETRY, type RetryPolicy } from "./retry.js";
export { API_BASE, OPERATIONS, type OperationId } from "./operations.js";
export * from "./types.js";
export {
  DEFAULT_TOLERANCE_SECONDS,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  WebhookVerificationError,
  signWebhook,
  verifyWebhook,
  type VerifiedWebhook,
  type VerifyWebhookOptions,
  type WebhookFailure,
  type WebhookHeaders,
} from "./webhooks.js";
