/**
 * rescale(acc) = floor((acc + 2^(s-1)) / 2^s) (docs/fixed-point.md): round to nearest, ties
 * toward +∞, an arithmetic right shift by s for negatives too. Number (exact for |acc| < 2^53)
 * and BigInt forms; the engine inlines the number form in its loops.
 */
export interface RescaleParameters<T extends number | bigint> {
  value: T;
  scaleBits: number;
}

export function rescale<T extends number | bigint>({ value, scaleBits }: RescaleParameters<T>): T {
  if (typeof value === 'bigint') return ((value + (1n << BigInt(scaleBits - 1))) >> BigInt(scaleBits)) as T;
  return Math.floor(((value as number) + 2 ** (scaleBits - 1)) / 2 ** scaleBits) as T;
}
