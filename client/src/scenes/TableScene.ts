/**
 * The table's grid map, drawn only from schema callbacks (onAdd fires for tokens that already
 * exist when the scene starts). A click on a token selects it; a click on a cell then moves the
 * selected token if this user may move it (own character, or any token for the GM). The scene
 * never moves a token itself: it asks the server and draws the position the state then carries.
 *
 * The GM's state holds hidden actors and combatants in its GM-only part (`gm`); the scene watches
 * both sides. A reveal or a hide moves an entity to the other side as a new instance, and the
 * patch may announce the new one before or after the old one goes: a token follows the instance
 * it was drawn from, and is dropped only when that very instance goes.
 */
import * as Phaser from "phaser";
import { Callbacks, type Room } from "@colyseus/sdk";
import type { CombatantState, EncounterState, GmTableState, TableState } from "@tavern/shared/table/state";
import { combatantsOf, entityOf, mayMove, tokenKey, type TokenRef } from "../table/entities";
import type { Selection } from "../table/selection";
import { TokenSprite, type TokenLook } from "./tableToken";
import { loadTokenArt, portraitOf } from "./tokenArt";

/** Canvas pixels between the grid and the canvas edge. */
const MARGIN = 16;

export interface TableSceneData {
  room: Room<unknown, TableState>;
  selfId: string;
  selection: Selection;
  /** Asks the server to move a token (errors are the caller's to show). */
  move(ref: TokenRef, x: number, y: number): void;
}

export interface RenderedToken extends TokenRef, TokenLook {
  x: number;
  y: number;
}

export class TableScene extends Phaser.Scene {
  // Not `data`: Phaser.Scene already has a `data` (its DataManager).
  private ctx!: TableSceneData;
  private readonly tokens = new Map<string, { ref: TokenRef; entity: object; sprite: TokenSprite; off: () => void }>();
  /** Per-combatant change listeners, dropped with the combatant instance they listen to. */
  private readonly combatantOffs = new Map<CombatantState, () => void>();
  private readonly unsubscribe: (() => void)[] = [];
  private grid: Phaser.GameObjects.Graphics | undefined;
  private cellSize = 0;
  /** True once create() has attached the callbacks. */
  ready = false;

  constructor() {
    super("table");
  }

  init(data: TableSceneData): void {
    this.ctx = data;
  }

  preload(): void {
    loadTokenArt(this.load);
  }

  private get state(): TableState {
    return this.ctx.room.state;
  }

  create(): void {
    const { room, selection } = this.ctx;
    const cb = Callbacks.get(room);
    const restyle = () => this.restyleAll();
    this.unsubscribe.push(
      cb.listen("mapWidth", () => this.layout()),
      cb.listen("mapHeight", () => this.layout()),
      cb.listen("hostId", restyle),
      cb.onAdd("characters", (c, id) => this.addToken({ kind: "character", id: String(id) }, c)),
      cb.onRemove("characters", (_c, id) => this.removeToken({ kind: "character", id: String(id) })),
      cb.onAdd("actors", (a, id) => this.addToken({ kind: "actor", id: String(id) }, a)),
      cb.onRemove("actors", (a, id) => this.dropToken({ kind: "actor", id: String(id) }, a)),
      cb.listen("encounter", (encounter) => this.watchEncounter(encounter)),
      cb.listen("gm", (gm) => {
        if (gm) this.watchGmPart(gm);
      }),
      selection.on(restyle),
    );
    this.input.on("pointerdown", (pointer: Phaser.Input.Pointer) => this.clicked(pointer.worldX, pointer.worldY));
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => this.teardown());
    this.ready = true;
  }

  /** What the scene shows now, for tests (read through the test hook, never by pixels). */
  rendered(): RenderedToken[] {
    return [...this.tokens.values()]
      .filter(({ sprite }) => sprite.look)
      .map(({ ref, sprite }) => ({ ...ref, ...sprite.look!, x: sprite.cell.x, y: sprite.cell.y }));
  }

  /** Canvas pixel at the centre of a cell (tests click there). */
  cellCenter(x: number, y: number): { x: number; y: number } {
    const camera = this.cameras.main;
    return { x: (x + 0.5) * this.cellSize - camera.scrollX, y: (y + 0.5) * this.cellSize - camera.scrollY };
  }

  private watchEncounter(encounter: EncounterState): void {
    const cb = Callbacks.get(this.ctx.room);
    this.unsubscribe.push(
      cb.listen(encounter, "active", () => this.restyleAll()),
      cb.onAdd(encounter, "combatants", (c) => this.watchCombatant(c)),
      cb.onRemove(encounter, "combatants", (c) => this.unwatchCombatant(c)),
    );
  }

  /** The GM's hidden actors and combatants. */
  private watchGmPart(gm: GmTableState): void {
    const cb = Callbacks.get(this.ctx.room);
    this.unsubscribe.push(
      cb.onAdd(gm, "actors", (a, id) => this.addToken({ kind: "actor", id: String(id) }, a)),
      cb.onRemove(gm, "actors", (a, id) => this.dropToken({ kind: "actor", id: String(id) }, a)),
      cb.onAdd(gm, "combatants", (c) => this.watchCombatant(c)),
      cb.onRemove(gm, "combatants", (c) => this.unwatchCombatant(c)),
    );
  }

  private watchCombatant(c: CombatantState): void {
    const restyle = () => this.restyleAll();
    this.combatantOffs.get(c)?.();
    this.combatantOffs.set(c, Callbacks.get(this.ctx.room).onChange(c, restyle));
    restyle();
  }

  private unwatchCombatant(c: CombatantState): void {
    this.combatantOffs.get(c)?.();
    this.combatantOffs.delete(c);
    this.restyleAll();
  }

  /** Cell size that fits the whole map in the canvas; a new size redraws grid and tokens. */
  private layout(): void {
    const { mapWidth, mapHeight } = this.state;
    if (!mapWidth || !mapHeight) return;
    const size = Math.floor(Math.min((this.scale.width - 2 * MARGIN) / mapWidth, (this.scale.height - 2 * MARGIN) / mapHeight));
    // A margin round the grid keeps the names of tokens on the top row inside the canvas.
    this.cameras.main.setScroll(-MARGIN, -MARGIN);
    this.grid?.destroy();
    const g = (this.grid = this.add.graphics().setDepth(0));
    g.fillStyle(0x2b2733).fillRect(0, 0, mapWidth * size, mapHeight * size);
    g.lineStyle(1, 0x443d50);
    for (let x = 0; x <= mapWidth; x++) g.lineBetween(x * size, 0, x * size, mapHeight * size);
    for (let y = 0; y <= mapHeight; y++) g.lineBetween(0, y * size, mapWidth * size, y * size);
    if (size === this.cellSize) return;
    this.cellSize = size;
    // Token visuals are built for one cell size: rebuild them all from state.
    for (const { ref } of [...this.tokens.values()]) {
      this.removeToken(ref);
      const entity = entityOf(this.state, ref);
      if (entity) this.addToken(ref, entity);
    }
  }

  private addToken(ref: TokenRef, entity: { x: number; y: number }): void {
    if (!this.cellSize) this.layout();
    this.removeToken(ref);
    const sprite = new TokenSprite(this, this.cellSize || 40);
    sprite.place(entity.x, entity.y);
    const off = Callbacks.get(this.ctx.room).onChange(entity, () => {
      if (entity.x !== sprite.cell.x || entity.y !== sprite.cell.y) sprite.place(entity.x, entity.y);
      this.restyle(ref, sprite);
    });
    this.tokens.set(tokenKey(ref), { ref, entity, sprite, off });
    this.restyle(ref, sprite);
  }

  /**
   * An entity instance left its map. When the token already shows the entity's new instance
   * (it moved to the other map, announced first), nothing changes; otherwise the token goes, and
   * comes back at once from the new instance if the entity moved.
   */
  private dropToken(ref: TokenRef, removed: object): void {
    const token = this.tokens.get(tokenKey(ref));
    if (token && token.entity !== removed) return;
    this.removeToken(ref);
    const moved = entityOf(this.state, ref);
    if (moved) this.addToken(ref, moved);
  }

  private removeToken(ref: TokenRef): void {
    const key = tokenKey(ref);
    const token = this.tokens.get(key);
    token?.off();
    token?.sprite.destroy();
    this.tokens.delete(key);
    if (this.ctx.selection.ref && tokenKey(this.ctx.selection.ref) === key && !entityOf(this.state, ref)) {
      this.ctx.selection.set(undefined);
    }
  }

  private restyleAll(): void {
    for (const { ref, sprite } of this.tokens.values()) this.restyle(ref, sprite);
  }

  private restyle(ref: TokenRef, sprite: TokenSprite): void {
    const entity = entityOf(this.state, ref);
    if (!entity) return;
    const { selfId, selection } = this.ctx;
    const combatants = this.state.encounter?.active ? combatantsOf(this.state, ref).map(([, c]) => c) : [];
    const selected = selection.ref !== undefined && tokenKey(selection.ref) === tokenKey(ref);
    const actorHidden = ref.kind === "actor" && "hidden" in entity && entity.hidden;
    sprite.show({
      name: entity.name,
      color: colorOf(ref, entity, selfId),
      hp: entity.hp,
      maxHp: entity.maxHp,
      current: combatants.some((c) => c.current),
      defeated: combatants.some((c) => c.defeated) || entity.hp <= 0,
      hidden: actorHidden || combatants.some((c) => c.hidden),
      selected,
      armed: selected && mayMove(this.state, selfId, ref),
    });
    sprite.showPortrait(portraitOf(this.state, ref, entity));
  }

  private clicked(px: number, py: number): void {
    if (!this.cellSize) return;
    const x = Math.floor(px / this.cellSize);
    const y = Math.floor(py / this.cellSize);
    if (x < 0 || y < 0 || x >= this.state.mapWidth || y >= this.state.mapHeight) return;
    const { selection, selfId } = this.ctx;
    const here = this.tokenAt(x, y);
    if (here) {
      selection.set(here);
      return;
    }
    const chosen = selection.ref;
    if (chosen && mayMove(this.state, selfId, chosen)) this.ctx.move(chosen, x, y);
    else selection.set(undefined);
  }

  /** The token on a cell; the selected one wins when tokens share a cell, then the topmost drawn. */
  private tokenAt(x: number, y: number): TokenRef | undefined {
    const onCell = [...this.tokens.values()].filter(({ sprite }) => sprite.cell.x === x && sprite.cell.y === y);
    const selected = this.ctx.selection.ref;
    const again = onCell.find(({ ref }) => selected && tokenKey(ref) === tokenKey(selected));
    // Clicking a stack again cycles to the next token in it, so every token stays reachable.
    if (again && onCell.length > 1) return onCell[(onCell.indexOf(again) + 1) % onCell.length]!.ref;
    return onCell.at(-1)?.ref;
  }

  private teardown(): void {
    for (const off of this.unsubscribe.splice(0)) off();
    for (const off of this.combatantOffs.values()) off();
    this.combatantOffs.clear();
    for (const { ref } of [...this.tokens.values()]) this.removeToken(ref);
    this.grid?.destroy();
    this.grid = undefined;
    this.cellSize = 0;
    this.ready = false;
  }
}

function colorOf(ref: TokenRef, entity: { ownerId?: string; kind?: string }, selfId: string): number {
  if (ref.kind === "character") return entity.ownerId === selfId && selfId !== "" ? 0xf2c14e : 0x4e8ef2;
  return entity.kind === "npc" ? 0x43a047 : 0xc0392b;
}
