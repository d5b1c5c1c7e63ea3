/**
 * A room type that exists only in tests: the shared lifecycle plus requests that fail on purpose,
 * to prove that a throwing handler or timer does not take down the room or the process.
 */
import { z } from "zod";
import { SpaceState } from "@tavern/shared/state";
import { LifecycleRoom } from "../../src/lifecycle/LifecycleRoom";

export class ProbeRoom extends LifecycleRoom<SpaceState> {
  protected readonly roomType = "probe";

  protected createState(): SpaceState {
    return new SpaceState();
  }

  protected override registerRoomRequests(): void {
    const none = z.object({}).strict().optional();
    this.handleRequest("throwSync", none, () => {
      throw new Error("probe: synchronous failure");
    });
    this.handleRequest("throwAsync", none, async () => {
      await new Promise((r) => setTimeout(r, 5));
      throw new Error("probe: asynchronous failure");
    });
    this.handleRequest("throwInTimer", none, () => {
      this.clock.setTimeout(() => {
        throw new Error("probe: failure inside a timer");
      }, 10);
      return { scheduled: true };
    });
    this.onMessage("throwOnSend", () => {
      throw new Error("probe: failure in a plain message handler");
    });
  }
}

/** How long SlowCreateProbeRoom's onCreate waits first: several patch intervals (50 ms each). */
export const SLOW_CREATE_MS = 300;

/**
 * A probe whose creation waits, as one does on a loaded database or Redis: Colyseus runs the
 * room's patch interval meanwhile, before the state exists.
 */
export class SlowCreateProbeRoom extends ProbeRoom {
  override async onCreate(options: unknown): Promise<void> {
    await new Promise((r) => setTimeout(r, SLOW_CREATE_MS));
    await super.onCreate(options);
  }
}
