/**
 * One avatar in the space: the character's sprite (walk animation or standing frame), a shadow and
 * a name label. It shows what it is told; the scene tells it from schema callbacks.
 */
import type * as Phaser from "phaser";
import { characterAt, characterFrame } from "@tavern/shared/characters";
import type { Facing } from "@tavern/shared/spaceMap";
import { nextPose, type AvatarPose, type ServerAvatar } from "./avatarMotion";
import { SPACE_ART, walkAnimation } from "./spaceArt";

const LABEL_STYLE: Phaser.Types.GameObjects.Text.TextStyle = {
  fontFamily: "system-ui, sans-serif",
  fontSize: "13px",
  fontStyle: "bold",
  color: "#ffffff",
  stroke: "#15101a",
  strokeThickness: 4,
};
/** The sprite's feet sit this far below the avatar's collision centre. */
const FEET_OFFSET = 10;
const SPRITE_HEIGHT = 32;

export class SpaceAvatar {
  readonly container: Phaser.GameObjects.Container;
  readonly label: Phaser.GameObjects.Text;
  private readonly body: Phaser.GameObjects.Sprite;
  /** Where the server has the avatar (the sprite eases there). */
  target: { x: number; y: number };
  pose: AvatarPose;
  character = 0;

  constructor(scene: Phaser.Scene, avatar: ServerAvatar, isSelf: boolean) {
    this.target = { x: avatar.x, y: avatar.y };
    this.pose = { walking: false, facing: avatar.facing };
    const shadow = scene.add.ellipse(0, FEET_OFFSET - 1, 20, 7, 0x000000, 0.35);
    this.body = scene.add.sprite(0, FEET_OFFSET, SPACE_ART.characters).setOrigin(0.5, 1);
    this.label = scene.add
      .text(0, FEET_OFFSET - SPRITE_HEIGHT - 1, "", { ...LABEL_STYLE, color: isSelf ? "#ffd966" : "#ffffff" })
      .setOrigin(0.5, 1);
    this.container = scene.add.container(avatar.x, avatar.y, [shadow, this.body, this.label]);
    this.show();
  }

  /** A schema change of this avatar: where it is now, and whether it is still moving. */
  changed(avatar: ServerAvatar): void {
    this.pose = nextPose(this.pose, this.target, avatar);
    this.target = { x: avatar.x, y: avatar.y };
    this.show();
  }

  setCharacter(index: number): void {
    if (index === this.character) return;
    this.character = index;
    this.body.stop(); // the next show() starts this character's animation
    this.show();
  }

  /** Moves the sprite part of the way to its server position; nearer the bottom draws in front. */
  ease(t: number): void {
    const c = this.container;
    c.x += (this.target.x - c.x) * t;
    c.y += (this.target.y - c.y) * t;
    c.setDepth(c.y);
  }

  /** The animation playing, or the standing frame: what tests read. */
  get showing(): string {
    return this.pose.walking ? (this.body.anims.currentAnim?.key ?? "") : String(this.body.frame.name);
  }

  get facing(): Facing {
    return this.pose.facing;
  }

  destroy(): void {
    this.container.destroy();
  }

  private show(): void {
    const { id } = characterAt(this.character);
    if (this.pose.walking) {
      this.body.play(walkAnimation(id, this.pose.facing), true);
      return;
    }
    this.body.stop();
    this.body.setFrame(characterFrame(id, this.pose.facing, 0));
  }
}
