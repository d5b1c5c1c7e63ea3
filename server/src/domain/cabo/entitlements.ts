/**
 * Which card values a viewer may know at this moment, exactly: the oracle the views are built from
 * and the secret-leak test checks every frame against. Everyone: the discard pile, face-up
 * positions, and every card at the round-end reveal. A player besides: their own positions 0 and 1
 * during the setup peek (until they end it), the card they drew during their own turn, the card
 * their peek or spy shows during its window. Nothing else, and nothing once its moment is over.
 */
import { SETUP_PEEK_POSITIONS } from "@tavern/shared/cabo/rules";
import { findPlayer, type CaboState, type CardValue, type SeatId } from "./state";

/** A player's seat, or null for a spectator (a seat id not in the match counts as a spectator). */
export type Viewer = SeatId | null;

/** Where a card lies, as a view names it: no card has a name of its own. */
export type CardRef =
  { zone: "discard"; index: number } | { zone: "hand"; seat: SeatId; position: number } | { zone: "drawn"; seat: SeatId };

export type EntitlementReason = "discard" | "faceUp" | "reveal" | "setupPeek" | "drawn" | "peek" | "spy";

export interface Entitlement {
  ref: CardRef;
  value: CardValue;
  reason: EntitlementReason;
}

/** Reasons everyone shares; the others are one seat's. */
export const PUBLIC_REASONS: readonly EntitlementReason[] = ["discard", "faceUp", "reveal"];

export function refKey(ref: CardRef): string {
  if (ref.zone === "discard") return `discard:${ref.index}`;
  if (ref.zone === "drawn") return `drawn:${ref.seat}`;
  return `hand:${ref.seat}:${ref.position}`;
}

export function entitlementsOf(state: CaboState, viewer: Viewer): Entitlement[] {
  const out: Entitlement[] = [];
  const seen = new Set<string>();
  const grant = (ref: CardRef, value: CardValue | undefined, reason: EntitlementReason) => {
    const key = refKey(ref);
    if (value === undefined || seen.has(key)) return;
    seen.add(key);
    out.push({ ref, value, reason });
  };
  state.discard.forEach((value, index) => grant({ zone: "discard", index }, value, "discard"));
  const reveal = state.phase === "roundEnd" || state.phase === "matchEnd";
  for (const p of state.players) {
    p.hand.forEach((slot, position) => {
      if (slot && (slot.faceUp || reveal)) grant({ zone: "hand", seat: p.seat, position }, slot.value, slot.faceUp ? "faceUp" : "reveal");
    });
  }
  const me = viewer === null ? undefined : findPlayer(state, viewer);
  if (!me) return out;
  if (state.phase === "setup" && me.inRound && !me.setupDone) {
    for (const position of SETUP_PEEK_POSITIONS) grant({ zone: "hand", seat: me.seat, position }, me.hand[position]?.value, "setupPeek");
  }
  const turn = state.turn;
  if (state.phase === "turn" && turn?.seat === me.seat) {
    if (turn.drawn !== null) grant({ zone: "drawn", seat: me.seat }, turn.drawn, "drawn");
    if (turn.window) {
      const { seat, position } = turn.window.target;
      grant({ zone: "hand", seat, position }, findPlayer(state, seat)?.hand[position]?.value, turn.window.kind);
    }
  }
  return out;
}
