/**
 * Where a newcomer's avatar appears in the shared space: on open floor, near the middle of the
 * map, but never on top of someone (a crowd spawning on one tile reads as one avatar, and their
 * name labels overlap). Pure: the map and the avatars already there in, a point out.
 */
import { TILE_SIZE, isFree, type SpaceMap } from "@tavern/shared/spaceMap";

export interface Point {
  x: number;
  y: number;
}

/** Newcomers keep at least this far (in pixels) from every avatar while the map has room. */
export const SPAWN_SPACING = 3 * TILE_SIZE;

const candidateCache = new WeakMap<SpaceMap, Point[]>();

/**
 * The first open tile centre (nearest the middle first) at least SPAWN_SPACING from every avatar;
 * when the room is too crowded for that, the open tile farthest from its nearest avatar.
 */
export function chooseSpawn(map: SpaceMap, occupied: Iterable<Point>): Point {
  const others = new SpacingGrid(occupied);
  const candidates = openTileCentres(map);
  let best = candidates[0]!;
  let bestGap = -1;
  for (const c of candidates) {
    const gap = others.gapAt(c);
    if (gap >= SPAWN_SPACING) return c;
    if (gap > bestGap) {
      best = c;
      bestGap = gap;
    }
  }
  return best;
}

/**
 * Avatars bucketed in square cells SPAWN_SPACING wide. Anyone outside the 3x3 cells around a
 * point is at least SPAWN_SPACING from it, so the nearest within those cells is the nearest
 * whenever it is closer than SPAWN_SPACING, which is all chooseSpawn compares: a join into a
 * crowded room looks at its neighbours, not at everyone (a storm of N joins was N^2 distances).
 * Cells are keyed by a number and distances compared squared: in a full room every join scans
 * every open tile, and string keys made that scan most of a 300-join storm's spawn cost.
 */
class SpacingGrid {
  private readonly cells = new Map<number, number[]>();

  constructor(points: Iterable<Point>) {
    for (const p of points) {
      const key = cellKey(Math.floor(p.x / SPAWN_SPACING), Math.floor(p.y / SPAWN_SPACING));
      const cell = this.cells.get(key);
      if (cell) cell.push(p.x, p.y);
      else this.cells.set(key, [p.x, p.y]);
    }
  }

  /** Distance to the nearest avatar when under SPAWN_SPACING; otherwise some value >= SPAWN_SPACING. */
  gapAt(p: Point): number {
    const col = Math.floor(p.x / SPAWN_SPACING);
    const row = Math.floor(p.y / SPAWN_SPACING);
    let nearestSquared = Infinity;
    for (let dc = -1; dc <= 1; dc++) {
      for (let dr = -1; dr <= 1; dr++) {
        const cell = this.cells.get(cellKey(col + dc, row + dr));
        if (!cell) continue;
        for (let i = 0; i < cell.length; i += 2) {
          const dx = cell[i]! - p.x;
          const dy = cell[i + 1]! - p.y;
          nearestSquared = Math.min(nearestSquared, dx * dx + dy * dy);
        }
      }
    }
    return Math.sqrt(nearestSquared);
  }
}

/** One number per cell; maps are far smaller than 2^20 cells a side, and columns may be -1. */
const cellKey = (col: number, row: number) => (col + 1) * 1_048_576 + (row + 1);

/** Centres of floor tiles whose eight neighbours are floor too, nearest the middle of the map first. */
export function openTileCentres(map: SpaceMap): Point[] {
  const cached = candidateCache.get(map);
  if (cached) return cached;
  const open: Point[] = [];
  for (let row = 1; row < map.rows - 1; row++) {
    for (let col = 1; col < map.cols - 1; col++) {
      let clear = true;
      for (let dr = -1; dr <= 1 && clear; dr++) for (let dc = -1; dc <= 1 && clear; dc++) clear = !map.walls[row + dr]![col + dc]!;
      const x = col * TILE_SIZE + TILE_SIZE / 2;
      const y = row * TILE_SIZE + TILE_SIZE / 2;
      if (clear && isFree(map, x, y)) open.push({ x, y });
    }
  }
  const cx = map.width / 2;
  const cy = map.height / 2;
  // Ties broken by position, so the order never depends on the sort's stability.
  open.sort((a, b) => Math.hypot(a.x - cx, a.y - cy) - Math.hypot(b.x - cx, b.y - cy) || a.y - b.y || a.x - b.x);
  candidateCache.set(map, open);
  return open;
}
