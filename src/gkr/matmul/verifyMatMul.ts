/**
 * The verifier of Thaler's matmul sumcheck (proveMatMul.ts): checks the degree-2 sumcheck of
 * Σ_k Ã(r1, k)·B̃(k, r2) against the claimed C̃(r1, r2) and returns the two evaluation claims
 * Ã(rk, r1), B̃(r2, rk) the caller must check (public matrix, commitment opening, or the previous
 * layer). Soundness error: 2·⌈log2 K⌉ / |F_p²| for the sumcheck, plus ⌈log2 MN⌉/|F_p²| for the
 * random (r1, r2) reducing C = A·B to one point (Schwartz–Zippel on the MLE of C − A·B).
 */
import { EXT_WORDS } from '../field/extension.ts';
import { concatPoints, log2Ceil } from '../multilinear.ts';
import type { SumcheckProof } from '../sumcheck/proveSumcheck.ts';
import { verifySumcheck } from '../sumcheck/verifySumcheck.ts';
import type { Transcript } from '../transcript.ts';
import { MATMUL_TERMS, type MatMulClaims } from './proveMatMul.ts';

export interface VerifyMatMulParameters {
  transcript: Transcript;
  label: string;
  /** K, the inner dimension (the sumcheck has ⌈log2 K⌉ rounds). */
  k: number;
  rowPoint: Uint32Array;
  colPoint: Uint32Array;
  /** C̃(r1, r2) as the verifier knows it. */
  claimedValue: Uint32Array;
  proof: SumcheckProof;
}

export function verifyMatMul({ transcript, label, k, rowPoint, colPoint, claimedValue, proof }: VerifyMatMulParameters): MatMulClaims {
  const { challenges, finalEvaluations } = verifySumcheck({
    transcript,
    label,
    numVariables: log2Ceil(k),
    numTables: 2,
    terms: MATMUL_TERMS,
    claimedSum: claimedValue,
    proof,
  });
  return {
    aPoint: concatPoints(challenges, rowPoint),
    aEvaluation: finalEvaluations.slice(0, EXT_WORDS),
    bPoint: concatPoints(colPoint, challenges),
    bEvaluation: finalEvaluations.slice(EXT_WORDS, 2 * EXT_WORDS),
  };
}
