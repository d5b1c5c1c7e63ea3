/**
 * A small RGBA pixel canvas for the art script: draw on a grid of art pixels, write a PNG scaled
 * up by a whole factor (nearest neighbour, so the pixels stay sharp in any renderer).
 */
import { PNG } from "pngjs";

export type Rgba = readonly [number, number, number, number];

/** "#rrggbb" (opaque) or "#rrggbbaa". */
export function hex(color: string): Rgba {
  const m = /^#([0-9a-f]{6})([0-9a-f]{2})?$/i.exec(color);
  if (!m) throw new Error(`not a colour: ${color}`);
  const n = parseInt(m[1]!, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255, m[2] ? parseInt(m[2], 16) : 255];
}

/** A colour made darker (amount < 0) or lighter (amount > 0), for shading. */
export function shade(color: Rgba, amount: number): Rgba {
  const f = (c: number) => Math.max(0, Math.min(255, Math.round(amount < 0 ? c * (1 + amount) : c + (255 - c) * amount)));
  return [f(color[0]), f(color[1]), f(color[2]), color[3]];
}

export class Pixels {
  readonly data: Uint8Array;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.data = new Uint8Array(width * height * 4);
  }

  set(x: number, y: number, color: Rgba): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    const i = (y * this.width + x) * 4;
    const alpha = color[3] / 255;
    if (alpha >= 1 || this.data[i + 3] === 0) {
      this.data.set(color, i);
      return;
    }
    // Translucent over opaque: blend (shadows, glints).
    for (let c = 0; c < 3; c++) this.data[i + c] = Math.round(color[c]! * alpha + this.data[i + c]! * (1 - alpha));
    this.data[i + 3] = Math.max(this.data[i + 3]!, color[3]);
  }

  rect(x: number, y: number, w: number, h: number, color: Rgba): void {
    for (let j = y; j < y + h; j++) for (let i = x; i < x + w; i++) this.set(i, j, color);
  }

  /** Copies `src` with its top-left at (x, y), optionally mirrored left to right; transparent pixels are skipped. */
  blit(src: Pixels, x: number, y: number, mirror = false): void {
    for (let j = 0; j < src.height; j++)
      for (let i = 0; i < src.width; i++) {
        const k = (j * src.width + (mirror ? src.width - 1 - i : i)) * 4;
        if (src.data[k + 3] === 0) continue;
        this.set(x + i, y + j, [src.data[k]!, src.data[k + 1]!, src.data[k + 2]!, src.data[k + 3]!]);
      }
  }

  /** The PNG bytes, every art pixel drawn as a `scale` x `scale` block. */
  toPng(scale: number): Buffer {
    const png = new PNG({ width: this.width * scale, height: this.height * scale });
    for (let y = 0; y < png.height; y++)
      for (let x = 0; x < png.width; x++) {
        const from = (Math.floor(y / scale) * this.width + Math.floor(x / scale)) * 4;
        png.data.set(this.data.subarray(from, from + 4), (y * png.width + x) * 4);
      }
    return PNG.sync.write(png, { colorType: 6 });
  }
}

/**
 * Draws a picture given as rows of characters: each character is looked up in `palette`
 * (missing or "." = transparent). Every row must be `width` long: a typo fails loudly.
 */
export function drawPattern(target: Pixels, x: number, y: number, rows: readonly string[], palette: Record<string, Rgba>): void {
  const width = rows[0]!.length;
  rows.forEach((row, j) => {
    if (row.length !== width) throw new Error(`pattern row ${j} is ${row.length} wide, not ${width}: ${row}`);
    [...row].forEach((ch, i) => {
      const color = palette[ch];
      if (ch !== "." && color) target.set(x + i, y + j, color);
      else if (ch !== "." && !color) throw new Error(`pattern character ${JSON.stringify(ch)} has no colour`);
    });
  });
}
