/**
 * One Cabo card drawn with Phaser graphics and text: a back with a lattice pattern, a face with
 * its value big in the middle and small in two corners, a band naming the power of a 7 to 12, a
 * hole where a multi-swap took a card. Rings say why a face is shown: gold when picked, teal when
 * only this player sees it now, dashed grey when it is only remembered, orange while someone
 * else looks at it.
 */
import * as Phaser from "phaser";
import { powerOf, type PowerKind } from "@tavern/shared/cabo/rules";
import type { CardModel } from "../cabo/model";

export const FONT = "system-ui, -apple-system, Segoe UI, sans-serif";

const BACK = 0x3b2f63;
const BACK_LINE = 0x8c7bd1;
const FACE = 0xf6f1e7;
const INK = 0x25212d;
const PICKED = 0xf2c14e;
const PRIVATE = 0x4dd0e1;
const WATCHED = 0xff9f43;
const REMEMBERED = 0xb0a8bf;

export const POWER_COLORS: Readonly<Record<PowerKind, number>> = { peek: 0x26a69a, spy: 0xe67e22, swap: 0xc2185b };
const POWER_WORDS: Readonly<Record<PowerKind, string>> = { peek: "PEEK", spy: "SPY", swap: "SWAP" };

const css = (color: number) => `#${color.toString(16).padStart(6, "0")}`;

/** Draws `card` with its top-left corner at (x, y); returns the objects made, for the caller to destroy. */
export function drawCard(
  scene: Phaser.Scene,
  card: CardModel,
  x: number,
  y: number,
  w: number,
  h: number,
): Phaser.GameObjects.GameObject[] {
  const made: Phaser.GameObjects.GameObject[] = [];
  const lift = card.picked ? Math.round(h * 0.08) : 0;
  const top = y - lift;
  const radius = Math.max(4, Math.round(w * 0.12));
  const g = scene.add.graphics();
  made.push(g);
  if (!card.present) {
    g.lineStyle(1, 0x5a5266, 0.8).strokeRoundedRect(x + 0.5, top + 0.5, w - 1, h - 1, radius);
    made.push(label(scene, x + w / 2, top + h / 2, "empty", Math.max(9, Math.round(w * 0.17)), "#6f6680"));
    return made;
  }
  g.fillStyle(0x000000, 0.35).fillRoundedRect(x + 2, top + 3, w, h, radius); // shadow
  if (card.value === undefined) drawBack(g, x, top, w, h, radius);
  else made.push(...drawFace(scene, g, card.value, x, top, w, h, radius, card.shown === "remembered" ? 0.55 : 1));
  // The looker sees their card as theirs alone; everyone else sees that someone is looking at it.
  const looking = card.watched && !isPrivate(card);
  const ring = card.picked ? PICKED : isPrivate(card) ? PRIVATE : looking ? WATCHED : card.shown === "remembered" ? REMEMBERED : undefined;
  if (ring !== undefined) g.lineStyle(card.picked ? 4 : 3, ring, 1).strokeRoundedRect(x - 2, top - 2, w + 4, h + 4, radius + 2);
  const tag = isPrivate(card) ? "only you" : looking ? "looking" : card.shown === "remembered" ? "remembered" : undefined;
  if (tag) made.push(tagText(scene, x + w / 2, top - 4, tag, ring ?? PRIVATE, w));
  return made;
}

function isPrivate(card: CardModel): boolean {
  return card.shown === "setup" || card.shown === "peek" || card.shown === "spy";
}

function drawBack(g: Phaser.GameObjects.Graphics, x: number, y: number, w: number, h: number, radius: number): void {
  g.fillStyle(BACK, 1).fillRoundedRect(x, y, w, h, radius);
  const inset = Math.max(3, Math.round(w * 0.09));
  const ix = x + inset;
  const iy = y + inset;
  const iw = w - 2 * inset;
  const ih = h - 2 * inset;
  g.lineStyle(1, BACK_LINE, 0.9).strokeRoundedRect(ix, iy, iw, ih, Math.max(2, radius - inset / 2));
  // A lattice of small diamonds inside the inner frame.
  const step = Math.max(7, Math.round(iw / 5));
  const d = step * 0.32;
  g.fillStyle(BACK_LINE, 0.55);
  for (let row = 0, cy = iy + step / 2; cy < iy + ih - d / 2; row++, cy += step / 2) {
    for (let cx = ix + (row % 2 === 0 ? step / 2 : step); cx < ix + iw - d / 2; cx += step) {
      g.fillPoints(
        [
          new Phaser.Math.Vector2(cx, cy - d),
          new Phaser.Math.Vector2(cx + d, cy),
          new Phaser.Math.Vector2(cx, cy + d),
          new Phaser.Math.Vector2(cx - d, cy),
        ],
        true,
      );
    }
  }
  g.lineStyle(1, 0x16121f, 1).strokeRoundedRect(x, y, w, h, radius);
}

function drawFace(
  scene: Phaser.Scene,
  g: Phaser.GameObjects.Graphics,
  value: number,
  x: number,
  y: number,
  w: number,
  h: number,
  radius: number,
  alpha: number,
): Phaser.GameObjects.GameObject[] {
  const power = powerOf(value);
  g.fillStyle(FACE, alpha).fillRoundedRect(x, y, w, h, radius);
  g.lineStyle(1, power ? POWER_COLORS[power] : 0x9c948a, 1).strokeRoundedRect(x, y, w, h, radius);
  const color = css(power ? POWER_COLORS[power] : INK);
  const made: Phaser.GameObjects.GameObject[] = [];
  const corner = Math.max(9, Math.round(w * 0.2));
  made.push(label(scene, x + w / 2, y + h * (power ? 0.42 : 0.5), String(value), Math.round(h * 0.4), color, true).setAlpha(alpha));
  made.push(label(scene, x + corner * 0.65, y + corner * 0.75, String(value), corner, color, true).setAlpha(alpha));
  if (power) {
    const band = Math.max(11, Math.round(h * 0.18));
    g.fillStyle(POWER_COLORS[power], alpha).fillRoundedRect(x + 3, y + h - band - 3, w - 6, band, Math.min(4, band / 2));
    made.push(
      label(scene, x + w / 2, y + h - 3 - band / 2, POWER_WORDS[power], Math.max(8, Math.round(band * 0.62)), "#ffffff", true).setAlpha(
        alpha,
      ),
    );
  } else {
    made.push(
      label(scene, x + w - corner * 0.65, y + h - corner * 0.75, String(value), corner, color, true)
        .setAlpha(alpha)
        .setAngle(180),
    );
  }
  return made;
}

export function label(
  scene: Phaser.Scene,
  x: number,
  y: number,
  text: string,
  size: number,
  color: string,
  bold = false,
): Phaser.GameObjects.Text {
  return scene.add
    .text(x, y, text, { fontFamily: FONT, fontSize: `${size}px`, color, fontStyle: bold ? "bold" : "normal" })
    .setOrigin(0.5, 0.5)
    .setResolution(2);
}

function tagText(scene: Phaser.Scene, x: number, bottom: number, text: string, color: number, w: number): Phaser.GameObjects.Text {
  return scene.add
    .text(x, bottom, text, {
      fontFamily: FONT,
      fontSize: `${Math.max(9, Math.min(12, Math.round(w * 0.17)))}px`,
      color: "#1d1b22",
      backgroundColor: css(color),
      padding: { x: 4, y: 1 },
      fontStyle: "bold",
    })
    .setOrigin(0.5, 1)
    .setResolution(2);
}
