/**
 * The memory aid (a room option, off by default): with it on, the page keeps showing, marked as
 * "remembered", a card its player saw (the setup peek, a peek, a spy, the card they swapped into
 * their own hand) after the server stopped sending its value. With it off this remembers nothing,
 * so the page shows only what the server sends at that moment.
 *
 * It never shows a card that may have changed since: the page cannot see other players' hidden
 * moves, so whatever it cannot follow is forgotten. A seat's remembered cards go when that seat's
 * turn ends (it may have swapped a card in), everything goes when an 11 or 12 reaches the discard
 * pile on another player's turn (its swap power may have hit any card), and all of it goes with a
 * new round. The player's own moves are followed exactly: a swap puts the drawn card where it went,
 * a power swap moves what was known of the two cards.
 */
import type { Room } from "@colyseus/sdk";
import type { CaboMove } from "@tavern/shared/cabo/moves";
import { UNKNOWN_CARD, knownKey, type CaboState } from "@tavern/shared/cabo/state";
import type { CaboApi } from "./api";

interface Seen {
  round: string;
  turnSeat: string;
  discardLength: number;
  handLength: number;
}

export class CaboMemory {
  private readonly remembered = new Map<string, number>();
  private readonly listeners = new Set<() => void>();
  private readonly offs: (() => void)[] = [];
  private last: Seen | undefined;
  /** The player's own move and the drawn card it was made with, until the state shows its outcome. */
  private pending: { move: CaboMove; drawn: number; handLength: number } | undefined;

  constructor(
    private readonly room: Room<unknown, CaboState>,
    private readonly selfId: string,
    api: CaboApi,
  ) {
    const observe = () => this.observe();
    room.onStateChange(observe);
    this.offs.push(
      () => room.onStateChange.remove(observe),
      api.onMove({ sending: (move) => this.sending(move), refused: () => (this.pending = undefined) }),
    );
  }

  /** What the player remembers, keyed "<seat>:<position>"; always empty when the room has no memory aid. */
  get values(): ReadonlyMap<string, number> {
    return this.remembered;
  }

  on(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stop(): void {
    for (const off of this.offs.splice(0)) off();
    this.remembered.clear();
  }

  private get enabled(): boolean {
    return this.room.state?.game?.memoryAid === true;
  }

  private sending(move: CaboMove): void {
    const state = this.room.state;
    const drawn = state.secrets?.get(this.selfId)?.drawn ?? UNKNOWN_CARD;
    const hand = state.game.players.find((p) => p.seat === this.selfId)?.hand.length ?? 0;
    this.pending = { move, drawn, handLength: hand };
  }

  private observe(): void {
    const state = this.room.state;
    const g = state?.game;
    if (!g) return;
    const before = this.remembered.size;
    let changed = false;
    if (!this.enabled || g.phase === "idle") {
      this.remembered.clear();
      this.last = undefined;
      if (before > 0) this.emit();
      return;
    }
    const round = `${g.match}:${g.round}`;
    const me = g.players.find((p) => p.seat === this.selfId);
    const seen: Seen = { round, turnSeat: g.turnSeat, discardLength: g.discard.length, handLength: me?.hand.length ?? 0 };
    const last = this.last;
    if (last && last.round !== round) {
      this.remembered.clear();
      this.pending = undefined;
      changed = true;
    } else if (last && last.turnSeat !== "" && last.turnSeat !== g.turnSeat) {
      // A turn ended: follow our own move, forget what another seat's move may have changed.
      if (last.turnSeat === this.selfId) changed = this.settleOwnMove(seen) || changed;
      else {
        changed = this.forgetSeat(last.turnSeat) || changed;
        const added = [...g.discard].slice(last.discardLength);
        if (added.some((v) => v === 11 || v === 12) && this.remembered.size > 0) {
          this.remembered.clear();
          changed = true;
        }
      }
    }
    // What the server shows now is remembered; a card face up or gone needs no memory.
    state.secrets?.get(this.selfId)?.known.forEach((value, key) => {
      if (this.remembered.get(key) !== value) {
        this.remembered.set(key, value);
        changed = true;
      }
    });
    for (const p of g.players) {
      p.hand.forEach((slot, position) => {
        const key = knownKey(p.seat, position);
        if ((!slot.present || slot.faceUp) && this.remembered.delete(key)) changed = true;
      });
    }
    this.last = seen;
    if (changed) this.emit();
  }

  /** Our own turn is over: put what we know where our move put it. */
  private settleOwnMove(now: Seen): boolean {
    const pending = this.pending;
    this.pending = undefined;
    if (!pending) return false;
    const { move, drawn } = pending;
    const mine = (position: number) => knownKey(this.selfId, position);
    if (move.type === "swap" && drawn !== UNKNOWN_CARD) {
      if (now.handLength > pending.handLength)
        this.remembered.set(mine(now.handLength - 1), drawn); // mismatch: a new position
      else {
        for (const position of move.positions) this.remembered.delete(mine(position));
        this.remembered.set(mine(move.positions[0]!), drawn);
      }
      return true;
    }
    if (move.type === "discard" && move.power?.kind === "swap") {
      const a = mine(move.power.position);
      const b = knownKey(move.power.seat, move.power.targetPosition);
      const [va, vb] = [this.remembered.get(a), this.remembered.get(b)];
      this.remembered.delete(a);
      this.remembered.delete(b);
      if (vb !== undefined) this.remembered.set(a, vb);
      if (va !== undefined) this.remembered.set(b, va);
      return true;
    }
    return false;
  }

  private forgetSeat(seat: string): boolean {
    let changed = false;
    for (const key of [...this.remembered.keys()]) {
      if (key.startsWith(`${seat}:`)) changed = this.remembered.delete(key) || changed;
    }
    return changed;
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
