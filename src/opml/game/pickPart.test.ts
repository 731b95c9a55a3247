import { concat, keccak256, type Hex } from 'viem';
import { expect, test } from 'vitest';
import { UsageError } from '../../errors.ts';
import { partsRoot, pickPart } from './pickPart.ts';

const claim = (i: number): Hex => keccak256(`0x${i.toString(16).padStart(64, '0')}`);
const node = (left: Hex, right: Hex) => keccak256(concat([left, right]));
const ZERO: Hex = `0x${'0'.repeat(64)}`;

/** What OpmlDisputeGame._pickPart recomputes from a Pick. */
function rootFromPick(pick: ReturnType<typeof pickPart>): Hex {
  let current = node(pick.agreed, pick.disputed);
  pick.siblings.forEach((sibling, level) => {
    current = (Number(pick.index) >> level) & 1 ? node(sibling, current) : node(current, sibling);
  });
  return current;
}

test('a one-part dissection is its own leaf: keccak(initial ‖ final), no siblings', () => {
  const claims = [claim(0), claim(1)];
  expect(partsRoot(claims)).toBe(node(claims[0]!, claims[1]!));
  expect(pickPart({ claims, index: 0 })).toEqual({ index: 0n, agreed: claims[0], disputed: claims[1], siblings: [] });
});

test('three parts pad to four leaves with a zero word', () => {
  const c = [claim(0), claim(1), claim(2), claim(3)];
  const expected = node(node(node(c[0]!, c[1]!), node(c[1]!, c[2]!)), node(node(c[2]!, c[3]!), ZERO));
  expect(partsRoot(c)).toBe(expected);
  expect(pickPart({ claims: c, index: 2 }).siblings).toEqual([ZERO, node(node(c[0]!, c[1]!), node(c[1]!, c[2]!))]);
});

test('every part of dissections of 1..17 parts proves into the root with ⌈log2 n⌉ siblings', () => {
  for (let n = 1; n <= 17; n++) {
    const claims = Array.from({ length: n + 1 }, (_, i) => claim(100 * n + i));
    const root = partsRoot(claims);
    for (let index = 0; index < n; index++) {
      const pick = pickPart({ claims, index });
      expect(pick.siblings).toHaveLength(Math.ceil(Math.log2(n)));
      expect(rootFromPick(pick), `n=${n} part ${index}`).toBe(root);
    }
  }
});

test('a part that does not exist is a usage error naming it', () => {
  expect(() => pickPart({ claims: [claim(0), claim(1), claim(2)], index: 2 })).toThrow(UsageError);
  expect(() => pickPart({ claims: [claim(0), claim(1), claim(2)], index: 2 })).toThrow(/part 2 does not exist in a dissection of 2 parts/);
  expect(() => partsRoot([claim(0)])).toThrow(/at least two claims/);
});
