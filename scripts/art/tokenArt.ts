/**
 * Portraits for the table's tokens that the avatars' sheet does not have: monsters. (Player
 * characters show their owner's avatar, non-player characters a townsfolk avatar, both from the
 * characters sheet.) 16 x 16 art pixels, 32 x 32 in the PNG.
 */
import { Pixels, drawPattern, hex, type Rgba } from "./pixels";

export const TOKEN = 16;
export const TOKEN_NAMES = ["goblin"] as const;

const GOBLIN_PALETTE: Record<string, Rgba> = {
  o: hex("#1a2a12"),
  g: hex("#5f9a3a"),
  G: hex("#79b84c"),
  r: hex("#e04040"),
  w: hex("#f0ead0"),
  b: hex("#7a5a3a"),
  B: hex("#5c4229"),
};
const GOBLIN = [
  "................",
  "....oooooooo....",
  "...oGGGGGGGgo...",
  ".oooGggggggggoo.",
  "oGgoggggggggoggo",
  ".oggrrggggrrggo.",
  "..oggggggggggo..",
  "...ogwggggwgo...",
  "....oggggggo....",
  "...obbbBbbbbo...",
  "..ogbbbBbbbbgo..",
  "..ogbbbBbbbbgo..",
  "...obbbbbbbbo...",
  "....oggo.oggo...",
  "....oggo.oggo...",
  "....oooo.oooo...",
];

export function drawTokenSheet(): { pixels: Pixels; frames: Map<string, { x: number; y: number }> } {
  const pixels = new Pixels(TOKEN * TOKEN_NAMES.length, TOKEN);
  const frames = new Map<string, { x: number; y: number }>();
  TOKEN_NAMES.forEach((name, i) => {
    drawPattern(pixels, i * TOKEN, 0, GOBLIN, GOBLIN_PALETTE);
    frames.set(name, { x: i * TOKEN, y: 0 });
  });
  return { pixels, frames };
}
