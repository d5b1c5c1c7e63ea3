/**
 * The committed art agrees with the rules: the Tiled map the client draws blocks exactly the tiles
 * the server blocks, it is what the art script makes from today's layout, and the sprite sheet has
 * every frame the space scene plays.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PNG } from "pngjs";
import { CHARACTERS } from "../src/characters";
import { SPACE_MAP, TILE_SIZE } from "../src/spaceMap";
import { blockedTiles, buildTiledMap, type TiledMap } from "../../scripts/art/tiledMap";
import { DIRECTIONS, WALK_FRAMES, frameName } from "../../scripts/art/characterArt";

const ASSETS = join(import.meta.dirname, "..", "..", "client", "public", "art", "space");
const committedMap = (): TiledMap => JSON.parse(readFileSync(join(ASSETS, "space.tmj"), "utf8")) as TiledMap;

describe("space art", () => {
  it("the Tiled map blocks exactly the tiles the server's movement rule blocks", () => {
    const tiled = committedMap();
    assert.equal(tiled.width, SPACE_MAP.cols);
    assert.equal(tiled.height, SPACE_MAP.rows);
    assert.equal(tiled.tilewidth, TILE_SIZE);
    assert.equal(tiled.orientation, "orthogonal");
    assert.deepEqual(blockedTiles(tiled), SPACE_MAP.walls);
  });

  it("the committed map is what scripts/art makes from the current layout (run it after changing spaceMap.ts)", () => {
    assert.deepEqual(committedMap(), JSON.parse(JSON.stringify(buildTiledMap(SPACE_MAP))));
  });

  it("the embedded tileset's image is committed at the size the map says", () => {
    const [set] = committedMap().tilesets;
    const png = PNG.sync.read(readFileSync(join(ASSETS, set!.image)));
    assert.equal(png.width, set!.imagewidth);
    assert.equal(png.height, set!.imageheight);
    assert.ok(set!.tilecount <= (png.width / TILE_SIZE) * (png.height / TILE_SIZE));
  });

  it("the sprite sheet has four walk frames in four directions for every character, inside its image", () => {
    const atlas = JSON.parse(readFileSync(join(ASSETS, "characters.json"), "utf8")) as {
      frames: Record<string, { frame: { x: number; y: number; w: number; h: number } }>;
      meta: { image: string };
    };
    const png = PNG.sync.read(readFileSync(join(ASSETS, atlas.meta.image)));
    for (const c of CHARACTERS)
      for (const d of DIRECTIONS)
        for (let f = 0; f < WALK_FRAMES; f++) {
          const frame = atlas.frames[frameName(c.id, d, f)]?.frame;
          assert.ok(frame, `${frameName(c.id, d, f)} is missing`);
          assert.ok(frame.x + frame.w <= png.width && frame.y + frame.h <= png.height);
        }
  });
});
