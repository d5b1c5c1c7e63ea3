/**
 * The moves a player may make now, for bots, load scripts and tests. Every move listed is legal;
 * every legal move is listed except multi-position swaps, which are listed up to three positions
 * (a longer hand would list thousands of them).
 */
import type { CaboMove } from "@tavern/shared/cabo/moves";
import { powerOf } from "@tavern/shared/cabo/rules";
import { findPlayer, type CaboState, type SeatId } from "./state";

const MAX_LISTED_SWAP = 3;

export function legalMoves(state: CaboState, seat: SeatId): CaboMove[] {
  const me = findPlayer(state, seat);
  if (!me || !me.inRound || me.left) return [];
  if (state.phase === "setup") return me.setupDone ? [] : [{ type: "setupDone" }];
  const turn = state.turn;
  if (state.phase !== "turn" || !turn || turn.seat !== seat) return [];
  const mine = positionsOf(state, seat);
  if (turn.step === "window") return [{ type: "closeWindow" }];
  if (turn.step === "action") {
    const moves: CaboMove[] = [{ type: "draw" }, ...mine.map((position) => ({ type: "takeDiscard" as const, position }))];
    if (!state.cabo && me.turnsTaken >= 1) moves.push({ type: "callCabo" });
    return moves;
  }
  const moves: CaboMove[] = subsets(mine, MAX_LISTED_SWAP).map((positions) => ({ type: "swap", positions }));
  moves.push({ type: "discard" });
  const kind = turn.drawn === null ? null : powerOf(turn.drawn);
  const others = state.players.filter((p) => p.inRound && p.seat !== seat);
  if (kind === "peek") for (const position of mine) moves.push({ type: "discard", power: { kind, position } });
  for (const other of others) {
    for (const target of positionsOf(state, other.seat)) {
      if (kind === "spy") moves.push({ type: "discard", power: { kind, seat: other.seat, position: target } });
      if (kind === "swap") {
        for (const position of mine) moves.push({ type: "discard", power: { kind, position, seat: other.seat, targetPosition: target } });
      }
    }
  }
  return moves;
}

function positionsOf(state: CaboState, seat: SeatId): number[] {
  const hand = findPlayer(state, seat)?.hand ?? [];
  return hand.flatMap((slot, position) => (slot ? [position] : []));
}

function subsets(items: readonly number[], maxSize: number): number[][] {
  const out: number[][] = [];
  const walk = (start: number, chosen: number[]) => {
    if (chosen.length > 0) out.push([...chosen]);
    if (chosen.length === maxSize) return;
    for (let i = start; i < items.length; i++) walk(i + 1, [...chosen, items[i] as number]);
  };
  walk(0, []);
  return out;
}
