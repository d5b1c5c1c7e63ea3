/**
 * Prometheus metrics (prom-client). Labels stay bounded: room types, phases, outcomes and error
 * codes, never room or player ids.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { startLoopLagProbe } from "./loopLag";

export class Metrics {
  readonly registry = new Registry();

  readonly roomExceptions = new Counter({
    name: "tavern_room_exceptions_total",
    help: "Exceptions caught inside rooms (the room kept running)",
    labelNames: ["room_type", "method"] as const,
    registers: [this.registry],
  });

  /** Platform API calls: `api_key` is the key's id (admins create keys: bounded), `route` the route pattern. */
  readonly platformRequests = new Counter({
    name: "tavern_platform_requests_total",
    help: "Platform API requests by key, route and outcome (ok, replayed, or an error code)",
    labelNames: ["api_key", "route", "outcome"] as const,
    registers: [this.registry],
  });

  readonly platformLatency = new Histogram({
    name: "tavern_platform_request_seconds",
    help: "Platform API request time, from authentication to reply",
    labelNames: ["route"] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  /** Webhook outcomes: each attempt that failed, each delivery delivered or given up, each endpoint disabled. */
  readonly webhookDeliveries = new Counter({
    name: "tavern_webhook_deliveries_total",
    help: "Webhook deliveries by outcome: delivered, failed_attempt (will retry), gave_up (last attempt failed), disabled (an endpoint was disabled)",
    labelNames: ["outcome"] as const,
    registers: [this.registry],
  });

  readonly webhookAttemptLatency = new Histogram({
    name: "tavern_webhook_attempt_seconds",
    help: "One webhook delivery attempt, from the request to the receiver's answer (or the timeout)",
    labelNames: ["result"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
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
    help: "Join attempts by outcome: joined, reclaimed, or the error code of a refusal (by the join gate: token, code; or by the room)",
    labelNames: ["room_type", "outcome"] as const,
    registers: [this.registry],
  });

  readonly reconnections = new Counter({
    name: "tavern_reconnections_total",
    help: "Dropped clients by how their grace period ended",
    labelNames: ["room_type", "outcome"] as const,
    registers: [this.registry],
  });

  /** Counted at most once per connection per INTEGRITY_REPORT_INTERVAL_MS (lifecycleRequests.ts): a client cannot inflate it. */
  readonly integrityMismatches = new Counter({
    name: "tavern_client_integrity_mismatches_total",
    help: "Clients whose decoded state did not match the server's hash (they resync), by room type",
    labelNames: ["room_type"] as const,
    registers: [this.registry],
  });

  readonly connectedClients = new Gauge({
    name: "tavern_connected_clients",
    help: "Clients connected to rooms of this process",
    labelNames: ["room_type"] as const,
    registers: [this.registry],
  });

  readonly rooms = new Gauge({
    name: "tavern_rooms",
    help: "Rooms of this process by type and phase",
    labelNames: ["room_type", "phase"] as const,
    registers: [this.registry],
  });

  readonly updateApply = new Histogram({
    name: "tavern_state_update_apply_seconds",
    help: "Applying one accepted session update: ops, validation, hash and schema sync",
    labelNames: ["room_type"] as const,
    buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
    registers: [this.registry],
  });

  readonly persistenceWrite = new Histogram({
    name: "tavern_persistence_write_seconds",
    help: "One database write: appending an update, a snapshot, an audit event",
    labelNames: ["operation"] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });

  readonly persistenceFailures = new Counter({
    name: "tavern_persistence_failures_total",
    help: "Database writes that failed",
    labelNames: ["operation"] as const,
    registers: [this.registry],
  });

  /**
   * Writes a room does not wait for (journal, room settings, GM change, snapshots, audit), by how
   * they ended: ok, retried (landed after a retry) or failed (given up; the GM was told when it
   * was theirs). tavern_persistence_failures_total counts every failed statement, retries included.
   */
  readonly backgroundWrites = new Counter({
    name: "tavern_background_writes_total",
    help: "Background database writes by operation and outcome (ok, retried, failed)",
    labelNames: ["operation", "outcome"] as const,
    registers: [this.registry],
  });

  readonly rowsPruned = new Counter({
    name: "tavern_rows_pruned_total",
    help: "Rows deleted by retention and log compaction, by table",
    labelNames: ["table"] as const,
    registers: [this.registry],
  });

  /** Measured by the retention job at each run (not at each scrape: counting rows is not free). */
  readonly tableRows = new Gauge({
    name: "tavern_table_rows",
    help: "Rows in each table, as of the retention job's last run",
    labelNames: ["table"] as const,
    registers: [this.registry],
  });

  readonly tableBytes = new Gauge({
    name: "tavern_table_bytes",
    help: "Bytes on disk of each table with its indexes and TOAST (pg_total_relation_size), as of the retention job's last run",
    labelNames: ["table"] as const,
    registers: [this.registry],
  });

  readonly retentionRuns = new Counter({
    name: "tavern_retention_runs_total",
    help: "Runs of the retention job by outcome (ok, failed)",
    labelNames: ["outcome"] as const,
    registers: [this.registry],
  });

  readonly patchBytes = new Counter({
    name: "tavern_patch_bytes_total",
    help: "State patch bytes sent to clients (every client's copy counted)",
    labelNames: ["room_type"] as const,
    registers: [this.registry],
  });

  readonly joinLatency = new Histogram({
    name: "tavern_join_latency_seconds",
    help: "From the seat request (token check) to the player seated in the room",
    labelNames: ["room_type"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly malformedFrames = new Counter({
    name: "tavern_malformed_frames_total",
    help: "Frames from clients that could not be read (bad msgpack, truncated header); answered or closed, never dispatched",
    labelNames: ["room_type"] as const,
    registers: [this.registry],
  });

  readonly uncaughtErrors = new Counter({
    name: "tavern_uncaught_errors_total",
    help: "Exceptions and promise rejections that escaped every room and request handler",
    labelNames: ["kind"] as const,
    registers: [this.registry],
  });

  readonly idleMemoryReleases = new Counter({
    name: "tavern_idle_memory_releases_total",
    help: "Times V8 was asked to give memory back after a spell with no client connected (IDLE_MEMORY_RELEASE_SECONDS)",
    registers: [this.registry],
  });

  /** tavern_event_loop_lag_seconds: a histogram, unlike the default lag gauges. */
  private readonly loopLag = startLoopLagProbe(this.registry, "tavern_event_loop_lag_seconds");

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: "tavern_" });
  }

  /** Stops the event-loop probe (its timer never holds the process open either way). */
  close(): void {
    this.loopLag.stop();
  }
}
