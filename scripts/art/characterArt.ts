/**
 * The avatars' sprite sheet: every character of the roster (shared/src/characters.ts) walking in
 * four directions, four frames each (neutral, stride, passing, other stride), from pixel patterns.
 * One art pixel is 2 screen pixels: frames are 16 x 16 art pixels, 32 x 32 in the PNG.
 */
import { CHARACTERS, SHEET_DIRECTIONS, WALK_FRAMES, characterFrame } from "@tavern/shared/characters";
import type { Facing } from "@tavern/shared/spaceMap";
import { Pixels, drawPattern, hex, shade, type Rgba } from "./pixels";

export const FRAME = 16;
export { WALK_FRAMES };
export const DIRECTIONS = SHEET_DIRECTIONS;
type Direction = Facing;
type Pose = "neutral" | "strideA" | "passing" | "strideB";
const POSES: readonly Pose[] = ["neutral", "strideA", "passing", "strideB"];

/** Hair, skin, clothes, clothes accent (belt, trim), trousers, boots. */
interface Look {
  hair: string;
  skin: string;
  clothes: string;
  accent: string;
  pants: string;
  boots: string;
}

/** One look per roster entry, in the roster's order: distinct hair, skin and clothes at a glance. */
const LOOKS: Record<(typeof CHARACTERS)[number]["id"], Look> = {
  innkeeper: { hair: "#6b3f1f", skin: "#f1c7a0", clothes: "#e9e1cc", accent: "#8b5a2b", pants: "#5a4632", boots: "#3b2a1e" },
  ranger: { hair: "#e0b84a", skin: "#e8b88e", clothes: "#3f7d3a", accent: "#6b4a26", pants: "#5b3d23", boots: "#2f2117" },
  bard: { hair: "#c8462c", skin: "#f5d0b0", clothes: "#9b3fa3", accent: "#e6c14a", pants: "#34346a", boots: "#2a1d2e" },
  knight: { hair: "#3a2a20", skin: "#d9a47c", clothes: "#aab3c0", accent: "#b03030", pants: "#4a505c", boots: "#2b2e36" },
  mage: { hair: "#e4e4ec", skin: "#efc5a3", clothes: "#3552b0", accent: "#e6c14a", pants: "#2c3f8a", boots: "#231a33" },
  rogue: { hair: "#4b3b61", skin: "#8d5a3b", clothes: "#3d3d48", accent: "#2fa39a", pants: "#27272e", boots: "#18171c" },
};

const OUTLINE = "#1e1620";

const HEAD_FRONT = [
  "................",
  "....oooooooo....",
  "...ohhhhhhhho...",
  "...ohhhhhhhho...",
  "...ohssssssho...",
  "...ossessesso...",
  "....osssssso....",
];
const HEAD_BACK = [
  "................",
  "....oooooooo....",
  "...ohhhhhhhho...",
  "...ohhhhhhhho...",
  "...ohhhhhhhho...",
  "...ohhhhhhhho...",
  "....ohhhhhho....",
];
const HEAD_SIDE = [
  "................",
  ".....ooooooo....",
  "....ohhhhhhho...",
  "....ohhhhhhho...",
  "....ohhhsssso...",
  "....ohhssseso...",
  ".....osssssso...",
];

const TORSO_FRONT: Record<"neutral" | "stride", string[]> = {
  neutral: ["...oddccccddo...", "..odccccccccdo..", "..odccccccccdo..", "..osaaaaaaaaso..", "...occccccccco.."],
  // Left hand swung forward (higher), right hand back (lower); the other stride is the mirror.
  stride: ["...oddccccddo...", "..odccccccccdo..", "..osccccccccdo..", "...oaaaaaaaado..", "...occccccccso.."],
};
const TORSO_SIDE: Record<"neutral" | "forward" | "back", string[]> = {
  neutral: ["....occccccco...", "....occcdccco...", "....occcdccco...", "....oaaasaaao...", "....occccccco..."],
  forward: ["....occccccco...", "....occccdcco...", "....occcccdco...", "....oaaaaasao...", "....occccccco..."],
  back: ["....occccccco...", "....occdcccco...", "....ocdccccco...", "....oasaaaaao...", "....occccccco..."],
};

const LEGS_FRONT: Record<"neutral" | "stride", string[]> = {
  neutral: ["...oppppppppo...", "...oppo..oppo...", "...obbo..obbo...", "...oooo..oooo..."],
  // The right leg lifted (shorter); the other stride is the mirror.
  stride: ["...oppppppppo...", "...oppo..oppo...", "...obbo..oooo...", "...oooo........."],
};
const LEGS_SIDE: Record<"neutral" | "stride", string[]> = {
  neutral: ["....opppppppo...", ".....oppppo.....", ".....obbbbbo....", ".....ooooooo...."],
  stride: ["....opppppppo...", "....oppo.oppo...", "...obbo...obbbo.", "...oooo...ooooo."],
};

function paletteOf(look: Look): Record<string, Rgba> {
  const clothes = hex(look.clothes);
  return {
    o: hex(OUTLINE),
    e: hex(OUTLINE),
    h: hex(look.hair),
    s: hex(look.skin),
    c: clothes,
    d: shade(clothes, -0.25),
    a: hex(look.accent),
    p: hex(look.pants),
    b: hex(look.boots),
  };
}

/** The pattern of one frame, drawn facing down, up or right (left is right mirrored). */
function framePattern(direction: Direction, pose: Pose): { rows: string[]; mirror: boolean; bob: number } {
  const stride = pose === "strideA" || pose === "strideB";
  const bob = pose === "passing" ? -1 : 0;
  if (direction === "down" || direction === "up") {
    const head = direction === "down" ? HEAD_FRONT : HEAD_BACK;
    const rows = [...head, ...TORSO_FRONT[stride ? "stride" : "neutral"], ...LEGS_FRONT[stride ? "stride" : "neutral"]];
    return { rows, mirror: pose === "strideB", bob };
  }
  const arms = pose === "strideA" ? "forward" : pose === "strideB" ? "back" : "neutral";
  const rows = [...HEAD_SIDE, ...TORSO_SIDE[arms], ...LEGS_SIDE[stride ? "stride" : "neutral"]];
  return { rows, mirror: direction === "left", bob };
}

export const frameName = characterFrame;

export interface CharacterSheet {
  pixels: Pixels;
  /** Art-pixel rectangle of each frame, by frame name. */
  frames: Map<string, { x: number; y: number }>;
}

/** One row per character; in a row, the four directions' four frames left to right. */
export function drawCharacterSheet(): CharacterSheet {
  const pixels = new Pixels(FRAME * DIRECTIONS.length * WALK_FRAMES, FRAME * CHARACTERS.length);
  const frames = new Map<string, { x: number; y: number }>();
  CHARACTERS.forEach((character, row) => {
    const palette = paletteOf(LOOKS[character.id]);
    DIRECTIONS.forEach((direction, d) => {
      POSES.forEach((pose, f) => {
        const x = (d * WALK_FRAMES + f) * FRAME;
        const y = row * FRAME;
        const { rows, mirror, bob } = framePattern(direction, pose);
        const frame = new Pixels(FRAME, FRAME);
        drawPattern(frame, 0, 0, rows, palette);
        pixels.blit(frame, x, y + bob, mirror);
        frames.set(frameName(character.id, direction, f), { x, y });
      });
    });
  });
  return { pixels, frames };
}
