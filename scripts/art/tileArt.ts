/**
 * The space's tileset: wooden floor, stone walls (top and front face), a rug (nine pieces, so it
 * gets a border whatever its size), tables and barrels. Tiles are 16 x 16 art pixels (32 x 32 in
 * the PNG, the map's TILE_SIZE). Noise comes from a fixed seed: the same script makes the same bytes.
 */
import { Pixels, drawPattern, hex, shade, type Rgba } from "./pixels";

export const TILE = 16;
export const TILESET_COLUMNS = 8;

/** Every tile of the set, in order (its index is its Tiled tile id). */
export const TILE_NAMES = [
  "floorA",
  "floorB",
  "floorC",
  "wallTop",
  "wallFront",
  "rugTopLeft",
  "rugTop",
  "rugTopRight",
  "rugLeft",
  "rugMiddle",
  "rugRight",
  "rugBottomLeft",
  "rugBottom",
  "rugBottomRight",
  "tableLeft",
  "tableRight",
  "barrel",
] as const;
export type TileName = (typeof TILE_NAMES)[number];

/** Tiles avatars cannot walk into (the map's collision; the server's rule is spaceMap.ts). */
export const BLOCKING_TILES: ReadonlySet<TileName> = new Set<TileName>(["wallTop", "wallFront", "tableLeft", "tableRight", "barrel"]);

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WOOD = hex("#7a5534");
const WOOD_DARK = hex("#5a3c24");
const STONE = hex("#4a4150");
const STONE_DARK = hex("#352e3b");
const BRICK = hex("#8a7664");
const MORTAR = hex("#4e4038");
const RUG = hex("#8e2c2c");
const RUG_DARK = hex("#6e1f24");
const RUG_GOLD = hex("#d4a843");

/** Planks running left to right, 4 art pixels wide, with seams at staggered places. */
function floor(p: Pixels, seed: number): void {
  const rnd = random(seed);
  for (let plank = 0; plank < 4; plank++) {
    const y = plank * 4;
    const tone = shade(WOOD, (rnd() - 0.5) * 0.16);
    p.rect(0, y, TILE, 4, tone);
    p.rect(0, y, TILE, 1, shade(tone, 0.08));
    p.rect(0, y + 3, TILE, 1, WOOD_DARK);
    const seam = Math.floor(rnd() * TILE);
    p.rect(seam, y, 1, 3, WOOD_DARK);
    // Grain: a few short darker streaks.
    for (let g = 0; g < 2; g++) p.rect(Math.floor(rnd() * 13), y + 1 + Math.floor(rnd() * 2), 3, 1, shade(tone, -0.12));
  }
  if (seed % 3 === 2) drawPattern(p, 9, 5, ["oo", "oo"], { o: shade(WOOD_DARK, -0.2) }); // a knot
}

function wallTop(p: Pixels): void {
  const rnd = random(7);
  p.rect(0, 0, TILE, TILE, STONE);
  for (let i = 0; i < 26; i++) p.set(Math.floor(rnd() * TILE), Math.floor(rnd() * TILE), rnd() < 0.5 ? STONE_DARK : shade(STONE, 0.1));
  p.rect(0, 0, TILE, 1, shade(STONE, 0.15));
  p.rect(0, TILE - 1, TILE, 1, STONE_DARK);
}

/** The face of a wall seen from the room below it: a stone cap, then courses of bricks. */
function wallFront(p: Pixels): void {
  const rnd = random(11);
  p.rect(0, 0, TILE, 4, STONE);
  p.rect(0, 0, TILE, 1, shade(STONE, 0.15));
  p.rect(0, 3, TILE, 1, STONE_DARK);
  p.rect(0, 4, TILE, 12, MORTAR);
  for (let course = 0; course < 3; course++) {
    const y = 4 + course * 4;
    const offset = course % 2 === 0 ? 0 : 4;
    for (let x = -offset; x < TILE; x += 8) {
      const tone = shade(BRICK, (rnd() - 0.5) * 0.2);
      p.rect(x + 1, y + 1, 7, 3, tone);
      p.rect(x + 1, y + 1, 7, 1, shade(tone, 0.12));
    }
  }
  p.rect(0, TILE - 1, TILE, 1, shade(MORTAR, -0.3)); // the foot of the wall, in shadow
}

/** A rug piece: red field, a gold border on the sides named, a diamond pattern inside. */
function rug(p: Pixels, edges: { top: boolean; bottom: boolean; left: boolean; right: boolean }): void {
  floor(p, 3); // the rug lies on the floor: its fringe shows the planks
  const inset = { top: edges.top ? 2 : 0, bottom: edges.bottom ? 2 : 0, left: edges.left ? 1 : 0, right: edges.right ? 1 : 0 };
  const x0 = inset.left;
  const y0 = inset.top;
  const w = TILE - inset.left - inset.right;
  const h = TILE - inset.top - inset.bottom;
  p.rect(x0, y0, w, h, RUG);
  for (let y = y0; y < y0 + h; y++)
    for (let x = x0; x < x0 + w; x++) {
      const d = (Math.abs((x % 8) - 4) + Math.abs((y % 8) - 4)) % 8;
      if (d === 3) p.set(x, y, RUG_DARK);
    }
  if (edges.top) p.rect(x0, y0, w, 2, RUG_GOLD);
  if (edges.bottom) p.rect(x0, y0 + h - 2, w, 2, RUG_GOLD);
  if (edges.left) p.rect(x0, y0, 2, h, RUG_GOLD);
  if (edges.right) p.rect(x0 + w - 2, y0, 2, h, RUG_GOLD);
  // Fringe beyond the short edges.
  for (let y = y0 + 1; y < y0 + h; y += 2) {
    if (edges.left) p.set(0, y, RUG_GOLD);
    if (edges.right) p.set(TILE - 1, y, RUG_GOLD);
  }
}

const PROP_PALETTE: Record<string, Rgba> = {
  o: hex("#2a1c14"), // outline
  t: hex("#a0703f"), // table top
  T: hex("#b88450"), // its highlight
  e: hex("#6e4624"), // its edge
  l: hex("#4e3219"), // legs
  m: hex("#d9d2c0"), // mug
  f: hex("#f3e3a0"), // ale foam
  w: hex("#f0e6d2"), // candle
  y: hex("#ffcc4d"), // flame
  s: hex("#00000055"), // shadow
};

/** The left half of a two-tile table (the right half is its mirror image). */
const TABLE_HALF = [
  "................",
  "................",
  "................",
  "..oooooooooooooo",
  ".oTTTTTTTTTTTTTT",
  ".otttttttttttttt",
  ".otttttttttttttt",
  ".otttttttttttttt",
  ".otttttttttttttt",
  ".otttttttttttttt",
  ".otttttttttttttt",
  ".oeeeeeeeeeeeeee",
  ".oleeeeeeeeeeeee",
  "..ll............",
  "..ll............",
  "..ssssssssssssss",
];
/** A mug of ale on the left half; a candle on the right. */
const MUG = [".ff.", "mffm", "mmmmm", "mmm.."].map((r) => r.padEnd(5, "."));
const CANDLE = [".y.", ".w.", ".w.", ".w.", "ooo"];

function tableHalf(p: Pixels, side: "left" | "right"): void {
  const half = new Pixels(TILE, TILE);
  drawPattern(half, 0, 0, TABLE_HALF, PROP_PALETTE);
  p.blit(half, 0, 0, side === "right");
  if (side === "left") drawPattern(p, 6, 5, MUG, PROP_PALETTE);
  else drawPattern(p, 7, 1, CANDLE, PROP_PALETTE);
}

const BARREL_PALETTE: Record<string, Rgba> = {
  o: hex("#24170f"),
  w: hex("#8a5a32"), // staves
  W: hex("#a26d3f"), // lit staves
  d: hex("#66401f"), // dark staves
  i: hex("#5c5f66"), // iron band
  I: hex("#8d929b"), // lit iron
  t: hex("#b07a45"), // lid
  s: hex("#00000055"),
};
const BARREL = [
  "................",
  "....oooooooo....",
  "...otttttttto...",
  "..ottdtttdttto..",
  "..oIIIIIIIIIIo..",
  "..oWwwwdwwwwdo..",
  ".oWWwwwdwwwwwdo.",
  ".oWwwwwdwwwwwdo.",
  ".oIiiiiiiiiiiio.",
  ".oWwwwwdwwwwwdo.",
  ".oWwwwwdwwwwwdo.",
  "..oWwwwdwwwwdo..",
  "..oIiiiiiiiiio..",
  "...ooooooooo....",
  "..sssssssssss...",
  "................",
];

export function drawTile(name: TileName): Pixels {
  const p = new Pixels(TILE, TILE);
  switch (name) {
    case "floorA":
      floor(p, 1);
      break;
    case "floorB":
      floor(p, 4);
      break;
    case "floorC":
      floor(p, 5);
      break;
    case "wallTop":
      wallTop(p);
      break;
    case "wallFront":
      wallFront(p);
      break;
    case "tableLeft":
      tableHalf(p, "left");
      break;
    case "tableRight":
      tableHalf(p, "right");
      break;
    case "barrel":
      drawPattern(p, 0, 0, BARREL, BARREL_PALETTE);
      break;
    default: {
      const part = name.slice(3); // "TopLeft", "Middle", ...
      rug(p, {
        top: part.startsWith("Top"),
        bottom: part.startsWith("Bottom"),
        left: part.endsWith("Left"),
        right: part.endsWith("Right"),
      });
    }
  }
  return p;
}

/** The tileset image, TILESET_COLUMNS tiles a row. */
export function drawTileset(): Pixels {
  const rows = Math.ceil(TILE_NAMES.length / TILESET_COLUMNS);
  const sheet = new Pixels(TILE * TILESET_COLUMNS, TILE * rows);
  TILE_NAMES.forEach((name, i) => sheet.blit(drawTile(name), (i % TILESET_COLUMNS) * TILE, Math.floor(i / TILESET_COLUMNS) * TILE));
  return sheet;
}
