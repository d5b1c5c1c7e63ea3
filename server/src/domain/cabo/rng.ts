/**
 * The randomness Cabo uses: one function that picks a whole number below `n`. The rules never make
 * randomness of their own. The room passes `rngFromBytes` over the platform's cryptographic bytes;
 * tests and a test mode pass `seededRng(seed)`, which replays the same deals for the same seed.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { utf8ToBytes } from "@noble/hashes/utils.js";

/** An integer in [0, n), every value equally likely; n is at least 1 and below 2^32. */
export type CaboRng = (n: number) => number;

/**
 * Turns a source of random bytes (crypto.getRandomValues, crypto.randomBytes) into a CaboRng.
 * Rejection sampling over 32-bit words keeps every result equally likely.
 */
export function rngFromBytes(randomBytes: (n: number) => Uint8Array): CaboRng {
  return (n) => {
    if (!Number.isInteger(n) || n < 1 || n > 2 ** 32) throw new RangeError(`rng bound out of range: ${n}`);
    const limit = 2 ** 32 - (2 ** 32 % n);
    for (;;) {
      const b = randomBytes(4);
      const word = ((b[0] ?? 0) * 2 ** 24 + ((b[1] ?? 0) << 16) + ((b[2] ?? 0) << 8) + (b[3] ?? 0)) >>> 0;
      if (word < limit) return word % n;
    }
  };
}

/** A deterministic byte stream: SHA-256 of the seed and a block counter. Not for real games. */
export function seededBytes(seed: string): (n: number) => Uint8Array {
  const prefix = utf8ToBytes(`cabo:${seed}:`);
  let block = new Uint8Array(0);
  let used = 0;
  let counter = 0;
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      if (used >= block.length) {
        const input = new Uint8Array(prefix.length + 8);
        input.set(prefix);
        new DataView(input.buffer).setFloat64(prefix.length, counter++);
        block = sha256(input);
        used = 0;
      }
      out[i] = block[used++] ?? 0;
    }
    return out;
  };
}

export function seededRng(seed: string): CaboRng {
  return rngFromBytes(seededBytes(seed));
}
