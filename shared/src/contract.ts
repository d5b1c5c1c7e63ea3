/**
 * The wire contract, written once: for each room type, every request with its payload schema, the
 * type of its reply and the error codes it may answer, and the messages the server sends. The
 * server's request router validates with these schemas and types its handlers' replies by them;
 * the client's typed `request(name, payload)` infers both from the same table, so a wrong payload
 * is a compile error on either side. docs/PROTOCOL.md says the same in words.
 */
import type { z } from "zod";
import type { ErrorBody, ErrorCode } from "./errors";
import {
  lifecycleRequests,
  spaceRequests,
  type AnnouncementMessage,
  type ClosingMessage,
  type GuestSession,
  type KnocksMessage,
  type RoomConfig,
  type RoomType,
} from "./protocol";
import type { StateHashReply } from "./stateHash";
import type { PublicUpdateReply, UpdateReply } from "./table/operations";
import { encounterCommandSchema, tableRequests } from "./table/protocol";
import { caboRequests } from "./cabo/moves";

/** One request: what it carries, what it answers (a type only), which refusals it may meet. */
export interface RequestSpec<P extends z.ZodType = z.ZodType, R = unknown> {
  payload: P;
  errors: readonly ErrorCode[];
  /** Never set: carries the reply type for inference. */
  readonly reply?: R;
}

/** `request<Reply>()(payloadSchema, errors)`: the reply type is given, the payload type is inferred. */
function request<R>() {
  return <P extends z.ZodType>(payload: P, errors: readonly ErrorCode[]): RequestSpec<P, R> => ({ payload, errors });
}

export type RequestTable = Record<string, RequestSpec>;
export type RequestName<T extends RequestTable> = keyof T & string;
/** What a caller passes (before defaults and transforms). */
export type PayloadIn<T extends RequestTable, K extends RequestName<T>> = z.input<T[K]["payload"]>;
/** What a handler receives (validated). */
export type PayloadOut<T extends RequestTable, K extends RequestName<T>> = z.output<T[K]["payload"]>;
export type ReplyOf<T extends RequestTable, K extends RequestName<T>> = T[K] extends RequestSpec<z.ZodType, infer R> ? R : never;

/** The reply of a request that answers nothing but its success. */
export interface Ok {
  ok: true;
}

export interface RollReply {
  expression: string;
  total: number;
  detail: string;
  label: string;
}

const HOST_ONLY = ["VALIDATION_ERROR", "PERMISSION_DENIED", "INVALID_PHASE"] as const;

/** Requests every room type answers. */
export const lifecycleContract = {
  ready: request<Ok>()(lifecycleRequests.ready, ["VALIDATION_ERROR", "INVALID_PHASE", "PERMISSION_DENIED"]),
  config: request<{ config: RoomConfig }>()(lifecycleRequests.config, HOST_ONLY),
  start: request<Ok>()(lifecycleRequests.start, HOST_ONLY),
  finish: request<Ok>()(lifecycleRequests.finish, HOST_ONLY),
  reset: request<Ok>()(lifecycleRequests.reset, HOST_ONLY),
  kick: request<Ok>()(lifecycleRequests.kick, ["VALIDATION_ERROR", "PERMISSION_DENIED", "NOT_FOUND"]),
  lock: request<{ locked: boolean }>()(lifecycleRequests.lock, ["VALIDATION_ERROR", "PERMISSION_DENIED"]),
  answerKnock: request<Ok>()(lifecycleRequests.answerKnock, ["VALIDATION_ERROR", "PERMISSION_DENIED", "NOT_FOUND"]),
  transferHost: request<Ok>()(lifecycleRequests.transferHost, ["VALIDATION_ERROR", "PERMISSION_DENIED", "NOT_FOUND"]),
  chat: request<Ok>()(lifecycleRequests.chat, ["VALIDATION_ERROR", "RATE_LIMITED"]),
  ping: request<{ now: number }>()(lifecycleRequests.ping, []),
  /** Answers the id of the game.launch_requested event (its webhook deliveries carry it). */
  launchGame: request<{ eventId: string }>()(lifecycleRequests.launchGame, [...HOST_ONLY, "RATE_LIMITED"]),
  stateHash: request<StateHashReply>()(lifecycleRequests.stateHash, []),
  integrityMismatch: request<Ok>()(lifecycleRequests.integrityMismatch, []),
} as const satisfies RequestTable;

export const spaceContract = {
  ...lifecycleContract,
  move: request<Ok>()(spaceRequests.move, ["VALIDATION_ERROR"]),
  moveTo: request<Ok>()(spaceRequests.moveTo, ["VALIDATION_ERROR"]),
} as const satisfies RequestTable;

const GM_CHANGE = ["VALIDATION_ERROR", "PERMISSION_DENIED", "NOT_FOUND", "VERSION_CONFLICT", "PERSISTENCE_ERROR"] as const;

export const tableContract = {
  ...lifecycleContract,
  update: request<UpdateReply>()(tableRequests.update, GM_CHANGE),
  create: request<UpdateReply & { id: string }>()(tableRequests.create, GM_CHANGE),
  /** The GM is answered UpdateReply, a player its public part. */
  moveToken: request<UpdateReply | PublicUpdateReply>()(tableRequests.moveToken, GM_CHANGE),
  roll: request<RollReply>()(tableRequests.roll, ["VALIDATION_ERROR", "PERMISSION_DENIED"]),
  action: request<UpdateReply>()(tableRequests.action, GM_CHANGE),
  encounter: request<UpdateReply>()(encounterCommandSchema, [...GM_CHANGE, "INVALID_PHASE"]),
} as const satisfies RequestTable;

export const caboContract = {
  ...lifecycleContract,
  /** One move of the rules (docs/CABO.md); refusals carry `details.reason` for INVALID_MOVE. */
  move: request<Ok>()(caboRequests.move, ["VALIDATION_ERROR", "PERMISSION_DENIED", "INVALID_PHASE", "NOT_YOUR_TURN", "INVALID_MOVE"]),
} as const satisfies RequestTable;

export type LifecycleContract = typeof lifecycleContract;
export type SpaceContract = typeof spaceContract;
export type TableContract = typeof tableContract;
export type CaboContract = typeof caboContract;

export const contracts = { space: spaceContract, table: tableContract, cabo: caboContract } as const satisfies Record<
  RoomType,
  RequestTable
>;

/** Messages the server sends (`room.onMessage(type, ...)` on the client). */
export interface ServerMessages {
  announcement: AnnouncementMessage;
  closing: ClosingMessage;
  /** A plain `send` (not a request) was refused. */
  error: ErrorBody;
  /** To the host alone: who is waiting at a locked room's door. */
  knocks: KnocksMessage;
  /** To one client: a fresh token for its player, sent on join when the one it joined with is past half its life. */
  session: GuestSession;
}
export type ServerMessageType = keyof ServerMessages;

/** The payload argument of a typed call: optional where the schema accepts nothing. */
export type PayloadArgs<T extends RequestTable, K extends RequestName<T>> =
  undefined extends PayloadIn<T, K> ? [payload?: PayloadIn<T, K>] : [payload: PayloadIn<T, K>];

/** A request function typed by a contract: `request("roll", { expression: "2d6" })` infers payload and reply. */
export type RequestFn<T extends RequestTable> = <K extends RequestName<T>>(
  name: K,
  ...payload: PayloadArgs<T, K>
) => Promise<ReplyOf<T, K>>;

/** Every request of every room type, for code that talks to whichever room it is in. */
export type AnyRoomContract = SpaceContract & TableContract;

/**
 * A typed request function over any room that can send requests (the SDK's Room): the one place
 * where the untyped wire reply becomes the contract's reply type.
 */
export function typedRequests<T extends RequestTable>(
  room: { request(type: string, payload?: unknown): Promise<unknown> },
  mapError: (err: unknown) => unknown = (err) => err,
): RequestFn<T> {
  return async <K extends RequestName<T>>(name: K, ...payload: PayloadArgs<T, K>) => {
    try {
      return (await room.request(name, payload[0])) as ReplyOf<T, K>;
    } catch (err) {
      throw mapError(err);
    }
  };
}
