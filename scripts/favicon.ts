/**
 * Draws the page's icon (a mug of ale on the game's dark background) and writes it twice into
 * client/public: favicon.svg for browsers that take SVG icons, and favicon.ico (one 32x32 PNG in an
 * ICO container) for those that ask for /favicon.ico whatever the page links. Both come from the
 * one list of shapes below, so they never drift apart. The files are committed; run this again
 * after changing a shape:
 *
 *   npm run favicon
 */
import { writeFileSync } from "node:fs";
import { PNG } from "pngjs";

const SIZE = 32;

/** A rounded rectangle on the 32x32 grid; later shapes paint over earlier ones. */
interface Shape {
  x: number;
  y: number;
  w: number;
  h: number;
  r: number;
  fill: string;
}

const BACKGROUND = "#2b2430";
const SHAPES: Shape[] = [
  { x: 0, y: 0, w: 32, h: 32, r: 7, fill: BACKGROUND },
  // handle: a ring, drawn as an amber block with a hole of background in it
  { x: 19, y: 13, w: 7, h: 11, r: 3, fill: "#e8a33d" },
  { x: 19, y: 16, w: 4, h: 5, r: 1, fill: BACKGROUND },
  // body and its staves
  { x: 7, y: 11, w: 13, h: 16, r: 2, fill: "#e8a33d" },
  { x: 10, y: 14, w: 2, h: 10, r: 1, fill: "#b8741f" },
  { x: 15, y: 14, w: 2, h: 10, r: 1, fill: "#b8741f" },
  // foam over the rim
  { x: 6, y: 8, w: 15, h: 5, r: 2, fill: "#f6ecd2" },
  { x: 8, y: 5, w: 6, h: 5, r: 2.5, fill: "#f6ecd2" },
  { x: 13, y: 6, w: 6, h: 4, r: 2, fill: "#f6ecd2" },
];

function svg(shapes: Shape[]): string {
  const rects = shapes.map((s) => `  <rect x="${s.x}" y="${s.y}" width="${s.w}" height="${s.h}" rx="${s.r}" fill="${s.fill}"/>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${SIZE} ${SIZE}">\n${rects.join("\n")}\n</svg>\n`;
}

function covers(s: Shape, px: number, py: number): boolean {
  if (px < s.x || px > s.x + s.w || py < s.y || py > s.y + s.h) return false;
  // Inside a corner square, the point must also be inside the corner's circle.
  const cx = Math.min(Math.max(px, s.x + s.r), s.x + s.w - s.r);
  const cy = Math.min(Math.max(py, s.y + s.r), s.y + s.h - s.r);
  return (px - cx) ** 2 + (py - cy) ** 2 <= s.r ** 2;
}

function rgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** The shapes rasterised with 4x4 samples per pixel, so edges and corners are smoothed. */
function png(shapes: Shape[]): Buffer {
  const image = new PNG({ width: SIZE, height: SIZE });
  const SAMPLES = 4;
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const sum = [0, 0, 0, 0];
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const px = x + (sx + 0.5) / SAMPLES;
          const py = y + (sy + 0.5) / SAMPLES;
          const top = shapes.findLast((s) => covers(s, px, py));
          if (!top) continue;
          const [r, g, b] = rgb(top.fill);
          sum[0]! += r;
          sum[1]! += g;
          sum[2]! += b;
          sum[3]! += 1;
        }
      }
      const i = (y * SIZE + x) * 4;
      const hits = sum[3]!;
      // Colour averaged over the covered samples, alpha from how many were covered.
      image.data[i] = hits ? Math.round(sum[0]! / hits) : 0;
      image.data[i + 1] = hits ? Math.round(sum[1]! / hits) : 0;
      image.data[i + 2] = hits ? Math.round(sum[2]! / hits) : 0;
      image.data[i + 3] = Math.round((255 * hits) / (SAMPLES * SAMPLES));
    }
  }
  return PNG.sync.write(image);
}

/** An ICO file holding one PNG image (the layout every browser reads). */
function ico(pngData: Buffer): Buffer {
  const header = Buffer.alloc(6 + 16);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // 1 = icon
  header.writeUInt16LE(1, 4); // one image
  header.writeUInt8(SIZE, 6); // width
  header.writeUInt8(SIZE, 7); // height
  header.writeUInt8(0, 8); // no palette
  header.writeUInt8(0, 9); // reserved
  header.writeUInt16LE(1, 10); // colour planes
  header.writeUInt16LE(32, 12); // bits per pixel
  header.writeUInt32LE(pngData.length, 14); // image size
  header.writeUInt32LE(header.length, 18); // image offset
  return Buffer.concat([header, pngData]);
}

const publicDir = new URL("../client/public/", import.meta.url);
writeFileSync(new URL("favicon.svg", publicDir), svg(SHAPES));
writeFileSync(new URL("favicon.ico", publicDir), ico(png(SHAPES)));
console.log("wrote client/public/favicon.svg and client/public/favicon.ico");
