/**
 * createMerkleOverlay against a tree rebuilt from scratch: the same root and siblings after
 * batches of leaf changes (forward and back), the base tree untouched, and the exact hash count
 * (one per distinct node above the changed leaves); the WebAssembly keccak against js-sha3.
 */
import { describe, expect, it } from 'vitest';
import { createIntegerPrng } from '../../test/opml-vm-fixtures.ts';
import sha3 from 'js-sha3';
import { KECCAK_SINGLE_BLOCK_LIMIT, keccak256SingleBlock } from './keccakWasm.ts';
import { buildMerkleTree, createMerkleOverlay, hashLeaf, keccakBytes, rootOf, siblingsOf, toHex } from './merkle.ts';

const treeOf = (words: number[], depth: number) => buildMerkleTree({ depth, usedLength: words.length, leafHash: (i) => hashLeaf(words[i]) });

describe('createMerkleOverlay', () => {
  it('gives the rebuilt tree\'s root and siblings after each batch, and leaves the base as it was', () => {
    const random = createIntegerPrng(5);
    const depth = 6;
    const words = Array.from({ length: 50 }, () => random(-1000, 1000));
    const base = treeOf(words, depth);
    const baseRoot = toHex(rootOf(base));
    const overlay = createMerkleOverlay(base);
    const current = [...words, ...Array.from({ length: 14 }, () => 0)];
    for (let batch = 0; batch < 20; batch++) {
      const indices = Array.from({ length: random(1, 12) }, () => random(0, 63));
      const values = indices.map(() => random(-5, 5));
      // A repeated index keeps its last value, as the leaves set in order do.
      indices.forEach((index, i) => (current[index] = values[i]));
      const last = new Map(indices.map((index, i) => [index, values[i]]));
      overlay.update([...last.keys()], [...last.values()].map((v) => hashLeaf(v)));
      const rebuilt = treeOf(current, depth);
      expect(toHex(overlay.root())).toBe(toHex(rootOf(rebuilt)));
      for (const index of [0, 17, 63]) expect(overlay.siblings(index).map(toHex)).toEqual(siblingsOf(rebuilt, index).map(toHex));
      expect(overlay.siblings(8, 3).map(toHex)).toEqual(siblingsOf(rebuilt, 8, 3).map(toHex));
    }
    expect(toHex(rootOf(base))).toBe(baseRoot);
  });

  it('hashes each node above the changed leaves once', () => {
    const base = treeOf([1, 2, 3, 4, 5, 6, 7, 8], 4);
    const leaf = hashLeaf(9);
    // Leaves 3, 4, 5 (depth 4): parents {1, 2}, then {0, 1}, then {0}, then the root: 6 hashes.
    expect(createMerkleOverlay(base).update([5, 3, 4], [leaf, leaf, leaf])).toBe(6);
    // One leaf: its path, depth hashes; the same leaf twice: the same path once.
    expect(createMerkleOverlay(base).update([15], [leaf])).toBe(4);
    expect(createMerkleOverlay(base).update([15, 15], [leaf, leaf])).toBe(4);
  });
});

describe('keccakBytes in WebAssembly (one-block messages)', () => {
  it('equals js-sha3 on every length up to 135 bytes (random contents) and on the empty message\'s known digest', () => {
    const random = createIntegerPrng(9);
    for (let length = 0; length <= KECCAK_SINGLE_BLOCK_LIMIT; length++) {
      for (let trial = 0; trial < 4; trial++) {
        const data = Uint8Array.from({ length }, () => random(0, 255));
        expect(toHex(keccakBytes(data))).toBe(`0x${sha3.keccak256(data)}`);
      }
    }
    expect(toHex(keccakBytes(new Uint8Array(0)))).toBe('0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470');
    // Past one block it is js-sha3's, and longer messages still hash right.
    const long = Uint8Array.from({ length: 192 }, () => random(0, 255));
    expect(toHex(keccakBytes(long))).toBe(`0x${sha3.keccak256(long)}`);
    expect(() => keccak256SingleBlock(long)).toThrow(RangeError);
  });
});
