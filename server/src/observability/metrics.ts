/**
 * Prometheus metrics (prom-client). Labels stay bounded: room types, phases, outcomes and error
 * codes, never room or player ids.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from "prom-client";

export class Metrics {
  readonly registry = new Registry();

  readonly roomExceptions = new Counter({
    name: "tavern_room_exceptions_total",
    help: "Exceptions caught inside rooms (the room kept running)",
    labelNames: ["room_type", "method"] as const,
    registers: [this.registry],
  });

  readonly requests = new Counter({
    name: "tavern_requests_total",
    help: "Room requests by type and outcome code (ok or an error code)",
    labelNames: ["room_type", "request", "outcome"] as const,
    registers: [this.registry],
  });

  readonly joins = new Counter({
    name: "tavern_joins_total",
    help: "Join attempts that reached a room, by outcome (joined, reclaimed, or an error code)",
    labelNames: ["room_type", "outcome"] as const,
    registers: [this.registry],
  });

  readonly reconnections = new Counter({
    name: "tavern_reconnections_total",
    help: "Dropped clients by how their grace period ended",
    labelNames: ["room_type", "outcome"] as const,
    registers: [this.registry],
  });

  readonly connectedClients = new Gauge({
    name: "tavern_connected_clients",
    help: "Clients connected to rooms of this process",
    labelNames: ["room_type"] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: "tavern_process_" });
  }
}
