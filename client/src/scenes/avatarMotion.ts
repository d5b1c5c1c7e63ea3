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
 * The pose after a change: `moving` false stands, facing where the server says, even when the
 * same patch carries the last step (two server ticks can land in one patch, the stop after the
 * step: no later change would ever stop the walk); otherwise a position change walks in its
 * direction (the larger axis wins, so a diagonal shows a side walk, as the server's facing does);
 * a change of something else keeps the pose.
 */
export function nextPose(previous: AvatarPose, from: { x: number; y: number }, now: ServerAvatar): AvatarPose {
  if (!now.moving) return { walking: false, facing: now.facing };
  const dx = now.x - from.x;
  const dy = now.y - from.y;
  if (dx !== 0 || dy !== 0) return { walking: true, facing: facingOf(dx, dy, previous.facing) };
  return previous;
}
