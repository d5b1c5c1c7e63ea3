/**
 * The link to the one room this client is in: create, join by code (knocking at locked rooms),
 * leave, and staying in it: the status (connected, reconnecting, disconnected), the SDK's own
 * reconnection, and coming back after it gave up.
 */
import type { ErrorBody } from "@tavern/shared/errors";
import { toErrorBody } from "@tavern/shared/errors";
import { CLOSE_CODES, type RoomType } from "@tavern/shared/protocol";
import { SpaceState } from "@tavern/shared/state";
import { TableState } from "@tavern/shared/table/state";
import { CaboState } from "@tavern/shared/cabo/state";
import { comeBack, comebackOf, createPayload, type Comeback } from "./comeback";
import { describeError } from "./describeError";
import { Door } from "./door";
import type { ConnectionEvents, Emit } from "./events";
import { IntegrityWatch } from "./integrityWatch";
import { lifecycleView, type ConnectionStatus, type CreateOptions, type JoinedRoom } from "./joined";
import { lookupRoomType } from "./lookup";
import { fanOutMessages } from "./messages";
import type { TavernSdk } from "./sdk";

/** Close codes after which we do not try to come back on our own. */
const FINAL_CLOSES = new Set<number>([CLOSE_CODES.CONSENTED, CLOSE_CODES.IDLE, CLOSE_CODES.KICKED, CLOSE_CODES.REPLACED]);
const FIRST_STATE_TIMEOUT_MS = 10_000;

export class RoomLink {
  joined: JoinedRoom | undefined;
  status: ConnectionStatus = "disconnected";
  readonly door: Door;
  readonly integrity: IntegrityWatch;
  private comeback: Comeback | undefined;
  private lastCreate: CreateOptions = { config: {} };
  private recovering = false;

  constructor(
    private readonly endpoint: string,
    private readonly sdk: TavernSdk,
    selfId: () => string,
    private readonly emit: Emit<ConnectionEvents>,
  ) {
    this.door = new Door(sdk, emit);
    this.integrity = new IntegrityWatch({ selfId, joined: () => this.joined, resync: (joined) => this.resync(joined) });
  }

  async create(type: RoomType, options: CreateOptions): Promise<JoinedRoom> {
    this.lastCreate = options;
    return this.enter(() => this.open(type, "create", createPayload(options)));
  }

  /**
   * Joins the room with this code. Codes do not say which type of room they open, so unless the
   * caller knows (the public list does), the type comes from the lookup endpoint first.
   */
  async joinByCode(code: string, spectator = false, type?: RoomType): Promise<JoinedRoom> {
    const roomType = type ?? (await lookupRoomType(this.endpoint, code));
    try {
      return await this.enter(() => this.open(roomType, "join", { code, spectator }), spectator);
    } catch (err) {
      if ((err as ErrorBody).code !== "KNOCK_REQUIRED") throw err;
    }
    return this.door.knock(roomType, code, () =>
      this.enter(() => this.open(roomType, "join", { code, spectator, knock: true }), spectator),
    );
  }

  /** Leaves on purpose (no recovery). */
  async leave(): Promise<void> {
    const room = this.joined?.room;
    this.comeback = undefined;
    this.detach();
    if (room?.connection.isOpen) await Promise.race([room.leave(true), new Promise((r) => setTimeout(r, 1000))]);
    this.setStatus("disconnected");
  }

  /** True when there is a room to go back to (the Rejoin button). */
  get canRecover(): boolean {
    return this.comeback !== undefined;
  }

  /**
   * Comes back to the same room after the SDK's own reconnection gave up (for example the server
   * restarted): join by code again with the same token, or re-create the room under its code.
   */
  async recover(): Promise<void> {
    const comeback = this.comeback;
    if (!comeback || this.recovering) return;
    this.recovering = true;
    this.setStatus("reconnecting");
    const { code, type, spectator } = comeback;
    try {
      const back = await comeBack(comeback, {
        rejoin: () => this.joinByCode(code, spectator, type),
        recreate: () => {
          this.lastCreate = comeback.restore;
          return this.enter(() => this.open(type, "create", { ...createPayload(comeback.restore), restoreCode: code }));
        },
        notice: (text) => this.emit("notice", { text, kind: "error" }),
      });
      if (back) return;
      this.comeback = undefined;
      this.detach();
      this.setStatus("disconnected");
    } finally {
      this.recovering = false;
    }
  }

  private setStatus(status: ConnectionStatus): void {
    this.status = status;
    this.emit("status", status);
  }

  private async open(type: RoomType, how: "create" | "join", options: Record<string, unknown>): Promise<JoinedRoom> {
    if (type === "table") return { type, room: await this.sdk[how](type, options, TableState) };
    if (type === "cabo") return { type, room: await this.sdk[how](type, options, CaboState) };
    return { type, room: await this.sdk[how](type, options, SpaceState) };
  }

  private async enter(open: () => Promise<JoinedRoom>, spectator = false): Promise<JoinedRoom> {
    let joined: JoinedRoom;
    try {
      joined = await open();
    } catch (err) {
      throw toErrorBody(err);
    }
    await this.firstState(joined);
    this.attach(joined, spectator);
    return joined;
  }

  /**
   * A join resolves before the room's first full state arrives; until then `room.state` holds
   * the schema's local defaults (nested instances the decoder does not know, which callbacks
   * refuse). Screens start only once the real state is decoded.
   */
  private async firstState(joined: JoinedRoom): Promise<void> {
    const room = lifecycleView(joined);
    if (room.state?.code) return;
    const arrived = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), FIRST_STATE_TIMEOUT_MS);
      room.onStateChange.once(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    if (arrived) return;
    if (room.connection.isOpen) void room.leave(true);
    throw { code: "INTERNAL_ERROR", message: "The room sent no state in time: try again." } satisfies ErrorBody;
  }

  private attach(joined: JoinedRoom, spectator: boolean): void {
    this.detach();
    this.joined = joined;
    const room = lifecycleView(joined);
    // Refreshed at every patch: recovery must work from what we knew last, even after the room is gone.
    const remember = () => {
      if (joined.room.state?.code) this.comeback = comebackOf(joined, spectator, this.lastCreate);
    };
    remember(); // the first state is already decoded: a page that gets no further patch can still come back
    room.onStateChange(remember);
    fanOutMessages(joined, this.emit);
    room.onDrop(() => {
      if (this.joined === joined) this.setStatus("reconnecting");
    });
    room.onReconnect(() => {
      if (this.joined !== joined) return;
      this.setStatus("connected");
      void this.integrity.check();
    });
    room.onLeave((code) => {
      if (this.joined !== joined) return;
      if (FINAL_CLOSES.has(code)) {
        this.comeback = undefined;
        this.detach();
        this.setStatus("disconnected");
        return;
      }
      void this.recover();
    });
    this.integrity.start(joined);
    this.setStatus("connected");
    this.emit("room", joined);
  }

  private detach(): void {
    this.integrity.stop();
    if (this.joined) {
      this.joined.room.removeAllListeners();
      this.joined = undefined;
      this.emit("knocks", []);
      this.emit("room", undefined);
    }
  }

  private async resync(joined: JoinedRoom): Promise<void> {
    // Joining again replaces this connection (the server closes it as REPLACED): that close, and
    // its "another tab" notice, are part of the resync, not news for the user.
    joined.room.removeAllListeners();
    try {
      await this.joinByCode(joined.room.state.code, this.comeback?.spectator ?? false, joined.type);
    } catch (err) {
      this.emit("notice", { text: describeError(err), kind: "error" });
      if (this.joined === joined) void this.recover();
    }
  }
}
