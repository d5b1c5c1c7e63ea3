/** The shared 2D space. For now: the shared lifecycle only (avatars and movement extend it). */
import type { AuthContext } from "@colyseus/core";
import { SpaceState } from "../../../shared/src/state";
import { LifecycleRoom } from "../lifecycle/LifecycleRoom";
import { authorizeJoin } from "../lifecycle/joinGate";

export class SpaceRoom extends LifecycleRoom<SpaceState> {
  protected readonly roomType = "space" as const;

  static override async onAuth(token: string, options: unknown, _context: AuthContext) {
    return authorizeJoin("space", token, options);
  }

  protected createState(): SpaceState {
    return new SpaceState();
  }
}
