/**
 * Makes the space's art and writes it where the client serves it (client/public/art/space):
 * the avatars' sprite sheet (PNG + atlas JSON), the tileset PNG, the Tiled map JSON and the
 * monsters' token portraits (PNG + atlas JSON).
 * Run: npx tsx scripts/art/build.ts — the output is committed; re-run after changing the art or
 * the layout in shared/src/spaceMap.ts (a unit test fails while the committed map is stale).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SPACE_MAP, TILE_SIZE } from "@tavern/shared/spaceMap";
import { drawCharacterSheet, FRAME } from "./characterArt";
import { buildTiledMap, TILESET_IMAGE } from "./tiledMap";
import { drawTileset, TILE } from "./tileArt";
import { drawTokenSheet, TOKEN } from "./tokenArt";

export const ASSET_DIR = join(import.meta.dirname, "..", "..", "client", "public", "art", "space");
export const SPACE_MAP_FILE = "space.tmj";
const SCALE = TILE_SIZE / TILE;

function atlasJson(image: string, frames: Map<string, { x: number; y: number }>, size: number, width: number, height: number): string {
  const out: Record<string, unknown> = {};
  for (const [name, { x, y }] of frames) {
    out[name] = {
      frame: { x: x * SCALE, y: y * SCALE, w: size * SCALE, h: size * SCALE },
      rotated: false,
      trimmed: false,
      spriteSourceSize: { x: 0, y: 0, w: size * SCALE, h: size * SCALE },
      sourceSize: { w: size * SCALE, h: size * SCALE },
    };
  }
  const meta = { app: "scripts/art/build.ts", image, format: "RGBA8888", size: { w: width * SCALE, h: height * SCALE }, scale: "1" };
  return `${JSON.stringify({ frames: out, meta }, null, 1)}\n`;
}

function main(): void {
  mkdirSync(ASSET_DIR, { recursive: true });
  const sheet = drawCharacterSheet();
  writeFileSync(join(ASSET_DIR, "characters.png"), sheet.pixels.toPng(SCALE));
  writeFileSync(
    join(ASSET_DIR, "characters.json"),
    atlasJson("characters.png", sheet.frames, FRAME, sheet.pixels.width, sheet.pixels.height),
  );
  writeFileSync(join(ASSET_DIR, TILESET_IMAGE), drawTileset().toPng(SCALE));
  writeFileSync(join(ASSET_DIR, SPACE_MAP_FILE), `${JSON.stringify(buildTiledMap(SPACE_MAP))}\n`);
  const tokens = drawTokenSheet();
  writeFileSync(join(ASSET_DIR, "tokens.png"), tokens.pixels.toPng(SCALE));
  writeFileSync(join(ASSET_DIR, "tokens.json"), atlasJson("tokens.png", tokens.frames, TOKEN, tokens.pixels.width, tokens.pixels.height));
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop() ?? "")) main();
