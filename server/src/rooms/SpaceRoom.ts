/**
 * The shared 2D space: the lifecycle plus avatars. Clients send input (a held direction or a
 * target point); the server moves every avatar at a fixed tick with the rules of spaceMap.ts.
 */
import { spaceContract } from "@tavern/shared/contract";
import { AvatarState, SpaceState, avatarsOf, type PlayerState } from "@tavern/shared/state";
import { SPACE_MAP, directionToward, step } from "@tavern/shared/spaceMap";
import { chooseSpawn } from "../domain/space/spawn";
import { LifecycleRoom } from "../lifecycle/LifecycleRoom";

const TICK_RATE = 20;

type Intent = { kind: "direction"; dx: number; dy: number } | { kind: "target"; x: number; y: number };

export class SpaceRoom extends LifecycleRoom<SpaceState> {
  protected readonly roomType = "space";
  /** What each player asked for last; kept out of the synced state. */
  private readonly intents = new Map<string, Intent>();
  /** An avatar changed since the last patch, so the next one carries a fresh serverTime. */
  private movedSincePatch = false;

  protected createState(): SpaceState {
    return new SpaceState();
  }

  protected override registerRoomRequests(): void {
    this.handle(spaceContract, "move", ({ playerId }, { dx, dy }) => {
      this.intents.set(playerId, { kind: "direction", dx, dy });
    });
    this.handle(spaceContract, "moveTo", ({ playerId }, { x, y }) => {
      this.intents.set(playerId, { kind: "target", x, y });
    });
    // A random phase, like the patches (LifecycleRoom.dephasePatches): rooms created together
    // must not all step in the same event-loop turn.
    this.clock.setTimeout(() => this.setFixedTimestep((ctx) => this.moveAvatars(ctx.dt), TICK_RATE), Math.random() * (1000 / TICK_RATE));
  }

  override onBeforePatch(): void {
    if (this.movedSincePatch) {
      this.movedSincePatch = false;
      this.state.serverTime = Date.now();
    }
    super.onBeforePatch(); // after the stamp: the state hash covers what this patch carries
  }

  protected override onSeatAdded(playerId: string, seat: PlayerState): void {
    if (seat.role === "spectator") return;
    const spawn = chooseSpawn(SPACE_MAP, this.avatars());
    const avatar = new AvatarState();
    avatar.x = spawn.x;
    avatar.y = spawn.y;
    seat.avatar = avatar;
  }

  // The avatar leaves with its seat.
  protected override onSeatRemoved(playerId: string): void {
    this.intents.delete(playerId);
  }

  private *avatars(): Generator<AvatarState> {
    for (const [, avatar] of avatarsOf(this.state)) yield avatar;
  }

  private moveAvatars(dt: number): void {
    for (const [playerId, intent] of this.intents) {
      const player = this.state.players.get(playerId);
      const avatar = player?.avatar;
      if (!avatar || !player?.connected) {
        this.intents.delete(playerId);
        if (avatar) this.stop(avatar);
        continue;
      }
      const dir = intent.kind === "direction" ? intent : directionToward(avatar, intent, dt);
      if (dir.dx === 0 && dir.dy === 0) {
        this.stop(avatar);
        this.intents.delete(playerId);
        continue;
      }
      // step() keeps positions at float32, the precision the patch carries (see spaceMap.ts).
      const next = step(SPACE_MAP, avatar, dir.dx, dir.dy, dt);
      const { x, y } = next;
      const moved = x !== avatar.x || y !== avatar.y;
      if (moved || avatar.moving || next.facing !== avatar.facing) this.movedSincePatch = true;
      avatar.x = x;
      avatar.y = y;
      avatar.facing = next.facing;
      avatar.moving = moved;
      // A target that cannot be reached (walked into a wall) is dropped rather than pushed forever.
      if (!moved && intent.kind === "target") this.intents.delete(playerId);
    }
  }

  private stop(avatar: AvatarState): void {
    if (!avatar.moving) return;
    avatar.moving = false;
    this.movedSincePatch = true;
  }
}
