/**
 * What rooms need from the server around them (config, logger, tokens, code registry, metrics,
 * session store, audit log).
 * Colyseus constructs rooms itself, without arguments, so the server installs these once at
 * start-up and rooms read them here.
 */
import type { TavernConfig } from "./config";
import type { Logger } from "./logger";
import type { GuestTokens } from "./auth/guestTokens";
import type { CodeRegistry } from "./lifecycle/codeRegistry";
import type { RoomCreationLimit } from "./lifecycle/creationLimit";
import type { Metrics } from "./observability/metrics";
import type { SessionStore } from "./persistence/sessionStore";
import type { AuditLog } from "./persistence/auditLog";

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
}

let current: RoomServices | undefined;

export function installServices(services: RoomServices): void {
  current = services;
}

export function services(): RoomServices {
  if (!current) throw new Error("room services are not installed: create rooms through createTavernServer()");
  return current;
}
