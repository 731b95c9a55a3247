/**
 * The seeded pseudo-random numbers of the zoo (mulberry32): weight initialisation, shuffling
 * and synthetic data are reproducible bit for bit from a seed. Never Math.random.
 */

export interface CreatePrngParameters {
  /** Any integer; taken modulo 2^32. */
  seed: number;
}

export interface Prng {
  /** Uniform in [0, 1), 32 bits of resolution. */
  next(): number;
  /** Uniform in [low, high). */
  uniform(low: number, high: number): number;
  /** Standard normal (Box–Muller, one value per call). */
  normal(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  /** Fisher–Yates shuffle in place; returns the array. */
  shuffle<T extends { length: number; [index: number]: unknown }>(array: T): T;
}

export type CreatePrngResult = Prng;

export function createPrng(parameters: CreatePrngParameters): CreatePrngResult {
  let state = parameters.seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const prng: Prng = {
    next,
    uniform: (low, high) => low + (high - low) * next(),
    normal: () => {
      const u = 1 - next(); // (0, 1]: log is finite
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
    },
    int: (n) => Math.floor(next() * n),
    shuffle: (array) => {
      for (let i = array.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        const swap = array[i];
        array[i] = array[j];
        array[j] = swap;
      }
      return array;
    },
  };
  return prng;
}
