/**
 * The Phaser game and its scenes: the game chunk, loaded only when a room needs the map (see
 * lazyStage.ts). One canvas for every room type; the table scene fits its grid into the same size.
 * It lives in the page for good; the room screen shows it in its grid.
 */
import * as Phaser from "phaser";
import { SPACE_MAP } from "@tavern/shared/spaceMap";
import { SCENES, type SceneData, type SceneKey, type Scenes } from "./scenes";

export interface StageOptions {
  /** Id of the element the canvas goes into. */
  parent: string;
  /** Frames per second at most; 0 for the display's rate. */
  fpsLimit: number;
}

export interface Stage {
  readonly scenes: Scenes;
  start<K extends SceneKey>(key: K, data: SceneData<K>): void;
  stopAll(): void;
}

export function createStage({ parent, fpsLimit }: StageOptions): Stage {
  const game = new Phaser.Game({
    type: Phaser.AUTO,
    parent,
    width: SPACE_MAP.width,
    height: SPACE_MAP.height,
    backgroundColor: "#1d1b22",
    // The canvas shrinks with its slot (narrow windows) and keeps the map's aspect; input follows.
    scale: { mode: Phaser.Scale.FIT },
    fps: fpsLimit > 0 ? { limit: fpsLimit } : {},
    scene: [],
  });
  const keys = Object.keys(SCENES) as SceneKey[];
  const scenes = Object.fromEntries(keys.map((key) => [key, new SCENES[key]()])) as Scenes;
  for (const key of keys) game.scene.add(key, scenes[key], false);
  return {
    scenes,
    start: (key, data) => void game.scene.start(key, data),
    stopAll: () => keys.forEach((key) => game.scene.stop(key)),
  };
}
