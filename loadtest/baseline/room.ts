/**
 * One baseline room as plain data: seats, host, avatars and held directions. It knows nothing of
 * sockets; the caller decides how changes travel. Movement follows server/src/rooms/SpaceRoom.ts
 * step for step (same shared rules), so the baselines simulate exactly what Tavern simulates.
 */
import type { Phase } from "@tavern/shared/protocol";
import { SPACE_MAP, spawnPoint, step } from "@tavern/shared/spaceMap";
import { pickNextHost } from "../../server/src/domain/lobby/rules";
import type { AvatarView, PlayerView, RoomView } from "./wire";

export class BaselineRoom {
  hostId = "";
  readonly phase: Phase = "lobby";
  private readonly players = new Map<string, PlayerView>();
  private readonly avatars = new Map<string, AvatarView>();
  /** Last held direction per player; absent means standing still (as in SpaceRoom). */
  private readonly intents = new Map<string, { dx: number; dy: number }>();
  private spawned = 0;

  constructor(
    readonly code: string,
    readonly capacity: number,
  ) {}

  get size(): number {
    return this.players.size;
  }

  isFull(): boolean {
    return this.players.size >= this.capacity;
  }

  /** Seats a newcomer; the first player (or the first after the room had no host) hosts. */
  add(id: string, name: string): { player: PlayerView; avatar: AvatarView } {
    const player: PlayerView = { id, name, role: "player", connected: true, ready: false, joinedAt: Date.now() };
    if (this.hostId === "") {
      player.role = "host";
      this.hostId = id;
    }
    const spawn = spawnPoint(SPACE_MAP, this.spawned++);
    const avatar: AvatarView = { x: spawn.x, y: spawn.y, facing: "down", moving: false };
    this.players.set(id, player);
    this.avatars.set(id, avatar);
    return { player, avatar };
  }

  /** Removes a seat; returns whether the host changed (Tavern migrates the host the same way). */
  remove(id: string): { removed: boolean; hostChanged: boolean } {
    if (!this.players.delete(id)) return { removed: false, hostChanged: false };
    this.avatars.delete(id);
    this.intents.delete(id);
    if (this.hostId !== id) return { removed: true, hostChanged: false };
    const next = pickNextHost(this.players.entries(), id);
    this.hostId = next ?? "";
    const nextPlayer = next === undefined ? undefined : this.players.get(next);
    if (nextPlayer) nextPlayer.role = "host";
    return { removed: true, hostChanged: true };
  }

  hold(id: string, dx: number, dy: number): void {
    if (this.players.has(id)) this.intents.set(id, { dx, dy });
  }

  /**
   * One fixed step of dt seconds. Adds to `changed` the id of every avatar whose synced fields
   * differ afterwards: what a schema patch would carry, and what the baselines must send.
   */
  step(dt: number, changed: Set<string>): void {
    for (const [id, intent] of this.intents) {
      const avatar = this.avatars.get(id);
      if (!avatar) {
        this.intents.delete(id);
        continue;
      }
      if (intent.dx === 0 && intent.dy === 0) {
        if (avatar.moving) changed.add(id);
        avatar.moving = false;
        this.intents.delete(id);
        continue;
      }
      const next = step(SPACE_MAP, avatar, intent.dx, intent.dy, dt);
      const moved = next.x !== avatar.x || next.y !== avatar.y;
      if (moved || next.facing !== avatar.facing || moved !== avatar.moving) changed.add(id);
      avatar.x = next.x;
      avatar.y = next.y;
      avatar.facing = next.facing;
      avatar.moving = moved;
    }
  }

  player(id: string): PlayerView | undefined {
    return this.players.get(id);
  }

  avatar(id: string): AvatarView | undefined {
    return this.avatars.get(id);
  }

  view(): RoomView {
    return {
      code: this.code,
      hostId: this.hostId,
      phase: this.phase,
      players: [...this.players.values()],
      avatars: Object.fromEntries(this.avatars),
    };
  }
}
