/**
 * The shared space, drawn only from schema callbacks: onAdd fires for seats that already exist
 * when the scene starts, and listen for the avatar a seat already holds, so a scene that starts
 * late still shows everyone. The scene never moves
 * an avatar itself: it sends input and eases each sprite toward the position the server sent.
 * The map comes from its Tiled JSON and the avatars from the characters' sprite sheet (./spaceArt.ts);
 * whether an avatar walks, and which way, follows from its schema changes (./avatarMotion.ts).
 */
import { typedRequests, type RequestFn, type SpaceContract } from "@tavern/shared/contract";
import * as Phaser from "phaser";
import { Callbacks, type Room } from "@colyseus/sdk";
import type { AvatarState, PlayerState, SpaceState } from "@tavern/shared/state";
import { SPACE_MAP, type Facing } from "@tavern/shared/spaceMap";
import { SpaceAvatar } from "./spaceAvatar";
import { createWalkAnimations, drawSpaceMap, loadSpaceArt } from "./spaceArt";

export interface RenderedAvatar {
  id: string;
  name: string;
  x: number;
  y: number;
  connected: boolean;
  /** Index in CHARACTERS of the sprite sheet shown. */
  character: number;
  walking: boolean;
  facing: Facing;
  /** The walk animation playing, or the standing frame's name. */
  showing: string;
}

/** Per second: how fast a sprite closes the gap to its server position (higher = snappier). */
const EASE_RATE = 14;

export class SpaceScene extends Phaser.Scene {
  private room!: Room<unknown, SpaceState>;
  private request!: RequestFn<SpaceContract>;
  private selfId = "";
  private readonly sprites = new Map<string, SpaceAvatar>();
  /** The avatar each sprite draws, and how to stop following its changes. */
  private readonly drawn = new Map<string, { avatar: AvatarState; stop: () => void }>();
  private readonly unsubscribe: (() => void)[] = [];
  private callbacks!: ReturnType<typeof Callbacks.get<SpaceState>>;
  private keys!: Record<"up" | "down" | "left" | "right" | "w" | "a" | "s" | "d", Phaser.Input.Keyboard.Key>;
  private lastDir = { dx: 0, dy: 0 };
  /** True once create() has attached the callbacks. */
  ready = false;

  constructor() {
    super("space");
  }

  init(data: { room: Room<unknown, SpaceState>; selfId: string }): void {
    this.room = data.room;
    this.request = typedRequests<SpaceContract>(data.room);
    this.selfId = data.selfId;
  }

  preload(): void {
    loadSpaceArt(this.load);
  }

  create(): void {
    drawSpaceMap(this);
    createWalkAnimations(this.anims);
    this.cameras.main.setBounds(0, 0, SPACE_MAP.width, SPACE_MAP.height);

    const cb = (this.callbacks = Callbacks.get(this.room));
    this.unsubscribe.push(
      cb.onAdd("players", (player, id) => {
        this.unsubscribe.push(
          // A seat's avatar comes with it (spectators have none) and goes with it.
          cb.listen(player, "avatar", (avatar) => (avatar ? this.addAvatar(String(id), avatar) : this.removeAvatar(String(id)))),
          cb.listen(player, "connected", () => this.refreshLabel(String(id))),
          cb.listen(player, "name", () => this.refreshLabel(String(id))),
          cb.listen(player, "character", (character) => this.sprites.get(String(id))?.setCharacter(character)),
        );
      }),
      cb.onRemove("players", (_player, id) => this.removeAvatar(String(id))),
    );

    const kb = this.input.keyboard!;
    const k = kb.addKeys({ up: "UP", down: "DOWN", left: "LEFT", right: "RIGHT", w: "W", a: "A", s: "S", d: "D" }, false);
    this.keys = k as typeof this.keys;
    this.input.on("pointerdown", (pointer: Phaser.Input.Pointer) => {
      void this.request("moveTo", { x: pointer.worldX, y: pointer.worldY }).catch(() => undefined);
    });
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => this.teardown());
    this.ready = true;
  }

  override update(_time: number, deltaMs: number): void {
    this.sendKeyboardInput();
    const t = Math.min(1, (deltaMs / 1000) * EASE_RATE);
    for (const sprite of this.sprites.values()) sprite.ease(t);
  }

  /** What the scene shows now, for tests (read through the test hook, never by pixels). */
  rendered(): RenderedAvatar[] {
    return [...this.sprites.entries()].map(([id, s]) => {
      const player = this.room.state.players.get(id);
      return {
        id,
        name: s.label.text,
        x: Math.round(s.container.x),
        y: Math.round(s.container.y),
        connected: player?.connected ?? false,
        character: s.character,
        walking: s.pose.walking,
        facing: s.facing,
        showing: s.showing,
      };
    });
  }

  private sendKeyboardInput(): void {
    const k = this.keys;
    const dx = (k.right.isDown || k.d.isDown ? 1 : 0) - (k.left.isDown || k.a.isDown ? 1 : 0);
    const dy = (k.down.isDown || k.s.isDown ? 1 : 0) - (k.up.isDown || k.w.isDown ? 1 : 0);
    if (dx === this.lastDir.dx && dy === this.lastDir.dy) return;
    this.lastDir = { dx, dy };
    void this.request("move", { dx, dy }).catch(() => undefined);
  }

  private addAvatar(id: string, avatar: AvatarState): void {
    // A seat that arrives while the scene runs tells its avatar twice: listen's immediate call
    // (every Callbacks.get makes its own strategy, so this one never counts as triggering) and
    // then the change itself.
    if (this.drawn.get(id)?.avatar === avatar) return;
    this.removeAvatar(id);
    const isSelf = id === this.selfId;
    const sprite = new SpaceAvatar(this, avatar, isSelf);
    sprite.setCharacter(this.room.state.players.get(id)?.character ?? 0);
    this.sprites.set(id, sprite);
    // The only place an avatar learns it moved: walking, facing and standing all follow from here.
    this.drawn.set(id, { avatar, stop: this.callbacks.onChange(avatar, () => sprite.changed(avatar)) });
    if (isSelf) this.cameras.main.startFollow(sprite.container, true, 0.15, 0.15);
    this.refreshLabel(id);
  }

  private removeAvatar(id: string): void {
    this.drawn.get(id)?.stop();
    this.drawn.delete(id);
    const sprite = this.sprites.get(id);
    if (!sprite) return;
    sprite.destroy();
    this.sprites.delete(id);
  }

  /** Name labels, greyed while the player is disconnected (their seat is held). */
  private refreshLabel(id: string): void {
    const sprite = this.sprites.get(id);
    const player: PlayerState | undefined = this.room.state.players.get(id);
    if (!sprite || !player) return;
    sprite.label.setText(player.connected ? player.name : `${player.name} (away)`);
    sprite.container.setAlpha(player.connected ? 1 : 0.4);
  }

  private teardown(): void {
    for (const off of this.unsubscribe.splice(0)) off();
    for (const id of [...this.sprites.keys()]) this.removeAvatar(id);
    this.ready = false;
  }
}
