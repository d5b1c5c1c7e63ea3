/**
 * The live list of public rooms (`lobby`), speaking the protocol of Colyseus's built-in LobbyRoom
 * (`rooms` on join and on `filter`, then `+` and `-` as rooms change) with what that one lacks: a
 * guest token to join, the frame guard and flood cut-off every Tavern room has, filters that are
 * validated, and listings that are bounded (at most LOBBY_LISTING_LIMIT rooms) and sent at most
 * once per LOBBY_FILTER_DEBOUNCE_MS per client however often it asks.
 */
import { matchMaker, Room, ServerError, subscribeLobby, type Client, type RoomException, type RoomMethodName } from "@colyseus/core";
import { z } from "zod";
import { JOIN_ERROR_NUMBERS, TavernError, type ErrorBody } from "@tavern/shared/errors";
import { ROOM_TYPES } from "@tavern/shared/protocol";
import { payloadProblem, safeString } from "@tavern/shared/text";
import type { Listing } from "../http/roomSummary";
import { guardFrames } from "../lifecycle/frameGuard";
import { describeZodError } from "../domain/validation";
import type { RoomServices } from "../services";

export const LOBBY_LISTING_LIMIT = 200;
export const LOBBY_FILTER_DEBOUNCE_MS = 250;

const filterSchema = z
  .object({
    name: safeString().max(32).optional(),
    metadata: z.record(safeString().max(32), z.union([z.string().max(64), z.number(), z.boolean()])).optional(),
  })
  .strict()
  .nullable();
type Filter = z.infer<typeof filterSchema>;

/** Every message a lobby client may send, with its validator (tests derive their inputs from it). */
export const lobbyMessages = { filter: filterSchema } as const;

interface Watcher {
  filter: Filter;
  /** A `rooms` answer is due once the debounce timer fires. */
  sendScheduled: boolean;
  lastSentAt: number;
}

const LISTED_TYPES: ReadonlySet<string> = new Set(ROOM_TYPES);

function matches(listing: Listing, filter: Filter): boolean {
  if (!filter) return true;
  if (filter.name !== undefined && filter.name !== listing.name) return false;
  const metadata = (listing.metadata ?? {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(filter.metadata ?? {})) if (metadata[key] !== value) return false;
  return true;
}

/** The lobby's onAuth: a valid guest token, nothing else. */
export function lobbyGate(tokens: RoomServices["tokens"]) {
  return async (token: string) => {
    try {
      return await tokens.verify(token);
    } catch (err) {
      if (err instanceof TavernError) throw new ServerError(JOIN_ERROR_NUMBERS[err.code], err.message);
      throw err;
    }
  };
}

export class TavernLobbyRoom extends Room {
  private listings: Listing[] = [];
  private readonly watchers = new Map<string, Watcher>();
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly svc: RoomServices) {
    super();
  }

  override async onCreate(): Promise<void> {
    await this.setMatchmaking({ unlisted: true });
    this.maxMessagesPerSecond = this.svc.config.floodMessagesPerSecond;
    guardFrames(this, {
      roomType: "lobby",
      metrics: this.svc.metrics,
      logger: () => this.svc.logger,
      reportException: (err, where) => this.report(err, where),
    });
    this.onMessage("filter", (client, payload: unknown) => this.setFilter(client, payload));
    this.unsubscribe = await subscribeLobby((roomId, listing) => this.onListingChanged(roomId, listing));
    const all = await matchMaker.query({ private: false, unlisted: false });
    this.listings = all.filter((l) => LISTED_TYPES.has(l.name));
  }

  override onJoin(client: Client, options: unknown): void {
    const parsed = filterSchema.safeParse((options as { filter?: unknown } | undefined)?.filter ?? null);
    this.watchers.set(client.sessionId, { filter: parsed.success ? parsed.data : null, sendScheduled: false, lastSentAt: 0 });
    this.sendListing(client);
  }

  override onLeave(client: Client): void {
    this.watchers.delete(client.sessionId);
  }

  override onDispose(): void {
    this.unsubscribe?.();
  }

  override onUncaughtException(error: RoomException, methodName: RoomMethodName): void {
    this.report(error.cause ?? error, methodName);
  }

  private report(err: unknown, where: string): void {
    this.svc.metrics.roomExceptions.inc({ room_type: "lobby", method: where });
    this.svc.logger.error({ err, where }, "exception inside the lobby; it keeps running");
  }

  private setFilter(client: Client, payload: unknown): void {
    const watcher = this.watchers.get(client.sessionId);
    if (!watcher) return;
    const problem = payloadProblem(payload);
    const parsed = problem ? undefined : filterSchema.safeParse(payload ?? null);
    if (!parsed?.success) {
      const why = problem ?? (parsed ? describeZodError(parsed.error) : "");
      client.send("error", { code: "VALIDATION_ERROR", message: `Invalid filter: ${why}` } satisfies ErrorBody);
      return;
    }
    watcher.filter = parsed.data;
    if (watcher.sendScheduled) return; // the answer already due carries the newest filter
    const wait = watcher.lastSentAt + LOBBY_FILTER_DEBOUNCE_MS - Date.now();
    if (wait <= 0) return this.sendListing(client);
    watcher.sendScheduled = true;
    this.clock.setTimeout(() => {
      watcher.sendScheduled = false;
      if (this.watchers.get(client.sessionId) === watcher) this.sendListing(client);
    }, wait);
  }

  private sendListing(client: Client): void {
    const watcher = this.watchers.get(client.sessionId);
    if (!watcher) return;
    watcher.lastSentAt = Date.now();
    const shown: Listing[] = [];
    for (const listing of this.listings) {
      if (!matches(listing, watcher.filter)) continue;
      shown.push(listing);
      if (shown.length >= LOBBY_LISTING_LIMIT) break;
    }
    client.send("rooms", shown);
  }

  private onListingChanged(roomId: string, listing: Listing | null): void {
    const index = this.listings.findIndex((l) => l.roomId === roomId);
    const previous = index === -1 ? undefined : this.listings[index];
    if (listing && LISTED_TYPES.has(listing.name) && !listing.unlisted && !listing.private) {
      if (index === -1) this.listings.push(listing);
      else this.listings[index] = listing;
    } else if (index !== -1) {
      this.listings.splice(index, 1);
      listing = null;
    } else return;
    for (const client of this.clients) {
      const watcher = this.watchers.get(client.sessionId);
      if (!watcher) continue;
      const had = previous !== undefined && matches(previous, watcher.filter);
      const has = listing !== null && matches(listing, watcher.filter);
      if (has) client.send("+", [roomId, listing]);
      else if (had) client.send("-", roomId);
    }
  }
}
