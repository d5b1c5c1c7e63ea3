/**
 * Room codes people read aloud and type: 6 characters from an alphabet without look-alikes
 * (no 0/O, 1/I/L, 2/Z, 5/S, 8/B). 25 symbols give 25^6 ≈ 244 million codes.
 */
export const ROOM_CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679";
export const ROOM_CODE_LENGTH = 6;

const CODE_PATTERN = new RegExp(`^[${ROOM_CODE_ALPHABET}]{${ROOM_CODE_LENGTH}}$`);

/** Upper-cases and strips spaces and dashes, so "abc-def" and " ABCDEF " both work. */
export function normalizeRoomCode(input: string): string {
  return input.replace(/[\s-]/g, "").toUpperCase();
}

export function isRoomCode(value: string): boolean {
  return CODE_PATTERN.test(value);
}

/**
 * Draws a code from a source of random bytes (crypto.getRandomValues in both Node and browsers).
 * Rejection sampling keeps every symbol equally likely.
 */
export function generateRoomCode(randomBytes: (n: number) => Uint8Array): string {
  const n = ROOM_CODE_ALPHABET.length;
  const limit = 256 - (256 % n);
  let code = "";
  while (code.length < ROOM_CODE_LENGTH) {
    for (const byte of randomBytes(ROOM_CODE_LENGTH * 2)) {
      if (byte < limit && code.length < ROOM_CODE_LENGTH) code += ROOM_CODE_ALPHABET[byte % n];
    }
  }
  return code;
}
