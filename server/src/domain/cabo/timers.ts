/**
 * Time as an input: the room calls tick(state, now) when nextDeadline(state) has passed (calling it
 * early or often is harmless). It ends the setup peek, closes a peek/spy window (ending that turn)
 * and times out a turn: the player draws and discards automatically, without using a power. A
 * dropped player's turns time out like this; a player who left for good is skipped (seats.ts).
 */
import { closeWindow, discardDrawn, draw } from "./moves";
import { draftOf, nextDeadline, type CaboState, type CaboStep } from "./state";
import { endSetup, finishTurn } from "./turns";

/** The state itself (not a copy) with no events when nothing was due. */
export function tick(state: CaboState, now: number): CaboStep {
  const due = nextDeadline(state);
  if (due === null || now < due) return { state, events: [] };
  const draft = draftOf(state, now);
  // Each expiry starts the next timer from `now`, so one pass handles one expiry; the loop is for safety.
  for (let guard = 0; guard < 4; guard++) {
    const s = draft.state;
    const next = nextDeadline(s);
    if (next === null || now < next) break;
    if (s.phase === "setup") {
      endSetup(draft);
      continue;
    }
    const turn = s.turn;
    if (!turn) break;
    if (turn.window) {
      closeWindow(draft, turn.seat);
      continue;
    }
    draft.events.push({ type: "timedOut", seat: turn.seat });
    if (turn.drawn === null) draw(draft, turn.seat);
    discardDrawn(draft, turn.seat);
    finishTurn(draft);
  }
  return { state: draft.state, events: draft.events };
}
