import assert from "node:assert/strict";
import { SPACE_MAP, TILE_SIZE, isFree } from "@tavern/shared/spaceMap";
import fc from "fast-check";
import { SPAWN_SPACING, chooseSpawn, openTileCentres, type Point } from "../../src/domain/space/spawn";

function spawnMany(n: number, start: Point[] = []): Point[] {
  const avatars = [...start];
  for (let i = 0; i < n; i++) avatars.push(chooseSpawn(SPACE_MAP, avatars));
  return avatars;
}

const minGap = (points: Point[]): number => {
  let gap = Infinity;
  for (let i = 0; i < points.length; i++)
    for (let j = i + 1; j < points.length; j++) gap = Math.min(gap, Math.hypot(points[i]!.x - points[j]!.x, points[i]!.y - points[j]!.y));
  return gap;
};

describe("space spawn points", () => {
  it("spreads newcomers: no two of the first eight within three tiles of each other", () => {
    const spawns = spawnMany(8);
    assert.ok(minGap(spawns) >= SPAWN_SPACING, `closest pair ${minGap(spawns)} px apart`);
  });

  it("spawns on walkable ground, away from walls and props", () => {
    for (const p of spawnMany(40)) {
      assert.ok(isFree(SPACE_MAP, p.x, p.y), `(${p.x}, ${p.y}) is blocked`);
      const col = Math.floor(p.x / TILE_SIZE);
      const row = Math.floor(p.y / TILE_SIZE);
      assert.equal(SPACE_MAP.walls[row]![col], false);
    }
  });

  it("keeps away from avatars that walked somewhere since, not only from spawn points", () => {
    const first = chooseSpawn(SPACE_MAP, []);
    const walker = { x: first.x, y: first.y };
    const next = chooseSpawn(SPACE_MAP, [walker]);
    assert.ok(Math.hypot(next.x - walker.x, next.y - walker.y) >= SPAWN_SPACING);
  });

  it("in a crowded room still gives a point, the one farthest from everyone", () => {
    const crowd = spawnMany(120);
    assert.equal(crowd.length, 120);
    for (const p of crowd) assert.ok(isFree(SPACE_MAP, p.x, p.y));
  });

  it("is deterministic", () => {
    assert.deepEqual(spawnMany(5), spawnMany(5));
  });

  it("picks exactly what comparing every avatar with every tile would pick, crowded or not", () => {
    // The rule as written before the spacing grid: the first tile far enough from everyone, else
    // the tile farthest from its nearest avatar.
    const byEveryDistance = (occupied: Point[]): Point => {
      let best = openTileCentres(SPACE_MAP)[0]!;
      let bestGap = -1;
      for (const c of openTileCentres(SPACE_MAP)) {
        const gap = Math.min(Infinity, ...occupied.map((o) => Math.hypot(o.x - c.x, o.y - c.y)));
        if (gap >= SPAWN_SPACING) return c;
        if (gap > bestGap) [best, bestGap] = [c, gap];
      }
      return best;
    };
    const point = fc.record({
      x: fc.double({ min: 0, max: SPACE_MAP.width, noNaN: true }),
      y: fc.double({ min: 0, max: SPACE_MAP.height, noNaN: true }),
    });
    fc.assert(
      fc.property(fc.array(point, { maxLength: 400 }), (occupied) => {
        assert.deepEqual(chooseSpawn(SPACE_MAP, occupied), byEveryDistance(occupied));
      }),
      { numRuns: 200 },
    );
  });
});
