/**
 * TavernGameClient: the platform API for an external game's server. Every method is one API
 * operation; room writes carry an Idempotency-Key (a fresh UUID unless given) that every retry of
 * the call reuses, so a retry after a lost answer never applies the write twice. The webhook
 * routes take no Idempotency-Key: registration is retried only when the answer proves nothing was
 * done, and a delete retried after a lost answer that finds the endpoint gone is done.
 */
import { TavernApiError, TavernNetworkError, errorBodyOf } from "./errors.js";
import { OPERATIONS, pathOf, type OperationId } from "./operations.js";
import { DEFAULT_RETRY, backoffMs, delayAfterAnswerMs, retryAfterSeconds, type RetryPolicy } from "./retry.js";
import type {
  BulkUpdate,
  GameEnded,
  GameStarted,
  NewWebhook,
  PlayerUpdate,
  RegisteredWebhook,
  RoomPlayers,
  WebhookDeliveries,
  WebhookEndpoint,
  WebhookList,
  WebhookUpdate,
  WriteReply,
} from "./types.js";

export interface TavernGameClientOptions {
  /** Where Tavern runs, e.g. `https://tavern.example` (no path). */
  baseUrl: string;
  /** The game's key, `tvk_...` (keep it on the game's server: it is a secret). */
  apiKey: string;
  /** Another fetch (a proxy agent, a test double); by default the global one. */
  fetch?: typeof fetch;
  /** Changes to the retry policy (see RetryPolicy). */
  retry?: Partial<RetryPolicy>;
  /** One attempt's time limit; a request that takes longer is retried like a network failure. Default 10 s. */
  timeoutMs?: number;
}

export interface CallOptions {
  /** Cancels the call, retries and waits included. */
  signal?: AbortSignal;
}

export interface WriteOptions extends CallOptions {
  /** Reuse a key of your own (e.g. one stored with the game's event) to dedupe across restarts too. */
  idempotencyKey?: string;
  /** Answer only once the change has been sent to the room's clients (up to 2 s); the reply says `broadcast`. */
  waitForBroadcast?: boolean;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** How one call is sent and retried. */
interface CallPlan {
  /** A room write: its Idempotency-Key (the same on every retry) and its query. */
  write?: { key: string; query: string };
  /**
   * "always": every retryable answer and every lost one (reads, idempotent changes, writes with a key).
   * "unapplied": only an answer that proves nothing was done (RATE_LIMITED); a lost answer is thrown at once.
   */
  retry: "always" | "unapplied";
  /** A 404 after an attempt that may have applied (lost answer, 5xx) means it was: resolve. */
  goneIsDone?: boolean;
}

const ALWAYS: CallPlan = { retry: "always" };

export class TavernGameClient {
  private readonly baseUrl: string;
  private readonly apiKey: string;
  private readonly fetch: typeof fetch;
  private readonly retry: RetryPolicy;
  private readonly timeoutMs: number;

  constructor(options: TavernGameClientOptions) {
    if (!/^https?:\/\//.test(options.baseUrl)) throw new TypeError("baseUrl must be an http(s) URL");
    if (!options.apiKey) throw new TypeError("apiKey is required");
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.apiKey = options.apiKey;
    // Called unbound, the global fetch of some runtimes throws "Illegal invocation".
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** The room's players (location, status, last seen), its version, current game and last result. */
  players(roomCode: string, options: CallOptions = {}): Promise<RoomPlayers> {
    return this.call("players", { code: roomCode }, undefined, options, ALWAYS);
  }

  /** One player's location and/or status. */
  setPlayer(roomCode: string, playerId: string, update: PlayerUpdate, options: WriteOptions = {}): Promise<WriteReply> {
    return this.write("setPlayer", { code: roomCode, playerId }, update, options);
  }

  /** Many players at once: all applied or none, one version step. */
  bulkUpdate(roomCode: string, update: BulkUpdate, options: WriteOptions = {}): Promise<WriteReply> {
    return this.write("bulkUpdate", { code: roomCode }, update, options);
  }

  /** The game (and these players, or everyone in the game) are alive. Moves no version. */
  heartbeat(roomCode: string, playerIds?: string[], options: WriteOptions = {}): Promise<WriteReply> {
    return this.write("heartbeat", { code: roomCode }, playerIds ? { playerIds } : {}, options);
  }

  /** The game started in this room. */
  gameStarted(roomCode: string, game: GameStarted, options: WriteOptions = {}): Promise<WriteReply> {
    return this.write("gameStarted", { code: roomCode }, game, options);
  }

  /** The game ended, with its result: everyone in it goes back to the lobby. */
  gameEnded(roomCode: string, game: GameEnded, options: WriteOptions = {}): Promise<WriteReply> {
    return this.write("gameEnded", { code: roomCode }, game, options);
  }

  /**
   * Registers an endpoint for these events (of one room, or of every room the key may reach): the
   * reply holds its signing secret, shown this once. Not idempotent, so retried only after a spent
   * rate limit; after a lost answer it throws TavernNetworkError, and `listWebhooks()` tells
   * whether it was registered.
   */
  registerWebhook(webhook: NewWebhook, options: CallOptions = {}): Promise<RegisteredWebhook> {
    return this.call("registerWebhook", {}, webhook, options, { retry: "unapplied" });
  }

  /** This game's endpoints (the key's rotation lineage), oldest first, never a secret. */
  listWebhooks(options: CallOptions = {}): Promise<WebhookList> {
    return this.call("listWebhooks", {}, undefined, options, ALWAYS);
  }

  /** One endpoint of this game (another game's is NOT_FOUND). */
  getWebhook(id: string, options: CallOptions = {}): Promise<WebhookEndpoint> {
    return this.call("getWebhook", { id }, undefined, options, ALWAYS);
  }

  /** Enables (failure count cleared, waiting deliveries sent) or disables an endpoint. */
  updateWebhook(id: string, update: WebhookUpdate, options: CallOptions = {}): Promise<WebhookEndpoint> {
    return this.call("updateWebhook", { id }, update, options, ALWAYS);
  }

  /** Deletes an endpoint with its pending deliveries and its log. */
  async deleteWebhook(id: string, options: CallOptions = {}): Promise<void> {
    await this.call<unknown>("deleteWebhook", { id }, undefined, options, { retry: "always", goneIsDone: true });
  }

  /** An endpoint's latest deliveries (100 at most, newest first), each with its attempts. */
  webhookDeliveries(id: string, options: CallOptions = {}): Promise<WebhookDeliveries> {
    return this.call("webhookDeliveries", { id }, undefined, options, ALWAYS);
  }

  private write(id: OperationId, params: Record<string, string>, body: object, options: WriteOptions): Promise<WriteReply> {
    const query = options.waitForBroadcast ? "?waitForBroadcast=true" : "";
    const key = options.idempotencyKey ?? crypto.randomUUID();
    return this.call(id, params, body, options, { write: { key, query }, retry: "always" });
  }

  private async call<T>(
    id: OperationId,
    params: Record<string, string>,
    body: object | undefined,
    options: CallOptions,
    plan: CallPlan,
  ): Promise<T> {
    const { write } = plan;
    const url = `${this.baseUrl}${pathOf(id, params)}${write?.query ?? ""}`;
    const headers: Record<string, string> = { authorization: `Bearer ${this.apiKey}`, accept: "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (write) headers["idempotency-key"] = write.key;
    const init = { method: OPERATIONS[id].method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) };

    // Whether an earlier attempt may have been applied (its answer was lost or a 5xx).
    let mayHaveApplied = false;
    for (let attempt = 1; ; attempt++) {
      options.signal?.throwIfAborted();
      const last = attempt >= this.retry.maxAttempts;
      let res: Response;
      try {
        res = await this.fetch(url, { ...init, signal: this.attemptSignal(options.signal) });
      } catch (err) {
        // The caller's own cancel ends the call; a timeout or a network failure is retried (unless the call must not repeat).
        if (options.signal?.aborted) throw options.signal.reason;
        if (last || plan.retry === "unapplied") {
          throw new TavernNetworkError(`${id}: no answer from ${this.baseUrl} (${describe(err)})`, attempt, err);
        }
        mayHaveApplied = true;
        await this.retry.sleep(backoffMs(this.retry, attempt), options.signal);
        continue;
      }
      const text = await res.text();
      const parsed = parseJson(text);
      if (res.ok) return parsed as T;

      const errorBody = errorBodyOf(res.status, parsed);
      if (plan.goneIsDone && mayHaveApplied && res.status === 404) return undefined as T;
      const retryAfter = retryAfterSeconds(res.headers.get("retry-after"));
      const error = new TavernApiError({ status: res.status, body: errorBody, retryAfterSeconds: retryAfter, attempts: attempt });
      if (!errorBody.retryable || last) throw error;
      if (plan.retry === "unapplied" && errorBody.code !== "RATE_LIMITED") throw error;
      if (res.status >= 500) mayHaveApplied = true;
      if (retryAfter !== undefined && retryAfter * 1000 > this.retry.maxRetryAfterMs) throw error;
      await this.retry.sleep(delayAfterAnswerMs(this.retry, attempt, retryAfter), options.signal);
    }
  }

  private attemptSignal(callerSignal: AbortSignal | undefined): AbortSignal {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    return callerSignal ? AbortSignal.any([callerSignal, timeout]) : timeout;
  }
}

function parseJson(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as Error & { cause?: unknown }).cause;
    return cause instanceof Error ? `${err.message}: ${cause.message}` : err.message;
  }
  return String(err);
}
