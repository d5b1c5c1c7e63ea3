/**
 * How an avatar looks from what the server sent: walking (and which way) while its position
 * changes, standing when it stops. Pure, so it is tested without a canvas; the scene feeds it the
 * values of each schema change callback.
 */
import { facingOf, type Facing } from "@tavern/shared/spaceMap";

export interface AvatarPose {
  walking: boolean;
  facing: Facing;
}

export interface ServerAvatar {
  x: number;
  y: number;
  facing: Facing;
  moving: boolean;
}

/**
 * The pose after a change: a position change walks in the direction of that change (the larger
 * axis wins, so a diagonal shows a side walk, as the server's facing does); no position change and
 * `moving` false stands, facing where the server says; a change of something else keeps the pose.
 */
export function nextPose(previous: AvatarPose, from: { x: number; y: number }, now: ServerAvatar): AvatarPose {
  const dx = now.x - from.x;
  const dy = now.y - from.y;
  if (dx !== 0 || dy !== 0) return { walking: true, facing: facingOf(dx, dy, previous.facing) };
  if (!now.moving) return { walking: false, facing: now.facing };
  return previous;
}
