/**
 * Colyseus constructs a room with no arguments (`new klass()`) and calls its static `onAuth`
 * unbound. A Tavern room type takes the server's services in its constructor instead of reading a
 * global; binding makes a class Colyseus can construct, with the services and the join check of
 * this server closed over.
 */
import type { AuthContext, Room } from "@colyseus/core";
import type { RoomServices } from "../services";

export type OnAuth = (token: string, options: unknown, context: AuthContext) => Promise<unknown>;

/** A room type as Tavern writes it: constructed with the services. */
export type ServedRoomClass<R extends Room> = new (svc: RoomServices) => R;

export function bindRoom<R extends Room>(Klass: ServedRoomClass<R>, svc: RoomServices, onAuth: OnAuth): new () => R {
  // The cast widens the instance type so the class expression may extend it; the result is R again.
  const Base = Klass as ServedRoomClass<Room>;
  const Bound = class extends Base {
    static onAuth = onAuth;
    constructor() {
      super(svc);
    }
  };
  Object.defineProperty(Bound, "name", { value: Klass.name });
  return Bound as unknown as new () => R;
}
