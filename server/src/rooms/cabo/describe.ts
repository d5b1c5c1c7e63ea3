/**
 * A Cabo event in words, for the game's "last action" line. Events carry only what is public once
 * it happened (../../domain/cabo/state.ts), so their words name no hidden value either.
 */
import type { CaboEvent } from "../../domain/cabo";

export function describeEvent(event: CaboEvent, nameOf: (seat: string) => string): string | undefined {
  switch (event.type) {
    case "roundStarted":
      return `Round ${event.round} is dealt; ${nameOf(event.firstSeat)} starts.`;
    case "setupEnded":
      return "Everyone has seen their two cards.";
    case "drew":
      return `${nameOf(event.seat)} drew a card.`;
    case "swapped":
      return `${nameOf(event.seat)} swapped ${event.positions.length === 1 ? "a card" : `${event.positions.length} cards`} and discarded ${event.discarded.join(", ")}.`;
    case "mismatched":
      return `${nameOf(event.seat)} tried to swap ${event.positions.length} cards that did not match and keeps them all.`;
    case "discarded":
      return `${nameOf(event.seat)} discarded ${aCard(event.value)}.`;
    case "tookDiscard":
      return `${nameOf(event.seat)} took the ${event.value} from the discard pile and discarded ${aCard(event.discarded)}.`;
    case "peeked":
      return `${nameOf(event.seat)} peeks at their card ${event.position + 1}.`;
    case "spied":
      return `${nameOf(event.seat)} spies on ${nameOf(event.target.seat)}'s card ${event.target.position + 1}.`;
    case "blindSwapped":
      return `${nameOf(event.seat)} swapped their card ${event.position + 1} with ${nameOf(event.target.seat)}'s card ${event.target.position + 1}, unseen.`;
    case "caboCalled":
      return `${nameOf(event.seat)} called Cabo! Everyone else has one more turn.`;
    case "timedOut":
      return `${nameOf(event.seat)} ran out of time: a card was drawn and discarded for them.`;
    case "left":
      return `${nameOf(event.seat)} left the game; their cards stay as they lie.`;
    case "roundEnded":
      return `Round ${event.result.round} is over${event.result.caller ? ` (${nameOf(event.result.caller)} called Cabo${event.result.callerWon ? " and was lowest" : " and was not lowest: +10"})` : ""}.`;
    case "matchEnded":
      return `The match is over: ${event.winners.map(nameOf).join(" and ")} won.`;
    default:
      return undefined;
  }
}

/** "a 7", "an 8", "an 11": the article as the number is said. */
function aCard(value: number): string {
  return `${value === 8 || value === 11 ? "an" : "a"} ${value}`;
}
