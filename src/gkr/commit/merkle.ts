/**
 * The SHA-256 Merkle tree over the encoded matrix's columns: build, open a set of leaves with one
 * pruned multi-proof, and verify.
 *
 * Hashing: node:crypto's one-shot `hash('sha256', …)` — measured here against `createHash` and
 * @noble/hashes for the sizes this tree hashes (bench/gkr-commit.ts prints the table): per call
 * it is ~1.5 µs for 32–512-byte inputs, ~1.6–2× faster than createHash and 2–3× faster than
 * noble, because the per-call overhead dominates at these sizes.
 * Domain separation: a leaf is SHA-256(0x00 ‖ column bytes), an inner node SHA-256(0x01 ‖ left ‖
 * right), so a leaf can never be reinterpreted as a node (the second-preimage trick on trees
 * whose leaves may be 64 bytes long).
 * Layout: heap order in one Uint8Array of 2·leafCount·32 bytes — node 1 is the root, node i has
 * children 2i and 2i+1, leaf j is node leafCount + j. leafCount is a power of two.
 */
import { hash } from 'node:crypto';
import { VerificationError } from '../../errors.ts';

export const DIGEST_BYTES = 32;
const LEAF_TAG = 0x00;
const NODE_TAG = 0x01;

export interface MerkleTree {
  leafCount: number;
  /** (2·leafCount)·32 bytes, heap order; bytes 0..31 unused. */
  nodes: Uint8Array;
}

function sha256(data: Uint8Array): Uint8Array {
  return hash('sha256', data, 'buffer') as unknown as Uint8Array;
}

/** SHA-256(0x00 ‖ bytes): the hash of one leaf (one column of the encoded matrix). */
export function hashLeaf(bytes: Uint8Array, scratch?: Uint8Array): Uint8Array {
  const buffer = scratch && scratch.length === bytes.length + 1 ? scratch : new Uint8Array(bytes.length + 1);
  buffer[0] = LEAF_TAG;
  buffer.set(bytes, 1);
  return sha256(buffer);
}

const nodeScratch = new Uint8Array(1 + 2 * DIGEST_BYTES);

/** SHA-256(0x01 ‖ left ‖ right). */
export function hashNode(left: Uint8Array, right: Uint8Array): Uint8Array {
  nodeScratch[0] = NODE_TAG;
  nodeScratch.set(left, 1);
  nodeScratch.set(right, 1 + DIGEST_BYTES);
  return sha256(nodeScratch);
}

export interface BuildMerkleTreeParameters {
  /** Hashes of the leaves, 32 bytes each, leafCount·32 bytes (leafCount a power of two ≥ 1). */
  leafHashes: Uint8Array;
}

/** Builds the tree bottom-up from the leaf hashes. */
export function buildMerkleTree({ leafHashes }: BuildMerkleTreeParameters): MerkleTree {
  const leafCount = leafHashes.length / DIGEST_BYTES;
  if (!Number.isInteger(leafCount) || leafCount < 1 || (leafCount & (leafCount - 1)) !== 0)
    throw new RangeError(`merkle: leaf count ${leafCount} is not a power of two`);
  const nodes = new Uint8Array(2 * leafCount * DIGEST_BYTES);
  nodes.set(leafHashes, leafCount * DIGEST_BYTES);
  const scratch = new Uint8Array(1 + 2 * DIGEST_BYTES);
  scratch[0] = NODE_TAG;
  for (let i = leafCount - 1; i >= 1; i--) {
    // children 2i, 2i+1 are adjacent: one copy of 64 bytes
    scratch.set(nodes.subarray(2 * i * DIGEST_BYTES, (2 * i + 2) * DIGEST_BYTES), 1);
    nodes.set(sha256(scratch), i * DIGEST_BYTES);
  }
  return { leafCount, nodes };
}

export function merkleRoot(tree: MerkleTree): Uint8Array {
  return tree.nodes.slice(DIGEST_BYTES, 2 * DIGEST_BYTES);
}

/**
 * The sibling hashes a verifier needs to recompute the root from the given leaves (sorted, no
 * duplicates): level by level from the leaves up, the sibling of every known node that is not
 * itself known, in increasing node order. Shared upper paths are sent once, which for t ≈ 150
 * openings of a 4096-leaf tree saves about a third of the path bytes.
 */
export function openMerkleMulti({ tree, leafIndices }: { tree: MerkleTree; leafIndices: readonly number[] }): Uint8Array {
  const siblings: Uint8Array[] = [];
  let level = leafIndices.map((j) => tree.leafCount + j);
  while (level.length > 0 && level[0] > 1) {
    const next: number[] = [];
    for (let i = 0; i < level.length; i++) {
      const node = level[i];
      const sibling = node ^ 1;
      if (i + 1 < level.length && level[i + 1] === sibling) i++;
      else siblings.push(tree.nodes.subarray(sibling * DIGEST_BYTES, (sibling + 1) * DIGEST_BYTES));
      const parent = node >>> 1;
      if (next.length === 0 || next[next.length - 1] !== parent) next.push(parent);
    }
    level = next;
  }
  const out = new Uint8Array(siblings.length * DIGEST_BYTES);
  siblings.forEach((s, i) => out.set(s, i * DIGEST_BYTES));
  return out;
}

/** How many sibling hashes `openMerkleMulti` sends for these leaves (sorted, unique). */
export function countMerkleSiblings(leafCount: number, leafIndices: readonly number[]): number {
  let count = 0;
  let level = leafIndices.map((j) => leafCount + j);
  while (level.length > 0 && level[0] > 1) {
    const next: number[] = [];
    for (let i = 0; i < level.length; i++) {
      const node = level[i];
      if (i + 1 < level.length && level[i + 1] === (node ^ 1)) i++;
      else count++;
      if (next.length === 0 || next[next.length - 1] !== node >>> 1) next.push(node >>> 1);
    }
    level = next;
  }
  return count;
}

export interface VerifyMerkleMultiParameters {
  root: Uint8Array;
  leafCount: number;
  /** Sorted, unique leaf indices. */
  leafIndices: readonly number[];
  /** Their hashes, in the same order. */
  leafHashes: readonly Uint8Array[];
  /** The multi-proof from `openMerkleMulti`. */
  siblings: Uint8Array;
}

/** Recomputes the root; throws VerificationError('merkle path') if it differs or bytes are left over/missing. */
export function verifyMerkleMulti({ root, leafCount, leafIndices, leafHashes, siblings }: VerifyMerkleMultiParameters): void {
  let cursor = 0;
  const takeSibling = (): Uint8Array => {
    if (cursor + DIGEST_BYTES > siblings.length)
      throw new VerificationError('commitment: merkle path is too short', {
        details: { check: 'merkle path', siblingsBytes: siblings.length },
        hint: 'the multi-proof must hold one 32-byte sibling per node the opened leaves do not determine',
      });
    const s = siblings.subarray(cursor, cursor + DIGEST_BYTES);
    cursor += DIGEST_BYTES;
    return s;
  };
  let level = leafIndices.map((j, i) => ({ node: leafCount + j, digest: leafHashes[i] }));
  while (level.length > 0 && level[0].node > 1) {
    const next: { node: number; digest: Uint8Array }[] = [];
    for (let i = 0; i < level.length; i++) {
      const { node, digest } = level[i];
      let left: Uint8Array;
      let right: Uint8Array;
      if (i + 1 < level.length && level[i + 1].node === (node ^ 1)) {
        left = digest;
        right = level[i + 1].digest;
        i++;
      } else if (node & 1) {
        left = takeSibling();
        right = digest;
      } else {
        left = digest;
        right = takeSibling();
      }
      next.push({ node: node >>> 1, digest: hashNode(left, right) });
    }
    level = next;
  }
  if (cursor !== siblings.length)
    throw new VerificationError('commitment: merkle multi-proof has unused bytes', {
      details: { check: 'merkle path', used: cursor, siblingsBytes: siblings.length },
    });
  const computed = level[0]?.digest;
  if (!computed || !bytesEqual(computed, root))
    throw new VerificationError('commitment: opened columns do not hash to the committed root', {
      details: { check: 'merkle path', root: toHex(root), computed: computed ? toHex(computed) : undefined },
      hint: 'a column entry, a sibling hash or the root was changed',
    });
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
