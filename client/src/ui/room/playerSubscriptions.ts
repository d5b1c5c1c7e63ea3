/**
 * One change listener per seat in the room, each released when its player leaves (and all of them
 * when the component goes): a listener left on a player who left would keep redrawing from, and
 * holding on to, a seat that no longer exists.
 */
import type { Callbacks } from "@colyseus/schema";
import type { LobbyState } from "@tavern/shared/state";

type LobbyCallbacks = ReturnType<typeof Callbacks.get<LobbyState>>;

export interface PlayerSubscriptions {
  /** Unsubscribe functions for the component's effect. */
  offs: (() => void)[];
  /** How many per-player listeners are live (one per seat present). */
  live(): number;
}

export function subscribePlayers(cb: LobbyCallbacks, redraw: () => void): PlayerSubscriptions {
  const perPlayer = new Map<string, () => void>();
  const offs = [
    cb.onAdd("players", (player, id) => {
      perPlayer.get(String(id))?.();
      perPlayer.set(String(id), cb.onChange(player, redraw));
      redraw();
    }),
    cb.onRemove("players", (_player, id) => {
      perPlayer.get(String(id))?.();
      perPlayer.delete(String(id));
      redraw();
    }),
    cb.listen("hostId", redraw),
    () => {
      for (const off of perPlayer.values()) off();
      perPlayer.clear();
    },
  ];
  return { offs, live: () => perPlayer.size };
}
