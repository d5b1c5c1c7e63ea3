/**
 * Cabo's rules, the one entry point a room needs. Everything is a pure function over plain data:
 * newMatch / nextRound / playAgain deal, applyMove plays, tick runs the timers, leave removes a
 * player for good, and entitlementsOf / publicView / seatView say what each viewer may see.
 */
export { newDeck, shuffle, countValues } from "./deck";
export {
  entitlementsOf,
  refKey,
  PUBLIC_REASONS,
  type CardRef,
  type Entitlement,
  type EntitlementReason,
  type Viewer,
} from "./entitlements";
export { newMatch, nextRound, playAgain } from "./match";
export { applyMove } from "./moves";
export { rngFromBytes, seededRng, seededBytes, type CaboRng } from "./rng";
export { handSum, scoreRound, matchWinners, addToTotal } from "./scoring";
export { legalMoves } from "./legal";
export { leave } from "./seats";
export { allCards, nextDeadline, activePlayers, findPlayer } from "./state";
export type {
  Cabo,
  CaboContext,
  CaboEvent,
  CaboPhase,
  CaboState,
  CaboStep,
  Card,
  CardAt,
  CardValue,
  Player,
  RoundEndReason,
  RoundResult,
  SeatId,
  SeatScore,
  Slot,
  Turn,
  Window,
} from "./state";
export { tick } from "./timers";
export { publicView, seatView, type CaboView, type PlayerView, type SlotView, type TurnView, type WindowView } from "./views";
