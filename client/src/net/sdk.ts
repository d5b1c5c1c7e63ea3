/**
 * The SDK client, able to hand over a room it is still opening: join() gives the room out only
 * once joined, and a join that waits (a knock) must be possible to give up before that.
 */
import { Client, type Room } from "@colyseus/sdk";

export class TavernSdk extends Client {
  private waiting: { roomName: string; take: (room: Room) => void } | undefined;

  /** Hands the next room of this name the SDK makes to `take`; the returned function stops waiting. */
  nextRoom(roomName: string, take: (room: Room) => void): () => void {
    const waiting = { roomName, take };
    this.waiting = waiting;
    return () => {
      if (this.waiting === waiting) this.waiting = undefined;
    };
  }

  // Room's first type parameter is the server room class, which this side does not know.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK's own signature: the server room type has no client-side counterpart
  protected override createRoom<T>(roomName: string, rootSchema?: ConstructorParameters<typeof Room<unknown, T>>[1]): Room<any, T> {
    const room = super.createRoom<T>(roomName, rootSchema);
    const waiting = this.waiting;
    if (waiting?.roomName === roomName) {
      this.waiting = undefined;
      waiting.take(room as Room);
    }
    return room;
  }
}
