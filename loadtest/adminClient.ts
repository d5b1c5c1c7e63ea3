/**
 * The server's own account of its rooms, read over the admin API (HTTP basic auth): the open rooms
 * with their player counts, and one room's whole state. Load scripts compare it with what they did.
 */
import { seatsOf, type RoomView, type SeatLike } from "./switchCheck";

export interface AdminCredentials {
  user: string;
  password: string;
}

/** One row of GET /admin/rooms, reduced to what the checks read. */
export interface AdminListing {
  roomId: string;
  type: string;
  code: string;
  /** Player and host seats (spectators apart), from the listing metadata the room refreshes every 100 ms. */
  players: number;
  spectators: number;
  /** Open connections. */
  clients: number;
}

/** GET /admin/rooms/:code/state, reduced to what the checks read. */
export interface AdminRoomState {
  roomId: string;
  code: string;
  state: Record<string, unknown>;
}

/** One audit event, reduced to what the checks read. */
export interface AuditEntry {
  kind: string;
  playerId: string;
}

const REQUEST_TIMEOUT_MS = 5000;

export class AdminApi {
  private readonly authorization: string;

  constructor(
    private readonly endpoint: string,
    credentials: AdminCredentials,
  ) {
    this.authorization = `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString("base64")}`;
  }

  async rooms(): Promise<AdminListing[]> {
    const body = (await this.get("/admin/rooms")) as { rooms?: unknown } | undefined;
    if (!body || !Array.isArray(body.rooms)) throw new Error("GET /admin/rooms: no rooms array in the answer");
    return body.rooms.map((row: unknown) => {
      const r = (row ?? {}) as Record<string, unknown>;
      return {
        roomId: String(r["roomId"] ?? ""),
        type: String(r["type"] ?? ""),
        code: String(r["code"] ?? ""),
        players: Number(r["players"] ?? 0),
        spectators: Number(r["spectators"] ?? 0),
        clients: Number(r["clients"] ?? 0),
      };
    });
  }

  /** The room's state, or undefined when no open room has that code or id (404). */
  async roomState(codeOrId: string): Promise<AdminRoomState | undefined> {
    const body = (await this.get(`/admin/rooms/${encodeURIComponent(codeOrId)}/state`, true)) as Record<string, unknown> | undefined;
    if (body === undefined) return undefined;
    const state = body["state"];
    return {
      roomId: String(body["roomId"] ?? ""),
      code: String(body["code"] ?? ""),
      state: typeof state === "object" && state !== null ? (state as Record<string, unknown>) : {},
    };
  }

  /** The room's audit events, oldest first (also after it closed: rooms are looked up by id). */
  async roomEvents(roomId: string): Promise<AuditEntry[]> {
    const body = (await this.get(`/admin/rooms/${encodeURIComponent(roomId)}/events`)) as { events?: unknown } | undefined;
    if (!body || !Array.isArray(body.events)) throw new Error("GET /admin/rooms/:id/events: no events array in the answer");
    return body.events.map((row: unknown) => {
      const e = (row ?? {}) as Record<string, unknown>;
      return { kind: String(e["kind"] ?? ""), playerId: String(e["playerId"] ?? "") };
    });
  }

  private async get(path: string, notFoundIsUndefined = false): Promise<unknown> {
    const res = await fetch(`${this.endpoint}${path}`, {
      headers: { authorization: this.authorization },
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await res.text();
    if (res.status === 404 && notFoundIsUndefined) return undefined;
    if (res.status === 401) throw new Error(`GET ${path}: 401, the admin user or password is wrong`);
    if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status} ${text.slice(0, 200)}`);
    return JSON.parse(text) as unknown;
  }
}

/** The server's view of a space room from its admin state JSON: `players` is a map keyed by player id, each seat with its avatar. */
export function roomViewFromState(code: string, viewer: string, state: Record<string, unknown>): RoomView {
  const players = state["players"];
  if (typeof players !== "object" || players === null) return { viewer, code, players: null, closeCode: null };
  return { viewer, code, ...seatsOf(Object.entries(players as Record<string, SeatLike | undefined>)), closeCode: null };
}
