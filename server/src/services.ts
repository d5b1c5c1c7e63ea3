/**
 * What rooms need from the server around them (config, logger, tokens, code registry, metrics,
 * session store, audit log, platform keys and webhooks). Constructed once in server.ts and handed to every room type when it
 * is registered (see rooms/bindRoom.ts): nothing reads them from a global.
 */
import type { TavernConfig } from "./config";
import type { Logger } from "./logger";
import type { GuestTokens } from "./auth/guestTokens";
import type { CodeRegistry } from "./lifecycle/codeRegistry";
import type { RoomCreationLimit } from "./lifecycle/creationLimit";
import type { Metrics } from "./observability/metrics";
import type { SessionStore } from "./persistence/sessionStore";
import type { AuditLog } from "./persistence/auditLog";
import type { ApiKeyStore } from "./platform/apiKeys";
import type { AccountStore } from "./auth/accounts";
import type { IdempotencyStore } from "./platform/idempotency";
import type { WebhookEndpointStore } from "./platform/webhookEndpoints";
import type { WebhookOutbox } from "./platform/webhookOutbox";

export interface RoomServices {
  config: TavernConfig;
  logger: Logger;
  tokens: GuestTokens;
  codes: CodeRegistry;
  /** One budget for room creation over every path (HTTP, matchmaker create, joinOrCreate). */
  creationLimit: RoomCreationLimit;
  metrics: Metrics;
  sessions: SessionStore;
  audit: AuditLog;
  /** Claimed identities: user names and passwords for player ids (auth/accounts.ts). */
  accounts: AccountStore;
  /** The platform API's keys and stored replies (http/gameApi.ts). */
  apiKeys: ApiKeyStore;
  idempotency: IdempotencyStore;
  /** Games' webhook endpoints, and the outbox rooms hand their events to (never waiting on it). */
  webhookEndpoints: WebhookEndpointStore;
  webhookOutbox: WebhookOutbox;
}
