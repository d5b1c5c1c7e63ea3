/**
 * The space's art as the scenes load it: the Tiled map, its tileset and the avatars' atlas made by
 * scripts/art (served from client/public/art/space), and the walk animations built from it.
 */
import type * as Phaser from "phaser";
import { CHARACTERS, SHEET_DIRECTIONS, WALK_FRAMES, characterFrame } from "@tavern/shared/characters";
import type { Facing } from "@tavern/shared/spaceMap";

// Relative to the page, like the rest of the client's files (Vite's public folder is served at its root).
const ASSET_URL = "art/space/";

export const SPACE_ART = {
  map: "space-map",
  tiles: "space-tiles",
  characters: "characters",
  /** The tileset's name inside the Tiled map (scripts/art/tiledMap.ts). */
  tilesetName: "tavern",
  layers: ["floor", "walls", "props"],
} as const;

/** Walk cycles per second: at the avatars' speed a stride covers about half a tile. */
const WALK_FRAME_RATE = 8;

/** Queues the space's files on a scene's loader (a no-op for what the game already holds). */
export function loadSpaceArt(load: Phaser.Loader.LoaderPlugin): void {
  load.tilemapTiledJSON(SPACE_ART.map, `${ASSET_URL}space.tmj`);
  load.image(SPACE_ART.tiles, `${ASSET_URL}tiles.png`);
  load.atlas(SPACE_ART.characters, `${ASSET_URL}characters.png`, `${ASSET_URL}characters.json`);
}

export const walkAnimation = (characterId: string, facing: Facing): string => `${characterId}-walk-${facing}`;

/** The walk animations of every character, made once for the whole game (animations are global). */
export function createWalkAnimations(anims: Phaser.Animations.AnimationManager): void {
  for (const { id } of CHARACTERS)
    for (const facing of SHEET_DIRECTIONS) {
      const key = walkAnimation(id, facing);
      if (anims.exists(key)) continue;
      const frames = Array.from({ length: WALK_FRAMES }, (_, f) => ({ key: SPACE_ART.characters, frame: characterFrame(id, facing, f) }));
      anims.create({ key, frames, frameRate: WALK_FRAME_RATE, repeat: -1 });
    }
}

/** The map from its Tiled JSON, every layer drawn under the avatars. */
export function drawSpaceMap(scene: Phaser.Scene): Phaser.Tilemaps.Tilemap {
  const map = scene.make.tilemap({ key: SPACE_ART.map });
  const tiles = map.addTilesetImage(SPACE_ART.tilesetName, SPACE_ART.tiles);
  if (!tiles) throw new Error("the space map's tileset is missing");
  for (const name of SPACE_ART.layers) map.createLayer(name, tiles, 0, 0)?.setDepth(-1);
  return map;
}
