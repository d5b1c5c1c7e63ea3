/** The deck as Cabo deals it: 52 bare values, shuffled by an injected RNG. */
import { DECK_COMPOSITION, DECK_SIZE, MAX_CARD_VALUE, MIN_CARD_VALUE, type CardValue } from "@tavern/shared/cabo/rules";
import type { CaboRng } from "./rng";

/** A fresh deck in value order: 0, 0, 1, 1, 1, 1, ..., 13, 13. */
export function newDeck(): CardValue[] {
  const deck: CardValue[] = [];
  for (let value = MIN_CARD_VALUE; value <= MAX_CARD_VALUE; value++) {
    for (let i = 0; i < (DECK_COMPOSITION[value] ?? 0); i++) deck.push(value);
  }
  if (deck.length !== DECK_SIZE) throw new Error(`deck composition makes ${deck.length} cards, not ${DECK_SIZE}`);
  return deck;
}

/** Fisher-Yates: a new array, every order equally likely when the RNG is fair. */
export function shuffle<T>(cards: readonly T[], rng: CaboRng): T[] {
  const out = cards.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng(i + 1);
    if (!Number.isInteger(j) || j < 0 || j > i) throw new RangeError(`rng answered ${j} for a bound of ${i + 1}`);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** How many cards of each value `cards` holds; equal to DECK_COMPOSITION for a whole deck. */
export function countValues(cards: Iterable<CardValue>): Record<CardValue, number> {
  const counts: Record<CardValue, number> = {};
  for (let value = MIN_CARD_VALUE; value <= MAX_CARD_VALUE; value++) counts[value] = 0;
  for (const card of cards) counts[card] = (counts[card] ?? 0) + 1;
  return counts;
}
