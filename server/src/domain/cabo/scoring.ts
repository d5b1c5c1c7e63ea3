/**
 * Round end and scoring: every hand is summed as it lies; a Cabo caller with the strictly lowest
 * sum scores 0, otherwise their sum plus 10; a total landing on exactly 100 drops to 50; the match
 * ends once a total passes 100, and the lowest total among the players still there wins.
 */
import { CALLER_PENALTY, MATCH_LIMIT, RESET_TOTAL_AT, RESET_TOTAL_TO } from "@tavern/shared/cabo/rules";
import { type CaboState, type Draft, type RoundEndReason, type RoundResult, type SeatId, type Slot } from "./state";

export function handSum(hand: readonly Slot[]): number {
  return hand.reduce((sum, slot) => sum + (slot ? slot.value : 0), 0);
}

/** The total after adding a round's score: exactly 100 drops to 50. */
export function addToTotal(total: number, score: number): number {
  const next = total + score;
  return next === RESET_TOTAL_AT ? RESET_TOTAL_TO : next;
}

/** Scores the round as the hands lie now (pure: nothing changes). */
export function scoreRound(state: CaboState, reason: RoundEndReason): RoundResult {
  const scored = state.players.filter((p) => p.inRound);
  const sums = new Map(scored.map((p) => [p.seat, handSum(p.hand)]));
  const caller = state.cabo?.caller ?? null;
  let callerWon: boolean | null = null;
  if (caller !== null) {
    const callerSum = sums.get(caller) ?? 0;
    callerWon = scored.every((p) => p.seat === caller || callerSum < (sums.get(p.seat) ?? 0));
  }
  const scores = scored.map((p) => {
    const sum = sums.get(p.seat) ?? 0;
    const score = p.seat === caller ? (callerWon ? 0 : sum + CALLER_PENALTY) : sum;
    return { seat: p.seat, sum, score, total: addToTotal(p.total, score) };
  });
  return { round: state.round, reason, caller, callerWon, scores };
}

/** Lowest totals among the players still there (a player who left cannot win). */
export function matchWinners(state: CaboState): SeatId[] {
  const present = state.players.filter((p) => !p.left);
  const lowest = Math.min(...present.map((p) => p.total));
  return present.filter((p) => p.total === lowest).map((p) => p.seat);
}

/**
 * Ends the round in the draft: scores it, adds to the totals, shows every card (the phase says so)
 * and ends the match when a total passed 100 or fewer than two players are left.
 */
export function endRound(draft: Draft, reason: RoundEndReason): void {
  const s = draft.state;
  if (s.turn?.drawn !== null && s.turn?.drawn !== undefined) s.discard.push(s.turn.drawn);
  const result = scoreRound(s, reason);
  for (const { seat, total } of result.scores) {
    const p = s.players.find((q) => q.seat === seat);
    if (p) p.total = total;
  }
  s.history.push(result);
  s.turn = null;
  s.setupUntil = null;
  s.phase = "roundEnd";
  draft.events.push({ type: "roundEnded", result });
  const present = s.players.filter((p) => !p.left);
  if (present.some((p) => p.total > MATCH_LIMIT) || present.length < 2) endMatch(draft);
}

export function endMatch(draft: Draft): void {
  const s = draft.state;
  s.phase = "matchEnd";
  s.winners = matchWinners(s);
  draft.events.push({ type: "matchEnded", winners: s.winners });
}
