/**
 * One token on the table map: a disc with the name above and an HP bar below, plus rings for the
 * current turn and the selection. It only draws what it is told (TokenLook); the scene works out
 * the look from state.
 */
import * as Phaser from "phaser";
import type { Portrait } from "./tokenArt";

export interface TokenLook {
  name: string;
  color: number;
  hp: number;
  maxHp: number;
  /** Whose turn it is. */
  current: boolean;
  /** Defeated in the encounter, or down at 0 hp. */
  defeated: boolean;
  /** Hidden from players (only the GM ever receives such a token). */
  hidden: boolean;
  selected: boolean;
  /** Selected and movable by this user: the next click on a cell moves it. */
  armed: boolean;
}

const TEXT_STYLE = { fontFamily: "system-ui, sans-serif", fontSize: "11px", color: "#ffffff", stroke: "#000000", strokeThickness: 3 };
const MOVE_MS = 180;

export class TokenSprite {
  readonly container: Phaser.GameObjects.Container;
  private readonly turnRing: Phaser.GameObjects.Arc;
  private readonly selectRing: Phaser.GameObjects.Arc;
  private readonly disc: Phaser.GameObjects.Arc;
  private readonly cross: Phaser.GameObjects.Graphics;
  private readonly portrait: Phaser.GameObjects.Image;
  private readonly label: Phaser.GameObjects.Text;
  private readonly hpBack: Phaser.GameObjects.Rectangle;
  private readonly hpFill: Phaser.GameObjects.Rectangle;
  private readonly pulse: Phaser.Tweens.Tween;
  /** The cell the state puts this token on (the sprite may still be gliding there). */
  cell = { x: -1, y: -1 };
  look: TokenLook | undefined;

  constructor(
    private readonly scene: Phaser.Scene,
    private readonly size: number,
  ) {
    const r = size * 0.36;
    this.turnRing = scene.add
      .circle(0, 0, r + 5)
      .setStrokeStyle(3, 0xffe066)
      .setFillStyle(0xffe066, 0.12);
    this.selectRing = scene.add.circle(0, 0, r + 2).setStrokeStyle(2, 0xffffff);
    this.disc = scene.add.circle(0, 0, r, 0x888888).setStrokeStyle(2, 0x111111);
    // The portrait fills the disc; its frame is set by showPortrait (a blank until then).
    this.portrait = scene.add.image(0, -r * 0.08, "__DEFAULT").setDisplaySize(r * 1.7, r * 1.7);
    this.cross = scene.add.graphics();
    this.label = scene.add.text(0, -r - 3, "", TEXT_STYLE).setOrigin(0.5, 1);
    this.hpBack = scene.add.rectangle(0, r + 5, size * 0.8, 4, 0x222222).setOrigin(0.5, 0.5);
    this.hpFill = scene.add.rectangle(-size * 0.4, r + 5, size * 0.8, 4, 0x4caf50).setOrigin(0, 0.5);
    this.container = scene.add.container(0, 0, [
      this.turnRing,
      this.selectRing,
      this.disc,
      this.portrait,
      this.cross,
      this.hpBack,
      this.hpFill,
      this.label,
    ]);
    this.pulse = scene.tweens.add({ targets: this.turnRing, scale: 1.15, duration: 600, yoyo: true, repeat: -1, paused: true });
  }

  /** Puts the token on a cell; glides there unless it is new. */
  place(x: number, y: number): void {
    const first = this.cell.x < 0;
    this.cell = { x, y };
    const px = (x + 0.5) * this.size;
    const py = (y + 0.5) * this.size;
    if (first) {
      this.container.setPosition(px, py);
      return;
    }
    this.scene.tweens.killTweensOf(this.container);
    this.scene.tweens.add({ targets: this.container, x: px, y: py, duration: MOVE_MS, ease: "Quad.easeOut" });
  }

  show(look: TokenLook): void {
    this.look = look;
    const r = this.size * 0.36;
    this.disc.setFillStyle(look.color).setStrokeStyle(2, look.hidden ? 0xb388ff : 0x111111);
    this.label.setText(look.hidden ? `${look.name} (hidden)` : look.name);
    this.label.setColor(look.defeated ? "#bbbbbb" : "#ffffff");
    const ratio = look.maxHp > 0 ? Phaser.Math.Clamp(look.hp / look.maxHp, 0, 1) : 0;
    this.hpFill.setSize(Math.max(0.01, this.size * 0.8 * ratio), 4);
    this.hpFill.setFillStyle(ratio > 0.5 ? 0x4caf50 : ratio > 0.25 ? 0xffb300 : 0xe53935);
    this.cross.clear();
    if (look.defeated) {
      const d = r * 0.7;
      this.cross.lineStyle(3, 0xe53935).lineBetween(-d, -d, d, d).lineBetween(-d, d, d, -d);
    }
    this.turnRing.setVisible(look.current);
    if (look.current) this.pulse.resume();
    else this.pulse.pause();
    this.selectRing.setVisible(look.selected).setStrokeStyle(2, look.armed ? 0x00e5ff : 0xffffff);
    this.container.setAlpha(look.hidden ? 0.55 : look.defeated ? 0.6 : 1);
    this.container.setDepth(look.current ? 3 : look.selected ? 2 : 1);
  }

  /** The art inside the disc (the owner's avatar, a townsfolk, a monster). */
  showPortrait(portrait: Portrait): void {
    if (this.portrait.texture.key === portrait.texture && this.portrait.frame.name === portrait.frame) return;
    const r = this.size * 0.36;
    this.portrait.setTexture(portrait.texture, portrait.frame).setDisplaySize(r * 1.7, r * 1.7);
  }

  destroy(): void {
    this.pulse.remove();
    this.scene.tweens.killTweensOf(this.container);
    this.container.destroy();
  }
}
