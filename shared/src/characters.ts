/**
 * The avatars a player can be: a short roster, picked at sign-in or given by the room. On the wire
 * a character is its index in CHARACTERS (one byte in PlayerState); the art script draws one
 * sprite sheet per entry, in this order.
 */
import { z } from "zod";
import type { Facing } from "./spaceMap";

export interface CharacterLook {
  /** Stable name of the character (the sprite sheet's frame prefix, the form's value). */
  id: string;
  /** What the sign-in form calls it. */
  label: string;
}

export const CHARACTERS = [
  { id: "innkeeper", label: "Innkeeper" },
  { id: "ranger", label: "Ranger" },
  { id: "bard", label: "Bard" },
  { id: "knight", label: "Knight" },
  { id: "mage", label: "Mage" },
  { id: "rogue", label: "Rogue" },
] as const satisfies readonly CharacterLook[];

export const CHARACTER_COUNT = CHARACTERS.length;

/** Frames of one walk cycle in the sprite sheet; frame 0 is also the standing pose. */
export const WALK_FRAMES = 4;
/** The sheet's directions, in its column order. */
export const SHEET_DIRECTIONS: readonly Facing[] = ["down", "left", "right", "up"];

/** A frame's name in the characters atlas (the art script writes it, the space scene plays it). */
export function characterFrame(characterId: string, facing: Facing, frame: number): string {
  return `${characterId}-${facing}-${frame}`;
}

/** The roster entry of a state's character index (index 0 for anything out of range). */
export function characterAt(index: number): (typeof CHARACTERS)[number] {
  return CHARACTERS[index] ?? CHARACTERS[0];
}

/** A character as the sign-in body and the guest token carry it: its index in CHARACTERS. */
export const characterSchema = z
  .number()
  .int()
  .min(0)
  .max(CHARACTER_COUNT - 1);

/** The character a player id gets when its player picked none: the same id gives the same one. */
export function defaultCharacter(playerId: string): number {
  // FNV-1a: spreads short, similar ids (UUIDs) evenly, and is the same in every runtime.
  let h = 0x811c9dc5;
  for (let i = 0; i < playerId.length; i++) {
    h ^= playerId.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % CHARACTER_COUNT;
}

/**
 * The character a newcomer gets: the one they picked, or else, starting from their default and
 * going round the roster, the first nobody in the room has yet (the default when all are taken).
 */
export function chooseCharacter(picked: number | undefined, playerId: string, taken: Iterable<number>): number {
  if (picked !== undefined && characterSchema.safeParse(picked).success) return picked;
  const used = new Set(taken);
  const start = defaultCharacter(playerId);
  for (let i = 0; i < CHARACTER_COUNT; i++) {
    const candidate = (start + i) % CHARACTER_COUNT;
    if (!used.has(candidate)) return candidate;
  }
  return start;
}
