/**
 * The Cabo table, drawn only from schema callbacks: every change the watcher reports (a card, a
 * seat, the piles, the player's private part, a name) marks the table for a redraw from the decoded
 * state, done once per frame however many callbacks a patch fired. Clicks pick cards (the player's
 * own, or one of another player's) or draw from the pile; the scene never changes the game itself:
 * it sends the move and draws what the state then says. Timers count down from the deadlines the
 * state carries.
 */
import * as Phaser from "phaser";
import type { Room } from "@colyseus/sdk";
import type { CaboState } from "@tavern/shared/cabo/state";
import type { CaboApi } from "../cabo/api";
import type { CaboMemory } from "../cabo/memory";
import { tableModel, type CaboTableModel, type SeatModel } from "../cabo/model";
import type { CaboSelection } from "../cabo/selection";
import { watchCabo } from "../cabo/watch";
import { FONT, drawCard, label } from "./caboCard";
import { CANVAS, PILES, STATUS_Y, placeSeats, rowMetrics } from "./caboLayout";

export interface CaboSceneData {
  room: Room<unknown, CaboState>;
  selfId: string;
  selection: CaboSelection;
  api: CaboApi;
  memory: CaboMemory;
}

/** Something on the table a click can hit. */
export type CaboHit = { kind: "card"; seat: string; position: number } | { kind: "draw" } | { kind: "discard" };

interface HitBox {
  hit: CaboHit;
  x: number;
  y: number;
  w: number;
  h: number;
}

const GOLD = "#f2c14e";
const TEXT = "#ece6f5";
const MUTED = "#a79fb8";

export class CaboScene extends Phaser.Scene {
  private ctx!: CaboSceneData;
  private offs: (() => void)[] = [];
  private drawn: Phaser.GameObjects.GameObject[] = [];
  private hits: HitBox[] = [];
  private dirty = true;
  private timerText: Phaser.GameObjects.Text | undefined;
  private model: CaboTableModel | undefined;
  /** How many redraws, and the time they took, for tests that watch what a page costs. */
  readonly stats = { redraws: 0, ms: 0 };
  /** True once create() has attached the callbacks. */
  ready = false;

  constructor() {
    super("cabo");
  }

  init(data: CaboSceneData): void {
    this.ctx = data;
  }

  create(): void {
    const mark = () => (this.dirty = true);
    this.offs.push(watchCabo(this.ctx.room, mark), this.ctx.selection.on(mark), this.ctx.memory.on(mark));
    this.input.on("pointerdown", (pointer: Phaser.Input.Pointer) => this.clicked(pointer.worldX, pointer.worldY));
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => this.teardown());
    this.dirty = true;
    this.ready = true;
  }

  override update(): void {
    if (this.dirty) {
      this.dirty = false;
      const t0 = performance.now();
      this.redraw();
      this.stats.redraws++;
      this.stats.ms += performance.now() - t0;
    }
    this.tickTimer();
  }

  /** The model last drawn, for tests (read through the test hook, never by pixels). */
  rendered(): CaboTableModel | undefined {
    return this.model;
  }

  /** Canvas pixel at the centre of a card or pile (tests click there). */
  centreOf(hit: CaboHit): { x: number; y: number } | undefined {
    const box = this.hits.find((b) => sameHit(b.hit, hit));
    return box && { x: box.x + box.w / 2, y: box.y + box.h / 2 };
  }

  private redraw(): void {
    const { room, selfId, selection, memory } = this.ctx;
    const g = room.state.game;
    if (!g) return;
    // A pick is for one step of one turn: a new step starts with nothing picked.
    selection.resetFor(`${g.match}:${g.round}:${g.phase}:${g.turnSeat}:${g.turnStep}`);
    const m = tableModel(room.state, selfId, selection.current, memory.values);
    this.model = m;
    for (const obj of this.drawn.splice(0)) obj.destroy();
    this.hits = [];
    this.timerText = undefined;
    this.drawFelt();
    if (m.stage === "idle") {
      this.drawIdle(m);
      return;
    }
    const selfIndex = m.seats.findIndex((s) => s.self);
    const places = placeSeats(m.seats.length, selfIndex);
    m.seats.forEach((seat, i) => this.drawSeat(m, seat, places[i]!));
    this.drawPiles(m);
    this.drawStatus(m);
  }

  private drawFelt(): void {
    const g = this.keep(this.add.graphics());
    g.fillStyle(0x1d1b22, 1).fillRect(0, 0, CANVAS.width, CANVAS.height);
    g.fillStyle(0x1f3a33, 1).fillRoundedRect(8, 8, CANVAS.width - 16, CANVAS.height - 16, 28);
    g.lineStyle(3, 0x2f5b4f, 1).strokeRoundedRect(8, 8, CANVAS.width - 16, CANVAS.height - 16, 28);
    g.lineStyle(1, 0x2a4d43, 1).strokeRoundedRect(20, 20, CANVAS.width - 40, CANVAS.height - 40, 20);
  }

  private drawIdle(m: CaboTableModel): void {
    this.keep(label(this, CANVAS.width / 2, 270, "Cabo", 54, GOLD, true));
    const text =
      m.roomPhase === "lobby"
        ? "Waiting for the host to deal. Players tick ready; the host presses Start."
        : "No game is running. The host can deal a new one.";
    this.keep(label(this, CANVAS.width / 2, 330, text, 17, TEXT));
    this.keep(label(this, CANVAS.width / 2, 362, "2 to 6 players · lowest hand wins · 7–8 peek, 9–10 spy, 11–12 swap", 14, MUTED));
  }

  private drawSeat(m: CaboTableModel, seat: SeatModel, place: ReturnType<typeof placeSeats>[number]): void {
    const row = rowMetrics(place, Math.max(1, seat.cards.length));
    const big = seat.self;
    // The name plate: gold while it is this seat's turn.
    const name = `${seat.name}${seat.self ? " (you)" : ""}`;
    // Above the tags a card may wear ("only you", "looking"), which sit just over the cards.
    const plateY = place.top - (big ? 36 : 32);
    const plate = this.keep(
      this.add
        .text(place.cx, plateY, `${name}  ·  ${seat.total} pts`, {
          fontFamily: FONT,
          fontSize: big ? "16px" : "14px",
          color: seat.turn ? "#1d1b22" : seat.left ? MUTED : TEXT,
          backgroundColor: seat.turn ? GOLD : "#2a2631",
          padding: { x: 8, y: 2 },
          fontStyle: seat.turn || seat.self ? "bold" : "normal",
        })
        .setOrigin(0.5, 0.5)
        .setResolution(2),
    );
    const tags: [string, string][] = [];
    if (seat.caller) tags.push(["CABO!", "#c0392b"]);
    if (seat.left) tags.push(["left the game", "#5a5266"]);
    else if (!seat.connected) tags.push(["away", "#b26a00"]);
    if (m.stage === "setup" && seat.setupDone) tags.push(["done looking", "#2e7d32"]);
    let tagX = place.cx + plate.width / 2 + 6;
    for (const [text, color] of tags) {
      const tag = this.keep(
        this.add
          .text(tagX, plateY, text, {
            fontFamily: FONT,
            fontSize: "12px",
            color: "#ffffff",
            backgroundColor: color,
            padding: { x: 5, y: 2 },
            fontStyle: "bold",
          })
          .setOrigin(0, 0.5)
          .setResolution(2),
      );
      tagX += tag.width + 4;
    }
    seat.cards.forEach((card, i) => {
      const x = row.left + i * (row.w + row.gap);
      this.keep(...drawCard(this, card, x, place.top, row.w, row.h));
      if (card.present)
        this.hits.push({ hit: { kind: "card", seat: seat.seat, position: card.position }, x, y: place.top, w: row.w, h: row.h });
      if (big) this.keep(label(this, x + row.w / 2, place.top + row.h + 10, String(card.position + 1), 11, MUTED));
    });
    if (seat.round) {
      const y = place.top + row.h + (big ? 28 : 14);
      const text = `hand ${seat.round.sum}  →  ${seat.round.score >= 0 ? "+" : ""}${seat.round.score}`;
      this.keep(
        this.add
          .text(place.cx, y, text, {
            fontFamily: FONT,
            fontSize: big ? "15px" : "13px",
            color: "#1d1b22",
            backgroundColor: "#d9d2e9",
            padding: { x: 6, y: 1 },
            fontStyle: "bold",
          })
          .setOrigin(0.5, 0.5)
          .setResolution(2),
      );
    }
  }

  private drawPiles(m: CaboTableModel): void {
    const { y, cardW: w, cardH: h } = PILES;
    // The draw pile: a small stack of backs.
    const drawX = PILES.drawX - w / 2;
    if (m.drawPile > 0) {
      for (let k = Math.min(3, m.drawPile) - 1; k >= 0; k--) {
        this.keep(...drawCard(this, back(), drawX + k * 2, y - k * 2, w, h));
      }
      this.hits.push({ hit: { kind: "draw" }, x: drawX, y, w, h });
    } else this.keep(...drawCard(this, { ...back(), present: false }, drawX, y, w, h));
    this.keep(label(this, PILES.drawX, y + h + 14, `Draw pile · ${m.drawPile}`, 13, MUTED));

    const discardX = PILES.discardX - w / 2;
    const top = m.discardTop;
    this.keep(
      ...drawCard(
        this,
        top === undefined ? { ...back(), present: false } : { ...back(), faceUp: true, value: top, shown: "public" },
        discardX,
        y,
        w,
        h,
      ),
    );
    this.hits.push({ hit: { kind: "discard" }, x: discardX, y, w, h });
    this.keep(label(this, PILES.discardX, y + h + 14, `Discard · ${m.discardCount}`, 13, MUTED));

    const heldX = PILES.drawnX - w / 2;
    if (m.drawn !== undefined) {
      this.keep(...drawCard(this, { ...back(), value: m.drawn, shown: "peek" }, heldX, y, w, h));
      this.keep(label(this, PILES.drawnX, y + h + 14, "You drew", 13, GOLD, true));
    } else if (m.otherHolds) {
      this.keep(...drawCard(this, back(), heldX, y, w, h));
      this.keep(label(this, PILES.drawnX, y + h + 14, `${m.turnName} drew`, 13, MUTED));
    }
  }

  private drawStatus(m: CaboTableModel): void {
    const line = statusLine(m);
    this.keep(label(this, CANVAS.width / 2, STATUS_Y, line, 18, m.stage === "matchEnd" ? GOLD : TEXT, true));
    this.timerText = this.keep(label(this, CANVAS.width / 2, STATUS_Y + 24, "", 14, MUTED));
    if (m.lastAction)
      this.keep(
        label(this, CANVAS.width / 2, PILES.y + PILES.cardH + 44, m.lastAction, 13, MUTED)
          .setWordWrapWidth(560)
          .setAlign("center"),
      );
    this.tickTimer(true);
  }

  /** Countdowns, from the deadlines in the state, refreshed every frame without a redraw. */
  private tickTimer(force = false): void {
    const m = this.model;
    if (!m || !this.timerText) return;
    const now = Date.now();
    const left = (at: number) => Math.max(0, Math.ceil((at - now) / 1000));
    let text = "";
    if (m.stage === "setup" && m.setupUntil > 0) text = `Setup peek ends in ${left(m.setupUntil)} s`;
    else if (m.stage === "turn" && m.window) text = `Card shown for ${left(m.window.until)} s more`;
    else if (m.stage === "turn" && m.turnDeadline > 0)
      text = `${m.myTurn ? "Your" : `${m.turnName}'s`} turn: ${left(m.turnDeadline)} s left`;
    else if (m.stage === "roundEnd" && m.nextRoundAt > 0) text = `Next round in ${left(m.nextRoundAt)} s`;
    if (force || this.timerText.text !== text) this.timerText.setText(text);
  }

  private clicked(px: number, py: number): void {
    const m = this.model;
    if (!m) return;
    // The last drawn box is on top (a lifted card overlaps its neighbours' space).
    const box = [...this.hits].reverse().find((b) => px >= b.x && px <= b.x + b.w && py >= b.y - 10 && py <= b.y + b.h);
    if (!box) return;
    const { selection, api } = this.ctx;
    // Out of turn or step too: the server's refusal, told in words, says why nothing happened.
    if (box.hit.kind === "draw") {
      if (m.playing && m.stage === "turn") void api.move({ type: "draw" });
      return;
    }
    if (box.hit.kind === "discard") {
      const own = m.picks.own;
      if (m.playing && m.stage === "turn" && own.length === 1 && own[0] !== undefined)
        void api.move({ type: "takeDiscard", position: own[0] });
      return;
    }
    const hit = box.hit;
    if (hit.seat === m.selfId) selection.toggleOwn(hit.position);
    else selection.toggleTarget({ seat: hit.seat, position: hit.position });
  }

  private keep<T extends Phaser.GameObjects.GameObject>(...objects: T[]): T {
    this.drawn.push(...objects);
    return objects[0]!;
  }

  private teardown(): void {
    for (const off of this.offs.splice(0)) off();
    for (const obj of this.drawn.splice(0)) obj.destroy();
    this.hits = [];
    this.model = undefined;
    this.timerText = undefined;
    this.ready = false;
  }
}

function back() {
  return { position: -1, present: true, faceUp: false, value: undefined, shown: undefined, picked: false, watched: false };
}

function sameHit(a: CaboHit, b: CaboHit): boolean {
  if (a.kind !== b.kind) return false;
  return a.kind !== "card" || (b.kind === "card" && a.seat === b.seat && a.position === b.position);
}

function statusLine(m: CaboTableModel): string {
  const nameOf = (seat: string) => m.seats.find((s) => s.seat === seat)?.name ?? "someone";
  switch (m.stage) {
    case "setup":
      return m.playing ? "Look at your two cards and remember them" : "Everyone is looking at their first two cards";
    case "turn": {
      const cabo = m.caller ? ` · ${m.callerName} called Cabo` : "";
      if (m.window) {
        const who = m.window.seat === m.selfId ? "You are" : `${nameOf(m.window.seat)} is`;
        const whose =
          m.window.target === m.window.seat ? "their own" : `${m.window.target === m.selfId ? "your" : `${nameOf(m.window.target)}'s`}`;
        const card = `${whose === "their own" && m.window.seat === m.selfId ? "your own" : whose} card ${m.window.position + 1}`;
        return `${who} ${m.window.kind === "spy" ? "spying on" : "peeking at"} ${card}${cabo}`;
      }
      return `${m.myTurn ? "Your turn" : `${m.turnName}'s turn`} · round ${m.round}${cabo}`;
    }
    case "roundEnd":
      return `Round ${m.round} is over: all cards shown`;
    case "matchEnd":
      return m.winners.length > 0
        ? `${m.winners.map(nameOf).join(" and ")} won${m.winners.length > 1 ? "" : " the match"}!`
        : "The match is over";
    default:
      return "";
  }
}
