/**
 * Knocking at a locked room: the join is made again asking to knock, and the server holds it
 * until the host answers, so the wait is that one join. "knock" events tell the screens it waits.
 */
import type { Room } from "@colyseus/sdk";
import type { ErrorBody } from "@tavern/shared/errors";
import type { RoomType } from "@tavern/shared/protocol";
import type { ConnectionEvents, Emit, Knocking } from "./events";
import type { JoinedRoom } from "./joined";
import type { TavernSdk } from "./sdk";

export class Door {
  /** The knock waiting for an answer, if any (one at a time), and its room once the SDK made it. */
  private knocking: Knocking | undefined;
  private knockRoom: Room | undefined;
  private cancelled = false;

  constructor(
    private readonly sdk: TavernSdk,
    private readonly emit: Emit<ConnectionEvents>,
  ) {}

  get isKnocking(): boolean {
    return this.knocking !== undefined;
  }

  /** `join` is the join that asks to knock; it resolves once the host let us in. */
  async knock(type: RoomType, code: string, join: () => Promise<JoinedRoom>): Promise<JoinedRoom> {
    if (this.knocking) throw { code: "RATE_LIMITED", message: "You are already knocking at a room." } satisfies ErrorBody;
    const knocking: Knocking = { code: code.trim().toUpperCase() };
    this.knocking = knocking;
    this.cancelled = false;
    const stopWatching = this.sdk.nextRoom(type, (room) => {
      this.knockRoom = room;
      // Given up while the seat was being reserved: close as soon as the SDK has connected it.
      if (this.cancelled) queueMicrotask(() => room.connection?.close());
    });
    this.emit("knock", knocking);
    try {
      return await join();
    } catch (err) {
      if (this.cancelled) throw { code: "KNOCK_UNANSWERED", message: "You stopped knocking." } satisfies ErrorBody;
      throw err;
    } finally {
      stopWatching();
      this.knocking = undefined;
      this.knockRoom = undefined;
      this.emit("knock", undefined);
    }
  }

  /** Gives up a knock that is waiting: closing its socket withdraws it on the server. */
  cancel(): void {
    if (!this.knocking) return;
    this.cancelled = true;
    this.knockRoom?.connection?.close();
  }
}
