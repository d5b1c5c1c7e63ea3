/**
 * The API's operations as the client calls them: method and path per operationId of Tavern's
 * OpenAPI document (served at /api/v1/openapi.json). A test in Tavern's repository checks this
 * table against that document.
 */
export const API_BASE = "/api/v1/games";

export const OPERATIONS = {
  players: { method: "GET", path: "/rooms/{code}/players" },
  setPlayer: { method: "PUT", path: "/rooms/{code}/players/{playerId}" },
  bulkUpdate: { method: "POST", path: "/rooms/{code}/players" },
  heartbeat: { method: "POST", path: "/rooms/{code}/heartbeat" },
  gameStarted: { method: "POST", path: "/rooms/{code}/game/started" },
  gameEnded: { method: "POST", path: "/rooms/{code}/game/ended" },
  registerWebhook: { method: "POST", path: "/webhooks" },
  listWebhooks: { method: "GET", path: "/webhooks" },
  getWebhook: { method: "GET", path: "/webhooks/{id}" },
  updateWebhook: { method: "PATCH", path: "/webhooks/{id}" },
  deleteWebhook: { method: "DELETE", path: "/webhooks/{id}" },
  webhookDeliveries: { method: "GET", path: "/webhooks/{id}/deliveries" },
} as const satisfies Record<string, { method: "GET" | "PUT" | "POST" | "PATCH" | "DELETE"; path: string }>;

export type OperationId = keyof typeof OPERATIONS;

/** The operation's path with its parameters filled in (each URI-encoded). */
export function pathOf(id: OperationId, params: Record<string, string>): string {
  return (
    API_BASE +
    OPERATIONS[id].path.replace(/\{([A-Za-z0-9_]+)\}/g, (_, name: string) => {
      const value = params[name];
      if (value === undefined || value === "") throw new TypeError(`${id}: ${name} is required`);
      return encodeURIComponent(value);
    })
  );
}
