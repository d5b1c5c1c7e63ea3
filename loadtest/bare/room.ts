/**
 * A bare Colyseus 0.18 room running Tavern's shared-space workload: the same map, spawn rule,
 * movement rule and 20 Hz fixed step (shared/src/spaceMap.ts), with nothing else: no sign-in, no
 * seat book, no codes, no audit, no listing, no hashes. The load scripts compare Tavern's `space`
 * room against it, so the report shows what Tavern's guarantees cost on top of the framework.
 */
import { Room, type Client } from "@colyseus/core";
import { SPACE_MAP, clampDirection, step } from "@tavern/shared/spaceMap";
import { chooseSpawn } from "../../server/src/domain/space/spawn";
import { BarePlayer, BareState } from "./state";

const TICK_RATE = 20;
const MAX_CAPACITY = 500;

interface BareOptions {
  name?: unknown;
  capacity?: unknown;
}

export class BareSpaceRoom extends Room<{ state: BareState }> {
  override state = new BareState();
  private readonly directions = new Map<string, { dx: number; dy: number }>();
  private movedSincePatch = false;

  override onCreate(options: BareOptions): void {
    const capacity = Number(options.capacity);
    this.maxClients = Number.isInteger(capacity) && capacity >= 1 && capacity <= MAX_CAPACITY ? capacity : MAX_CAPACITY;
    this.onMessage("move", (client, message: unknown) => {
      const { dx, dy } = (message ?? {}) as { dx?: unknown; dy?: unknown };
      if (typeof dx !== "number" || typeof dy !== "number" || !Number.isFinite(dx) || !Number.isFinite(dy)) return;
      this.directions.set(client.sessionId, clampDirection(dx, dy));
    });
    this.setSimulationInterval((dt) => this.moveAll(dt / 1000), 1000 / TICK_RATE);
  }

  override onJoin(client: Client, options: BareOptions): void {
    const player = new BarePlayer();
    player.name = typeof options.name === "string" ? options.name.slice(0, 40) : "";
    const spawn = chooseSpawn(SPACE_MAP, this.state.players.values());
    player.x = spawn.x;
    player.y = spawn.y;
    this.state.players.set(client.sessionId, player);
  }

  override onLeave(client: Client): void {
    this.state.players.delete(client.sessionId);
    this.directions.delete(client.sessionId);
  }

  override onBeforePatch(): void {
    if (!this.movedSincePatch) return;
    this.movedSincePatch = false;
    this.state.serverTime = Date.now();
  }

  private moveAll(dt: number): void {
    for (const [sessionId, { dx, dy }] of this.directions) {
      const player = this.state.players.get(sessionId);
      if (!player || (dx === 0 && dy === 0)) {
        this.directions.delete(sessionId);
        continue;
      }
      const next = step(SPACE_MAP, { x: player.x, y: player.y, facing: "down" }, dx, dy, dt);
      if (next.x === player.x && next.y === player.y) continue;
      player.x = next.x;
      player.y = next.y;
      this.movedSincePatch = true;
    }
  }
}
