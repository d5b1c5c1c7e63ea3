/**
 * Every schema callback a Cabo page needs, in one place: any change to the game, a seat, a card,
 * the player's own private part, the players' names and connections, the room's phase or host
 * calls `changed` (a page redraws from the decoded state then). `onAdd` fires for what already
 * exists, so a page that starts late sees the table as it is. Listeners of an instance that leaves
 * its collection are released with it; the returned function releases all of them.
 */
import { Callbacks, type Room } from "@colyseus/sdk";
import type { CaboGameState, CaboPlayerState, CaboSecretState, CaboState } from "@tavern/shared/cabo/state";

export function watchCabo(room: Room<unknown, CaboState>, changed: () => void): () => void {
  const cb = Callbacks.get(room);
  const offs: (() => void)[] = [];
  const perInstance = new Map<object, (() => void)[]>();
  const own = (instance: object, list: (() => void)[]) => {
    release(instance);
    perInstance.set(instance, list);
    changed();
  };
  const release = (instance: object) => {
    for (const off of perInstance.get(instance) ?? []) off();
    perInstance.delete(instance);
  };

  const watchPlayer = (p: CaboPlayerState) =>
    own(p, [
      cb.onChange(p, changed),
      cb.onAdd(p, "hand", (slot) => own(slot, [cb.onChange(slot, changed)])),
      cb.onRemove(p, "hand", (slot) => {
        release(slot);
        changed();
      }),
    ]);

  const watchGame = (g: CaboGameState) => {
    const list = [
      cb.onChange(g, changed),
      cb.onAdd(g, "players", watchPlayer),
      cb.onRemove(g, "players", (p) => {
        for (const slot of p.hand) release(slot);
        release(p);
        changed();
      }),
      cb.onAdd(g, "history", (r) => own(r, [cb.onChange(r, changed), cb.onAdd(r, "scores", changed), cb.onChange(r, "scores", changed)])),
      cb.onRemove(g, "history", (r) => {
        release(r);
        changed();
      }),
    ];
    for (const key of ["discard", "setupDone", "lastTurns", "winners"] as const) {
      list.push(cb.onAdd(g, key, changed), cb.onRemove(g, key, changed), cb.onChange(g, key, changed));
    }
    own(g, list);
  };

  const watchSecret = (s: CaboSecretState) =>
    own(s, [cb.onChange(s, changed), cb.onAdd(s, "known", changed), cb.onRemove(s, "known", changed), cb.onChange(s, "known", changed)]);

  offs.push(
    cb.listen("game", (g) => {
      if (g) watchGame(g);
    }),
    cb.listen("phase", changed),
    cb.listen("hostId", changed),
    cb.onAdd("players", (p) => own(p, [cb.onChange(p, changed)])),
    cb.onRemove("players", (p) => {
      release(p);
      changed();
    }),
  );
  // The private parts' map reaches a player only; onAdd waits for a collection not there yet.
  offs.push(
    cb.onAdd("secrets", watchSecret),
    cb.onRemove("secrets", (s) => {
      release(s);
      changed();
    }),
  );
  return () => {
    for (const off of offs.splice(0)) off();
    for (const instance of [...perInstance.keys()]) release(instance);
  };
}
