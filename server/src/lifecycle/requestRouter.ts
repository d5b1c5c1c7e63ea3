/**
 * The one way a request reaches a room's code: rate limit, seat check, payload shape, schema,
 * then the handler; a TavernError becomes a typed rejection, anything else is reported and
 * answered INTERNAL_ERROR, and the room goes on. Requests come from the shared contract, whose
 * reply types type the handlers.
 */
import type { Client, MessageContext, Room } from "@colyseus/core";
import type { z } from "zod";
import type { Ok, PayloadOut, ReplyOf, RequestName, RequestTable } from "@tavern/shared/contract";
import { TavernError, type ErrorBody } from "@tavern/shared/errors";
import type { PlayerState } from "@tavern/shared/state";
import { payloadProblem } from "@tavern/shared/text";
import type { Metrics } from "../observability/metrics";
import { TokenBuckets } from "./rateLimiter";
import { describeZodError } from "../domain/validation";

export interface RequestContext {
  client: Client;
  playerId: string;
  seat: PlayerState;
}

export type RequestHandler<P, R = unknown> = (ctx: RequestContext, payload: P) => R | Promise<R>;
/** A request answering Ok may return nothing: the router answers `{ ok: true }`. */
export type HandlerReply<R> = R extends Ok ? R | void : R;

export interface RouterDeps {
  roomType: string;
  metrics: Metrics;
  requestsPerSecond: number;
  /** The caller's seat, or undefined when this connection holds none. */
  seatOf: (client: Client) => { playerId: string; seat: PlayerState } | undefined;
  /** A request counts as activity (idle rooms close). */
  touch: () => void;
  reportException: (err: unknown, where: string) => void;
}

export class RequestRouter {
  private readonly buckets: TokenBuckets;

  constructor(
    private readonly room: Room,
    private readonly deps: RouterDeps,
  ) {
    this.buckets = new TokenBuckets(deps.requestsPerSecond, deps.requestsPerSecond * 2);
  }

  /** A request of the shared contract: its schema validates, its reply type types the handler. */
  handle<T extends RequestTable, K extends RequestName<T>>(
    contract: T,
    name: K,
    handler: RequestHandler<PayloadOut<T, K>, HandlerReply<ReplyOf<T, K>>>,
  ): void {
    this.handleRequest<T[K]["payload"]>(name, contract[name]!.payload, handler);
  }

  /** A request outside the contract (test rooms). */
  handleRequest<Schema extends z.ZodType>(type: string, schema: Schema, handler: RequestHandler<z.output<Schema>>): void {
    const { metrics, roomType } = this.deps;
    this.room.onMessage(type, async (client: Client, payload: unknown, ctx: MessageContext) => {
      try {
        if (!this.buckets.take(client.sessionId, Date.now())) throw new TavernError("RATE_LIMITED", "Too many requests: slow down.");
        const seated = this.deps.seatOf(client);
        if (!seated) throw new TavernError("PERMISSION_DENIED", "You do not hold a seat in this room.");
        const problem = payloadProblem(payload);
        if (problem) throw new TavernError("VALIDATION_ERROR", `Invalid ${type} request: ${problem}.`);
        const parsed = schema.safeParse(payload);
        if (!parsed.success) throw new TavernError("VALIDATION_ERROR", `Invalid ${type} request: ${describeZodError(parsed.error)}`);
        this.deps.touch();
        const result = await handler({ client, ...seated }, parsed.data);
        metrics.requests.inc({ room_type: roomType, request: type, outcome: "ok" });
        return result ?? { ok: true };
      } catch (err) {
        const body = this.errorBodyFor(err, type);
        metrics.requests.inc({ room_type: roomType, request: type, outcome: body.code });
        if (ctx.id === undefined) {
          client.send("error", body);
          return undefined;
        }
        return ctx.reject(body);
      }
    });
  }

  /** The connection is gone: its rate bucket goes with it. */
  forget(sessionId: string): void {
    this.buckets.forget(sessionId);
  }

  private errorBodyFor(err: unknown, type: string): ErrorBody {
    if (err instanceof TavernError) return err.toBody();
    this.deps.reportException(err, `request:${type}`);
    return { code: "INTERNAL_ERROR", message: "The server failed to handle this request; the room is still running." };
  }
}
