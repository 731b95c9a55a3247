/** The column Merkle tree: multi-proofs open and verify, and every single change is rejected. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { VerificationError } from '../../errors.ts';
import { buildMerkleTree, countMerkleSiblings, hashLeaf, hashNode, merkleRoot, openMerkleMulti, verifyMerkleMulti } from './merkle.ts';

function leaves(count: number): Uint8Array[] {
  return Array.from({ length: count }, (_, j) => Uint8Array.from({ length: 24 }, (_, b) => (j * 31 + b * 7) & 255));
}

function tree(count: number) {
  const data = leaves(count);
  const leafHashes = new Uint8Array(count * 32);
  data.forEach((d, j) => leafHashes.set(hashLeaf(d), 32 * j));
  return { data, tree: buildMerkleTree({ leafHashes }) };
}

function checkOf(run: () => void): unknown {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(VerificationError);
    return (error as VerificationError).details.check;
  }
  return 'accepted';
}

describe('merkle tree', () => {
  it('hashes leaves and nodes with distinct one-byte tags (SHA-256)', () => {
    const leaf = Uint8Array.of(1, 2, 3);
    expect(Buffer.from(hashLeaf(leaf)).toString('hex')).toBe(createHash('sha256').update(Uint8Array.of(0, 1, 2, 3)).digest('hex'));
    const a = new Uint8Array(32).fill(1);
    const b = new Uint8Array(32).fill(2);
    const expected = createHash('sha256').update(Uint8Array.of(1)).update(a).update(b).digest('hex');
    expect(Buffer.from(hashNode(a, b)).toString('hex')).toBe(expected);
  });

  it('a one-leaf tree has the leaf hash as root and an empty proof', () => {
    const { data, tree: t } = tree(1);
    expect(Buffer.from(merkleRoot(t)).toString('hex')).toBe(Buffer.from(hashLeaf(data[0])).toString('hex'));
    expect(openMerkleMulti({ tree: t, leafIndices: [0] }).length).toBe(0);
  });

  for (const indices of [[0], [5], [0, 1], [1, 2], [0, 7, 8, 15], [3, 4, 5, 6, 9, 12]]) {
    it(`opens leaves ${indices.join(',')} of 16 with a pruned multi-proof`, () => {
      const { data, tree: t } = tree(16);
      const siblings = openMerkleMulti({ tree: t, leafIndices: indices });
      expect(siblings.length).toBe(32 * countMerkleSiblings(16, indices));
      const root = merkleRoot(t);
      const leafHashes = indices.map((j) => hashLeaf(data[j]));
      expect(checkOf(() => verifyMerkleMulti({ root, leafCount: 16, leafIndices: indices, leafHashes, siblings }))).toBe('accepted');
    });
  }

  it('sends each shared sibling once: 4 paths in 16 leaves that pair up need 2 + 2 hashes, not 16', () => {
    expect(countMerkleSiblings(16, [0, 1, 2, 3])).toBe(2);
    expect(countMerkleSiblings(16, [0, 15])).toBe(6);
    expect(countMerkleSiblings(16, [5])).toBe(4);
  });

  it('rejects a changed leaf, sibling or root, and a short or padded proof', () => {
    const { data, tree: t } = tree(16);
    const indices = [2, 9];
    const siblings = openMerkleMulti({ tree: t, leafIndices: indices });
    const root = merkleRoot(t);
    const leafHashes = indices.map((j) => hashLeaf(data[j]));
    const verify = (over: Partial<Parameters<typeof verifyMerkleMulti>[0]>) => () =>
      verifyMerkleMulti({ root, leafCount: 16, leafIndices: indices, leafHashes, siblings, ...over });
    const changedLeaf = hashLeaf(Uint8Array.of(9, 9, 9));
    expect(checkOf(verify({ leafHashes: [leafHashes[0], changedLeaf] }))).toBe('merkle path');
    const changedSiblings = siblings.slice();
    changedSiblings[40] ^= 1;
    expect(checkOf(verify({ siblings: changedSiblings }))).toBe('merkle path');
    const changedRoot = root.slice();
    changedRoot[0] ^= 0x80;
    expect(checkOf(verify({ root: changedRoot }))).toBe('merkle path');
    expect(checkOf(verify({ siblings: siblings.subarray(32) }))).toBe('merkle path');
    const padded = new Uint8Array(siblings.length + 32);
    padded.set(siblings);
    expect(checkOf(verify({ siblings: padded }))).toBe('merkle path');
    expect(checkOf(verify({ leafIndices: [2, 10] }))).toBe('merkle path');
  });
});
