/**
 * The map, loaded on demand: Phaser and the scenes are a chunk of their own (stage.ts), so a new
 * player's first paint needs only the lobby. `prefetch()` fetches that chunk in the background once
 * the lobby is on screen; `load()` creates the game the first time a room needs it.
 */
import type { Stage, StageOptions } from "./stage";

const loadModule = () => import("./stage");

export class LazyStage {
  private loading: Promise<Stage> | undefined;
  private stage: Stage | undefined;

  constructor(private readonly options: StageOptions) {}

  /** The game, once created (undefined before the first room that needs it). */
  get current(): Stage | undefined {
    return this.stage;
  }

  /** Fetches the game's code without running it, so the first room does not wait for it. */
  prefetch(): void {
    // A failure here is retried, and reported, by load().
    loadModule().catch(() => undefined);
  }

  /** The game, created on the first call. A failed load (the network, a build replaced since) is retried at the next call. */
  load(): Promise<Stage> {
    this.loading ??= loadModule().then(
      ({ createStage }) => (this.stage = createStage(this.options)),
      (err: unknown) => {
        this.loading = undefined;
        throw err;
      },
    );
    return this.loading;
  }

  stopAll(): void {
    this.stage?.stopAll();
  }
}
