/**
 * The token the user has selected, shared by the map (which highlights it and moves it) and the
 * panels (the sheet shows it, the GM panel edits it). A tiny store, so neither side imports the other.
 */
import type { TokenRef } from "./entities";

type Listener = (ref: TokenRef | undefined) => void;

export class Selection {
  private current: TokenRef | undefined;
  private readonly listeners = new Set<Listener>();

  get ref(): TokenRef | undefined {
    return this.current;
  }

  set(ref: TokenRef | undefined): void {
    if (ref?.kind === this.current?.kind && ref?.id === this.current?.id) return;
    this.current = ref;
    for (const listener of this.listeners) listener(ref);
  }

  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
