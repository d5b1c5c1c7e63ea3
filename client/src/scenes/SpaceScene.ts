/**
 * The shared space, drawn only from schema callbacks: onAdd fires for avatars that already exist
 * when the scene starts, so a scene that starts late still shows everyone. The scene never moves
 * an avatar itself: it sends input and eases each sprite toward the position the server sent.
 */
import { typedRequests, type RequestFn, type SpaceContract } from "@tavern/shared/contract";
import * as Phaser from "phaser";
import { Callbacks, type Room } from "@colyseus/sdk";
import type { AvatarState, PlayerState, SpaceState } from "@tavern/shared/state";
import { SPACE_MAP, TILE_SIZE, AVATAR_RADIUS } from "@tavern/shared/spaceMap";

export interface RenderedAvatar {
  id: string;
  name: string;
  x: number;
  y: number;
  connected: boolean;
}

interface Sprite {
  container: Phaser.GameObjects.Container;
  body: Phaser.GameObjects.Arc;
  label: Phaser.GameObjects.Text;
  target: { x: number; y: number };
}

/** Per second: how fast a sprite closes the gap to its server position (higher = snappier). */
const EASE_RATE = 14;

export class SpaceScene extends Phaser.Scene {
  private room!: Room<unknown, SpaceState>;
  private request!: RequestFn<SpaceContract>;
  private selfId = "";
  private readonly sprites = new Map<string, Sprite>();
  private readonly unsubscribe: (() => void)[] = [];
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

  create(): void {
    this.drawMap();
    this.cameras.main.setBounds(0, 0, SPACE_MAP.width, SPACE_MAP.height);

    const cb = Callbacks.get(this.room);
    this.unsubscribe.push(
      cb.onAdd("avatars", (avatar, id) => this.addAvatar(String(id), avatar)),
      cb.onRemove("avatars", (_avatar, id) => this.removeAvatar(String(id))),
      cb.onAdd("players", (player, id) => {
        this.unsubscribe.push(
          cb.listen(player, "connected", () => this.refreshLabel(String(id))),
          cb.listen(player, "name", () => this.refreshLabel(String(id))),
        );
      }),
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
    for (const sprite of this.sprites.values()) {
      sprite.container.x += (sprite.target.x - sprite.container.x) * t;
      sprite.container.y += (sprite.target.y - sprite.container.y) * t;
    }
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

  private drawMap(): void {
    const g = this.add.graphics();
    g.fillStyle(0x3b3545).fillRect(0, 0, TILE_SIZE, TILE_SIZE);
    g.lineStyle(1, 0x443d50).strokeRect(0, 0, TILE_SIZE, TILE_SIZE);
    g.fillStyle(0x6d5a3a).fillRect(TILE_SIZE, 0, TILE_SIZE, TILE_SIZE);
    g.lineStyle(2, 0x8a744c).strokeRect(TILE_SIZE + 1, 1, TILE_SIZE - 2, TILE_SIZE - 2);
    g.generateTexture("tiles", TILE_SIZE * 2, TILE_SIZE);
    g.destroy();
    const data = SPACE_MAP.walls.map((row) => row.map((wall) => (wall ? 1 : 0)));
    const map = this.make.tilemap({ data, tileWidth: TILE_SIZE, tileHeight: TILE_SIZE });
    const tiles = map.addTilesetImage("tiles", "tiles", TILE_SIZE, TILE_SIZE, 0, 0)!;
    map.createLayer(0, tiles, 0, 0);
  }

  private addAvatar(id: string, avatar: AvatarState): void {
    this.removeAvatar(id);
    const isSelf = id === this.selfId;
    const body = this.add.circle(0, 0, AVATAR_RADIUS, isSelf ? 0xf2c14e : colorFor(id)).setStrokeStyle(2, 0x111111);
    const label = this.add
      .text(0, -AVATAR_RADIUS - 4, "", { fontFamily: "system-ui, sans-serif", fontSize: "12px", color: "#ffffff" })
      .setOrigin(0.5, 1);
    const container = this.add.container(avatar.x, avatar.y, [body, label]).setDepth(isSelf ? 2 : 1);
    const sprite: Sprite = { container, body, label, target: { x: avatar.x, y: avatar.y } };
    this.sprites.set(id, sprite);
    const cb = Callbacks.get(this.room);
    this.unsubscribe.push(
      cb.onChange(avatar, () => {
        sprite.target = { x: avatar.x, y: avatar.y };
      }),
    );
    if (isSelf) this.cameras.main.startFollow(container, true, 0.15, 0.15);
    this.refreshLabel(id);
  }

  private removeAvatar(id: string): void {
    const sprite = this.sprites.get(id);
    if (!sprite) return;
    sprite.container.destroy();
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

function colorFor(id: string): number {
  let h = 0;
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return Phaser.Display.Color.HSLToColor((h % 360) / 360, 0.55, 0.55).color;
}
