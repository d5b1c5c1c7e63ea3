/**
 * Panels of the table redraw from a view model computed after each decoded patch. A panel shows
 * many fields at once (the tracker alone reads combatants, actors and the round), so one model per
 * patch is simpler and always consistent, where per-field callbacks would each see half a patch.
 * The DOM is only touched when the model changed, so a button under the mouse survives the
 * patches that do not concern it.
 */
import type { Room } from "@colyseus/sdk";

export interface PatchRender {
  /** Recomputes now (after a change that is not in state, such as the selection). */
  refresh(): void;
  stop(): void;
}

export function renderOnPatch<S, M>(room: Room<unknown, S>, compute: () => M, draw: (model: M) => void): PatchRender {
  let last: string | undefined;
  const run = () => {
    if (!room.state) return;
    const model = compute();
    const key = JSON.stringify(model);
    if (key === last) return;
    last = key;
    draw(model);
  };
  room.onStateChange(run);
  run();
  return { refresh: run, stop: () => room.onStateChange.remove(run) };
}
