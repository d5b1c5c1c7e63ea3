import assert from "node:assert/strict";
import {
  AVATAR_RADIUS,
  AVATAR_SPEED,
  SPACE_MAP,
  TILE_SIZE,
  clampDirection,
  directionToward,
  isFree,
  spawnPoint,
  step,
  type AvatarMotion,
} from "../src/spaceMap";

const at = (x: number, y: number): AvatarMotion => ({ x, y, facing: "down" });
/** Centre of tile (col, row). */
const tile = (col: number, row: number) => at(col * TILE_SIZE + TILE_SIZE / 2, row * TILE_SIZE + TILE_SIZE / 2);

/** Two float32 units at the map's largest coordinates (below 2048 px: 2^-12 each). */
const FLOAT32_SLACK = 2 * 2 ** -12;

describe("space movement rules", () => {
  it("clamps speed: a diagonal or oversized input moves no faster than AVATAR_SPEED", () => {
    const start = tile(15, 9);
    for (const [dx, dy] of [
      [1, 1],
      [5, 0],
      [-3, 4],
      [1, 0],
    ] as const) {
      const next = step(SPACE_MAP, start, dx, dy, 0.1);
      const moved = Math.hypot(next.x - start.x, next.y - start.y);
      // Positions are float32 (what the wire carries): a step may round up by a float32 unit, never more.
      assert.ok(moved <= AVATAR_SPEED * 0.1 + FLOAT32_SLACK, `moved ${moved} for (${dx},${dy})`);
      assert.ok(moved > 0);
    }
    assert.deepEqual(clampDirection(Number.NaN, 1), { dx: 0, dy: 0 });
    assert.deepEqual(clampDirection(0.3, 0.4), { dx: 0.3, dy: 0.4 });
  });

  it("caps a huge dt so a stalled tick cannot teleport an avatar", () => {
    const start = tile(15, 9);
    const next = step(SPACE_MAP, start, 1, 0, 10);
    assert.ok(next.x - start.x <= AVATAR_SPEED * 0.25 + 1e-9);
  });

  it("stops at walls and slides along them", () => {
    // Tile (13, 1) is a wall; walking right from (12, 1) must stop before it.
    let a = tile(12, 1);
    for (let i = 0; i < 20; i++) a = step(SPACE_MAP, a, 1, 0, 0.05);
    assert.ok(a.x + AVATAR_RADIUS <= 13 * TILE_SIZE, `x=${a.x} entered the wall`);
    assert.equal(a.facing, "right");
    // Pushing diagonally into the same wall still moves along y.
    const slid = step(SPACE_MAP, a, 1, 1, 0.05);
    assert.ok(slid.y > a.y, "slides down along the wall");
    assert.ok(slid.x + AVATAR_RADIUS <= 13 * TILE_SIZE, "and still does not enter it");
  });

  it("keeps avatars inside the map", () => {
    let a = tile(1, 1);
    for (let i = 0; i < 50; i++) a = step(SPACE_MAP, a, -1, -1, 0.05);
    assert.ok(a.x - AVATAR_RADIUS >= TILE_SIZE && a.y - AVATAR_RADIUS >= TILE_SIZE);
    assert.equal(isFree(SPACE_MAP, -5, 40), false);
    assert.equal(isFree(SPACE_MAP, SPACE_MAP.width + 5, 40), false);
  });

  it("walks toward a target and stops when there", () => {
    const from = tile(15, 9);
    const dir = directionToward(from, { x: from.x + 100, y: from.y }, 0.05);
    assert.deepEqual(dir, { dx: 1, dy: 0 });
    assert.deepEqual(directionToward(from, { x: from.x + 2, y: from.y }, 0.05), { dx: 0, dy: 0 });
  });

  it("spawns on free floor, distinct for the first players", () => {
    const points = Array.from({ length: 60 }, (_, i) => spawnPoint(SPACE_MAP, i));
    for (const p of points) assert.ok(isFree(SPACE_MAP, p.x, p.y));
    assert.equal(new Set(points.map((p) => `${p.x},${p.y}`)).size, 60);
  });
});
