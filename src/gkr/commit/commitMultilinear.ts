/**
 * Commit to one or several multilinear polynomials over Goldilocks (Ligero/Brakedown style):
 * stack their evaluation tables as the rows of one M × k matrix (parameters.ts places them),
 * Reed–Solomon-encode every row at rate 1/2 or 1/4 (encodeRows.ts), and commit to the N columns
 * with one SHA-256 Merkle tree (merkle.ts). The commitment is the root and the shape.
 *
 * Binding, not hiding: the opening reveals row combinations and t columns of the encoded matrix,
 * i.e. linear functions of the committed values (docs/gkr.md, "## Polynomial commitment").
 */
import { UsageError } from '../../errors.ts';
import { BASE_WORDS } from '../field/goldilocks.ts';
import { encodeRows } from './encodeRows.ts';
import { DIGEST_BYTES, buildMerkleTree, hashLeaf, merkleRoot } from './merkle.ts';
import { type CodeRate, columnOpeningCount, planCommitmentShape } from './parameters.ts';
import type { MultilinearCommitment, MultilinearProverData } from './types.ts';

export interface CommitMultilinearParameters {
  /** Evaluation tables: 2^n base elements each (2 words per element, canonical < p). */
  polynomials: readonly Uint32Array[];
  /**
   * Code rate; default 1/2: half the NTT and hashing work of rate 1/4 (bench/gkr-commit.ts:
   * commit ≈ 2× faster) for ~20% more proof bytes (241 vs 148 opened columns for 100 bits).
   */
  rate?: CodeRate;
  /** Force k = 2^logMessageLength columns (default: the k minimising the proof bytes). */
  logMessageLength?: number;
  /** Evaluation claims expected per opening, for the choice of k (default: one per polynomial). */
  expectedClaims?: number;
  securityBits?: number;
}

export interface CommitMultilinearResult {
  commitment: MultilinearCommitment;
  proverData: MultilinearProverData;
}

export function commitMultilinear({
  polynomials,
  rate = 0.5,
  logMessageLength,
  expectedClaims,
  securityBits = 100,
}: CommitMultilinearParameters): CommitMultilinearResult {
  const variableCounts = polynomials.map((table, index) => {
    const entries = table.length / BASE_WORDS;
    const n = Math.log2(entries);
    if (!Number.isInteger(n))
      throw new UsageError(`commitment: polynomial ${index} has ${entries} entries, not a power of two`, {
        details: { polynomial: index, entries },
        hint: 'pad the evaluation table with zeros to 2^n entries (2 uint32 words per entry)',
      });
    return n;
  });
  const shape = planCommitmentShape({ variableCounts, rate, logMessageLength, expectedClaims, securityBits });
  const k = 2 ** shape.logMessageLength;
  const n = k << shape.logBlowup;
  const matrix = new Uint32Array(shape.rowCount * k * BASE_WORDS);
  shape.polynomials.forEach((placement, index) => matrix.set(polynomials[index], placement.rowStart * k * BASE_WORDS));
  const encodedColumns = encodeRows({
    matrix,
    rowCount: shape.rowCount,
    logMessageLength: shape.logMessageLength,
    logBlowup: shape.logBlowup,
  });
  const leafBytes = shape.rowCount * BASE_WORDS * 4;
  const leafHashes = new Uint8Array(n * DIGEST_BYTES);
  const view = new Uint8Array(encodedColumns.buffer, encodedColumns.byteOffset, encodedColumns.byteLength);
  const scratch = new Uint8Array(leafBytes + 1);
  for (let j = 0; j < n; j++)
    leafHashes.set(hashLeaf(view.subarray(j * leafBytes, (j + 1) * leafBytes), scratch), j * DIGEST_BYTES);
  const tree = buildMerkleTree({ leafHashes });
  const { columnOpenings } = columnOpeningCount({ messageLength: k, codewordLength: n, securityBits });
  const commitment: MultilinearCommitment = { root: merkleRoot(tree), shape, columnOpenings };
  return { commitment, proverData: { commitment, matrix, encodedColumns, tree } };
}
