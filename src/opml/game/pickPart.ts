/**
 * The TypeScript twin of LibDissection.partsRoot / partRoot: the part tree a dissection is
 * committed by on-chain, and the `Pick` (OpmlDisputeGame.Pick) a mover sends for the part it
 * disputes — its index, its two claims and its leaf's siblings — instead of the whole dissection.
 *
 * Part i of claims c_0..c_n is the leaf keccak256(c_i ‖ c_{i+1}); the n leaves, padded with zero
 * words to 2^⌈log2 n⌉, form a binary keccak tree (node = keccak256(left ‖ right)).
 */
import { concat, keccak256, type Hex } from 'viem';
import { UsageError } from '../../errors.ts';

const ZERO: Hex = `0x${'0'.repeat(64)}`;

export interface PickPartParameters {
  /** The last dissection's claims, c_0..c_n (n ≥ 1). */
  claims: readonly Hex[];
  /** The part picked, 0 ≤ index < n. */
  index: number;
}

export interface PickPartResult {
  index: bigint;
  agreed: Hex;
  disputed: Hex;
  /** Leaf level first; ⌈log2 n⌉ of them. */
  siblings: Hex[];
}

function partLevels(claims: readonly Hex[]): Hex[][] {
  const n = claims.length - 1;
  if (n < 1) throw new UsageError(`pickPart: a dissection has at least two claims, got ${claims.length}`, { hint: 'pass the whole last dissection' });
  let width = 1;
  while (width < n) width *= 2;
  let level: Hex[] = Array.from({ length: width }, (_, i) => (i < n ? keccak256(concat([claims[i]!, claims[i + 1]!])) : ZERO));
  const levels = [level];
  while (level.length > 1) {
    const next: Hex[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(keccak256(concat([level[i]!, level[i + 1]!])));
    levels.push((level = next));
  }
  return levels;
}

/** The root of the part tree of `claims` (what OpmlDisputeGame stores as dissectionRoot). */
export function partsRoot(claims: readonly Hex[]): Hex {
  const levels = partLevels(claims);
  return levels[levels.length - 1]![0]!;
}

export function pickPart({ claims, index }: PickPartParameters): PickPartResult {
  if (!Number.isInteger(index) || index < 0 || index >= claims.length - 1)
    throw new UsageError(`pickPart: part ${index} does not exist in a dissection of ${claims.length - 1} parts`, { hint: 'pick 0 ≤ part < claims.length − 1' });
  const levels = partLevels(claims);
  const siblings = levels.slice(0, -1).map((level, depth) => level[(index >> depth) ^ 1]!);
  return { index: BigInt(index), agreed: claims[index]!, disputed: claims[index + 1]!, siblings };
}
