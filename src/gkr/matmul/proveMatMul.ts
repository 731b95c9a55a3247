/**
 * Thaler's sumcheck for a matrix product C = A·B ("Time-optimal interactive proofs for circuit
 * evaluation", CRYPTO 2013, §5): for the verifier's random (r1, r2),
 *   C̃(r1, r2) = Σ_{k ∈ {0,1}^log K} Ã(r1, k) · B̃(k, r2),
 * one sumcheck of degree 2 over log K variables. The prover's work after C is known is the two
 * folds A_r1 = Σ_i eq(r1, i)·A[i, ·] and B_r2 = Σ_j eq(r2, j)·B[·, j] (O(MK + KN), foldMatrix.ts)
 * plus an O(K) sumcheck — the "less than 4× the product itself" of the survey's claim.
 *
 * Layout: A is M × K, B is K × N, row-major, each axis padded to a power of two in the MLE, so
 * the points are A: (k, r1) = concat(rk, r1), B: (r2, k) = concat(r2, rk), C: concat(r2, r1)
 * (the column variables are the low index bits, multilinear.ts).
 */
import { EXT_WORDS, extFromSigned } from '../field/extension.ts';
import { concatPoints, eqTable, log2Ceil } from '../multilinear.ts';
import { proveSumcheck, type SumcheckProof, type SumcheckTerm } from '../sumcheck/proveSumcheck.ts';
import type { Transcript } from '../transcript.ts';
import { foldColumns, foldRows } from './foldMatrix.ts';

export interface MatMulShape {
  m: number;
  k: number;
  n: number;
}

export interface ProveMatMulParameters extends MatMulShape {
  transcript: Transcript;
  label: string;
  /** A: m × k signed integers, row-major. */
  a: Float64Array;
  /** B: k × n signed integers, row-major. */
  b: Float64Array;
  /** r1: ⌈log2 m⌉ extension elements. */
  rowPoint: Uint32Array;
  /** r2: ⌈log2 n⌉ extension elements. */
  colPoint: Uint32Array;
}

export interface MatMulClaims {
  /** concat(rk, r1): where Ã is claimed. */
  aPoint: Uint32Array;
  aEvaluation: Uint32Array;
  /** concat(r2, rk): where B̃ is claimed. */
  bPoint: Uint32Array;
  bEvaluation: Uint32Array;
}

export interface ProveMatMulResult extends MatMulClaims {
  proof: SumcheckProof;
}

/** The single product term A_r1(k)·B_r2(k). */
export const MATMUL_TERMS: SumcheckTerm[] = (() => {
  const one = new Uint32Array(4);
  extFromSigned(one, 0, 1);
  return [{ coefficient: one, factors: [0, 1] }];
})();

export function proveMatMul({ transcript, label, a, b, m, k, n, rowPoint, colPoint }: ProveMatMulParameters): ProveMatMulResult {
  const innerSize = 2 ** log2Ceil(k);
  const aFolded = foldRows({ matrix: a, rows: m, cols: k, eq: eqTable(rowPoint), outputSize: innerSize });
  const bFolded = foldColumns({ matrix: b, rows: k, cols: n, eq: eqTable(colPoint), outputSize: innerSize });
  const { proof, challenges } = proveSumcheck({ transcript, label, tables: [aFolded, bFolded], terms: MATMUL_TERMS });
  return {
    proof,
    aPoint: concatPoints(challenges, rowPoint),
    aEvaluation: proof.finalEvaluations.slice(0, EXT_WORDS),
    bPoint: concatPoints(colPoint, challenges),
    bEvaluation: proof.finalEvaluations.slice(EXT_WORDS, 2 * EXT_WORDS),
  };
}
