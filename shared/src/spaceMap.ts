/**
 * The shared space's map and movement rules, as plain data and plain functions. The server moves
 * avatars with them at a fixed tick; the client draws the same map.
 */
export const TILE_SIZE = 32;

/**
 * One character a tile: `#` wall, `.` floor, `r` rug (floor), `[` `]` the two halves of a table,
 * `o` a barrel. Walls, tables and barrels block; the Tiled map the client draws is generated from
 * this layout (scripts/art), and a test checks that its blocked tiles are exactly these. 30 x 20.
 */
const LAYOUT = [
  "##############################",
  "#............#.............oo#",
  "#.......[]...#..............o#",
  "#....##......#......####.....#",
  "#....##.............#........#",
  "#..[]...............#....[]..#",
  "#............#......#........#",
  "#######..#####...............#",
  "#............................#",
  "#...[]...................[]..#",
  "#.......####.......#####.....#",
  "#.......#..rrrrrrrrrr..#.....#",
  "#.......#..rrrrrrrrrr..#.....#",
  "#............................#",
  "#####......######............#",
  "#oo........#.................#",
  "#o.........#.......###..[]...#",
  "#.....[]...#..[]............o#",
  "#...........................o#",
  "##############################",
];

export type TileKind = "wall" | "floor" | "rug" | "tableLeft" | "tableRight" | "barrel";

const TILE_KINDS: Record<string, TileKind> = {
  "#": "wall",
  ".": "floor",
  r: "rug",
  "[": "tableLeft",
  "]": "tableRight",
  o: "barrel",
};

/** What an avatar cannot walk through. */
export const BLOCKING_KINDS: ReadonlySet<TileKind> = new Set<TileKind>(["wall", "tableLeft", "tableRight", "barrel"]);

function kindOf(ch: string): TileKind {
  const kind = TILE_KINDS[ch];
  if (!kind) throw new Error(`unknown map character ${JSON.stringify(ch)}`);
  return kind;
}

export interface SpaceMap {
  cols: number;
  rows: number;
  width: number;
  height: number;
  /** What each tile is, row by row (the art script draws from it). */
  kinds: TileKind[][];
  /** Tiles avatars cannot enter, row by row: walls and props. */
  walls: boolean[][];
}

const KINDS = LAYOUT.map((row) => [...row].map(kindOf));

export const SPACE_MAP: SpaceMap = {
  cols: LAYOUT[0]!.length,
  rows: LAYOUT.length,
  width: LAYOUT[0]!.length * TILE_SIZE,
  height: LAYOUT.length * TILE_SIZE,
  kinds: KINDS,
  walls: KINDS.map((row) => row.map((kind) => BLOCKING_KINDS.has(kind))),
};

/** Avatar speed in pixels per second; inputs never make it faster. */
export const AVATAR_SPEED = 160;
/** Avatars are circles of this radius for collisions. */
export const AVATAR_RADIUS = 10;

export type Facing = "up" | "down" | "left" | "right";

export interface AvatarMotion {
  x: number;
  y: number;
  facing: Facing;
}

export function isWallAt(map: SpaceMap, x: number, y: number): boolean {
  const col = Math.floor(x / TILE_SIZE);
  const row = Math.floor(y / TILE_SIZE);
  if (row < 0 || row >= map.rows || col < 0 || col >= map.cols) return true;
  return map.walls[row]![col]!;
}

/** True when a circle at (x, y) overlaps no wall and stays inside the map. */
export function isFree(map: SpaceMap, x: number, y: number, r = AVATAR_RADIUS): boolean {
  if (x - r < 0 || y - r < 0 || x + r > map.width || y + r > map.height) return false;
  // Corners and edge midpoints of the circle's box: enough at this radius (< half a tile).
  for (const [dx, dy] of [
    [-r, -r],
    [r, -r],
    [-r, r],
    [r, r],
    [0, -r],
    [0, r],
    [-r, 0],
    [r, 0],
  ] as const) {
    if (isWallAt(map, x + dx, y + dy)) return false;
  }
  return true;
}

/** Clamps a direction to length ≤ 1, so diagonal or oversized input cannot move faster. */
export function clampDirection(dx: number, dy: number): { dx: number; dy: number } {
  if (!Number.isFinite(dx) || !Number.isFinite(dy)) return { dx: 0, dy: 0 };
  const len = Math.hypot(dx, dy);
  return len > 1 ? { dx: dx / len, dy: dy / len } : { dx, dy };
}

export function facingOf(dx: number, dy: number, previous: Facing): Facing {
  if (dx === 0 && dy === 0) return previous;
  if (Math.abs(dx) >= Math.abs(dy)) return dx > 0 ? "right" : "left";
  return dy > 0 ? "down" : "up";
}

/**
 * One movement step: moves along the (clamped) direction for dt seconds at AVATAR_SPEED, sliding
 * along walls (each axis is tried on its own) and never leaving the map.
 */
export function step(map: SpaceMap, from: AvatarMotion, dirX: number, dirY: number, dt: number): AvatarMotion {
  const { dx, dy } = clampDirection(dirX, dirY);
  const facing = facingOf(dx, dy, from.facing);
  const dist = AVATAR_SPEED * Math.max(0, Math.min(dt, 0.25));
  let { x, y } = from;
  // Positions are float32, what the schema sends for a fraction: the server holds exactly what
  // every client decodes, so a state hash never differs by digits no client received.
  const nx = Math.fround(x + dx * dist);
  if (isFree(map, nx, y)) x = nx;
  const ny = Math.fround(y + dy * dist);
  if (isFree(map, x, ny)) y = ny;
  return { x, y, facing };
}

/** Direction toward a target, or zero when within one step of it. */
export function directionToward(from: { x: number; y: number }, to: { x: number; y: number }, dt: number): { dx: number; dy: number } {
  const ddx = to.x - from.x;
  const ddy = to.y - from.y;
  const len = Math.hypot(ddx, ddy);
  if (len <= Math.max(1, AVATAR_SPEED * dt)) return { dx: 0, dy: 0 };
  return { dx: ddx / len, dy: ddy / len };
}

const spawnCache = new WeakMap<SpaceMap, { x: number; y: number }[]>();

/** Free tile centres, nearest to the middle of the map first; spawn `index` takes the index-th. */
export function spawnPoint(map: SpaceMap, index: number): { x: number; y: number } {
  let free = spawnCache.get(map);
  if (!free) {
    free = freeTileCentres(map);
    spawnCache.set(map, free);
  }
  return free[index % free.length]!;
}

function freeTileCentres(map: SpaceMap): { x: number; y: number }[] {
  const free: { x: number; y: number }[] = [];
  for (let row = 1; row < map.rows - 1; row++) {
    for (let col = 1; col < map.cols - 1; col++) {
      const x = col * TILE_SIZE + TILE_SIZE / 2;
      const y = row * TILE_SIZE + TILE_SIZE / 2;
      if (isFree(map, x, y)) free.push({ x, y });
    }
  }
  const cx = map.width / 2;
  const cy = map.height / 2;
  free.sort((a, b) => Math.hypot(a.x - cx, a.y - cy) - Math.hypot(b.x - cx, b.y - cy));
  return free;
}
