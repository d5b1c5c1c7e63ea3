/**
 * A player who left for good (the room calls this once their grace period is over; a dropped player
 * in their grace period keeps playing by timeouts). Their cards stay where they lie and are scored
 * as they lie; their turns are skipped from now on, because waiting out a full turn timer for
 * someone who cannot come back would only stall everyone else, and an automatic draw and discard
 * would change nothing in their hand anyway. From the next round on they are not dealt in.
 */
import { TavernError } from "@tavern/shared/errors";
import { discardDrawn, endSetupIfAllDone } from "./moves";
import { endMatch, endRound } from "./scoring";
import { activePlayers, draftOf, findPlayer, type CaboState, type CaboStep, type SeatId } from "./state";
import { finishTurn } from "./turns";

export function leave(state: CaboState, seat: SeatId, now: number): CaboStep {
  const player = findPlayer(state, seat);
  if (!player) throw new TavernError("NOT_FOUND", "That seat is not in this match.");
  if (player.left) return { state, events: [] };
  const draft = draftOf(state, now);
  const s = draft.state;
  const p = findPlayer(s, seat);
  if (!p) return { state, events: [] };
  p.left = true;
  draft.events.push({ type: "left", seat });
  if (s.cabo) s.cabo.lastTurns = s.cabo.lastTurns.filter((x) => x !== seat);
  if (s.phase === "roundEnd" || s.phase === "matchEnd") {
    if (s.phase === "roundEnd" && s.players.filter((q) => !q.left).length < 2) endMatch(draft);
    return { state: s, events: draft.events };
  }
  if (activePlayers(s).length < 2) {
    endRound(draft, "abandoned");
  } else if (s.phase === "setup") {
    // They see their setup cards no more; the peek may now be over for everyone.
    p.setupDone = true;
    endSetupIfAllDone(draft);
  } else if (s.turn?.seat === seat) {
    // Their turn ends where it stands: a held card goes to the discard pile, a window closes.
    s.turn.window = null;
    discardDrawn(draft, seat);
    finishTurn(draft);
  }
  return { state: s, events: draft.events };
}
