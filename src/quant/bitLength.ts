/** Bits of the largest magnitude: the bit length of `bound` (0 for a bound ≤ 0). */
export function bitLength(bound: bigint): number {
  return bound <= 0n ? 0 : bound.toString(2).length;
}
