import assert from "node:assert/strict";
import { nextPose } from "../src/scenes/avatarMotion";

describe("avatar pose from schema changes", () => {
  const standing = { walking: false, facing: "down" as const };

  it("walks the way the position changed, the larger axis winning", () => {
    assert.deepEqual(nextPose(standing, { x: 10, y: 10 }, { x: 18, y: 10, facing: "right", moving: true }), {
      walking: true,
      facing: "right",
    });
    assert.deepEqual(nextPose(standing, { x: 10, y: 10 }, { x: 8, y: 2, facing: "up", moving: true }), { walking: true, facing: "up" });
    assert.deepEqual(nextPose(standing, { x: 10, y: 10 }, { x: 15, y: 15, facing: "right", moving: true }), {
      walking: true,
      facing: "right",
    });
  });

  it("stands, facing where the server says, once the avatar stops", () => {
    const walking = { walking: true, facing: "left" as const };
    assert.deepEqual(nextPose(walking, { x: 10, y: 10 }, { x: 10, y: 10, facing: "left", moving: false }), {
      walking: false,
      facing: "left",
    });
  });

  it("stands when one patch carries both the last step and the stop (two server ticks in one patch)", () => {
    const walking = { walking: true, facing: "right" as const };
    assert.deepEqual(nextPose(walking, { x: 831, y: 496 }, { x: 835, y: 498, facing: "right", moving: false }), {
      walking: false,
      facing: "right",
    });
  });

  it("keeps the pose when something else changed while still moving", () => {
    const walking = { walking: true, facing: "up" as const };
    assert.deepEqual(nextPose(walking, { x: 10, y: 10 }, { x: 10, y: 10, facing: "up", moving: true }), walking);
  });
});
