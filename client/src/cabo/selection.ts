/**
 * The cards the player has picked for their next move, shared by the table (where they click
 * cards) and the action panel (whose buttons send the move). Own positions for a swap, a take or a
 * peek; one card of another player for a spy or a power swap. A tiny store, so neither side
 * imports the other. It empties itself whenever the turn moves on (`resetFor`), so a pick never
 * outlives the step it was made for.
 */
export interface PickedTarget {
  seat: string;
  position: number;
}

export interface Picks {
  own: readonly number[];
  target: PickedTarget | undefined;
}

type Listener = (picks: Picks) => void;

const NONE: Picks = { own: [], target: undefined };

export class CaboSelection {
  private picks: Picks = NONE;
  private step = "";
  private readonly listeners = new Set<Listener>();

  get current(): Picks {
    return this.picks;
  }

  /** Picks or unpicks one of the player's own positions. */
  toggleOwn(position: number): void {
    const own = this.picks.own.includes(position)
      ? this.picks.own.filter((p) => p !== position)
      : [...this.picks.own, position].sort((a, b) => a - b);
    this.set({ ...this.picks, own });
  }

  /** Picks another player's card (picking it again unpicks it). */
  toggleTarget(target: PickedTarget): void {
    const same = this.picks.target?.seat === target.seat && this.picks.target.position === target.position;
    this.set({ ...this.picks, target: same ? undefined : target });
  }

  clear(): void {
    if (this.picks.own.length > 0 || this.picks.target) this.set(NONE);
  }

  /** Empties the picks when the step they were made for is over (a new turn, a drawn card, a window). */
  resetFor(step: string): void {
    if (step === this.step) return;
    this.step = step;
    this.clear();
  }

  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(picks: Picks): void {
    this.picks = picks;
    for (const listener of this.listeners) listener(picks);
  }
}
