/**
 * Where each seat sits at the Cabo table on the 960 x 640 canvas: the player at the bottom with big
 * cards, the others around the top and the sides in seat order (so play goes round the table), the
 * piles in the middle. Card sizes shrink when a hand grows past what its place holds.
 */
export interface SeatPlace {
  /** Centre of the seat's row of cards, and the top of the cards. */
  cx: number;
  top: number;
  /** The widest the row may get. */
  maxWidth: number;
  cardW: number;
  cardH: number;
}

export const CANVAS = { width: 960, height: 640 };
export const PILES = { y: 236, cardW: 76, cardH: 106, drawX: 372, discardX: 482, drawnX: 616 };
export const STATUS_Y = 186;

const BOTTOM: SeatPlace = { cx: 480, top: 470, maxWidth: 760, cardW: 78, cardH: 110 };
const TOP_CENTRE: SeatPlace = { cx: 480, top: 66, maxWidth: 290, cardW: 54, cardH: 76 };
const TOP_LEFT: SeatPlace = { cx: 200, top: 66, maxWidth: 290, cardW: 54, cardH: 76 };
const TOP_RIGHT: SeatPlace = { cx: 760, top: 66, maxWidth: 290, cardW: 54, cardH: 76 };
const LEFT: SeatPlace = { cx: 140, top: 276, maxWidth: 230, cardW: 46, cardH: 66 };
const RIGHT: SeatPlace = { cx: 820, top: 276, maxWidth: 230, cardW: 46, cardH: 66 };

/** Places of the other seats, by how many there are, in seat order after the player. */
const OTHERS: readonly (readonly SeatPlace[])[] = [
  [],
  [TOP_CENTRE],
  [TOP_LEFT, TOP_RIGHT],
  [LEFT, TOP_CENTRE, RIGHT],
  [LEFT, TOP_LEFT, TOP_RIGHT, RIGHT],
  [LEFT, TOP_LEFT, TOP_CENTRE, TOP_RIGHT, RIGHT],
];

/**
 * Places for `seats` in seat order; `selfIndex` is the player's seat (-1 for a spectator: the
 * first seat takes the bottom then).
 */
export function placeSeats(count: number, selfIndex: number): SeatPlace[] {
  const bottom = selfIndex >= 0 ? selfIndex : 0;
  const others = OTHERS[Math.min(count - 1, OTHERS.length - 1)] ?? [];
  const places: SeatPlace[] = new Array<SeatPlace>(count);
  for (let k = 0; k < count; k++) {
    const seat = (bottom + k) % count;
    places[seat] = k === 0 ? BOTTOM : (others[k - 1] ?? TOP_CENTRE);
  }
  return places;
}

/** The cards' size and spacing in a place for a row of `n` cards. */
export function rowMetrics(place: SeatPlace, n: number): { w: number; h: number; gap: number; left: number } {
  const gap = Math.round(place.cardW * 0.14);
  const full = n * place.cardW + (n - 1) * gap;
  const scale = full > place.maxWidth ? place.maxWidth / full : 1;
  const w = Math.floor(place.cardW * scale);
  const h = Math.floor(place.cardH * scale);
  const g = Math.floor(gap * scale);
  return { w, h, gap: g, left: Math.round(place.cx - (n * w + (n - 1) * g) / 2) };
}
