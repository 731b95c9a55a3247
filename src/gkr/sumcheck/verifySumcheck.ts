/**
 * The sumcheck verifier, side by side with proveSumcheck.ts. Per round k: the roundPolynomial
 * has exactly degree + 1 evaluations, g_k(0) + g_k(1) must equal the running claim, the
 * challenge r_k is squeezed after absorbing g_k, and the claim becomes g_k(r_k) (Lagrange
 * interpolation over 0..degree). At the end the prover's finalEvaluations f_j(r) must satisfy
 * Σ_t coefficient_t · Π f_j(r) = claim. The caller still has to check each f_j(r) (commitment
 * opening, public MLE, eq), which is what makes the protocol sound.
 *
 * Soundness error (Schwartz–Zippel per round): ≤ degree · numVariables / |F_p²| ≈
 * degree · numVariables · 2^-128, e.g. 3 · 20 · 2^-128 < 2^-122.
 */
import { VerificationError } from '../../errors.ts';
import {
  EXT_WORDS,
  extAdd,
  extEquals,
  extFromSigned,
  extMul,
  extMulBase,
  extSub,
  extToString,
} from '../field/extension.ts';
import type { Transcript } from '../transcript.ts';
import { interpolateAt } from './interpolateAt.ts';
import type { SumcheckProof, SumcheckTerm } from './proveSumcheck.ts';
import { sumcheckDegree } from './proveSumcheck.ts';

export interface VerifySumcheckParameters {
  transcript: Transcript;
  label: string;
  numVariables: number;
  /** Number of tables the prover's finalEvaluations must have. */
  numTables: number;
  terms: SumcheckTerm[];
  claimedSum: Uint32Array;
  proof: SumcheckProof;
}

export interface VerifySumcheckResult {
  challenges: Uint32Array;
  /** The prover's f_j(r): claims the caller must check. */
  finalEvaluations: Uint32Array;
}

/** Σ_t coefficient_t · Π_{j ∈ factors_t} evaluations[j]. */
export function evaluateTerms(terms: SumcheckTerm[], evaluations: Uint32Array): Uint32Array {
  const out = new Uint32Array(4);
  const product = new Uint32Array(4);
  for (const term of terms) {
    product.set(term.coefficient.subarray(0, 4));
    for (const j of term.factors) extMul(product, 0, product, 0, evaluations, EXT_WORDS * j);
    extAdd(out, 0, out, 0, product, 0);
  }
  return out;
}

export function verifySumcheck({ transcript, label, numVariables, numTables, terms, claimedSum, proof }: VerifySumcheckParameters): VerifySumcheckResult {
  const degree = sumcheckDegree(terms);
  if (proof.roundPolynomials.length !== numVariables)
    throw new VerificationError(`sumcheck ${label}: ${proof.roundPolynomials.length} rounds, expected ${numVariables}`, {
      details: { label, rounds: proof.roundPolynomials.length, expected: numVariables },
    });
  let claim: Uint32Array = claimedSum.slice(0, 4);
  const sum = new Uint32Array(4);
  const challenges = new Uint32Array(numVariables * EXT_WORDS);
  for (let round = 0; round < numVariables; round++) {
    const g = proof.roundPolynomials[round];
    if (g.length !== (degree + 1) * EXT_WORDS)
      throw new VerificationError(`sumcheck ${label}: round ${round} polynomial has ${g.length / EXT_WORDS} evaluations, expected ${degree + 1}`, {
        details: { label, round },
      });
    extAdd(sum, 0, g, 0, g, 4);
    if (!extEquals(sum, 0, claim, 0))
      throw new VerificationError(`sumcheck ${label}: round ${round}: g(0) + g(1) = ${extToString(sum, 0)} ≠ claim ${extToString(claim, 0)}`, {
        details: { label, round, check: 'g(0)+g(1)=claim' },
      });
    transcript.absorbField(`${label}/round`, g);
    const challenge = transcript.squeezeExtension(`${label}/challenge`);
    challenges.set(challenge, round * EXT_WORDS);
    claim = interpolateAt(g, challenge);
  }
  if (proof.finalEvaluations.length !== numTables * EXT_WORDS)
    throw new VerificationError(`sumcheck ${label}: ${proof.finalEvaluations.length / EXT_WORDS} final evaluations, expected ${numTables}`, {
      details: { label },
    });
  transcript.absorbField(`${label}/final`, proof.finalEvaluations);
  const expected = evaluateTerms(terms, proof.finalEvaluations);
  if (!extEquals(expected, 0, claim, 0))
    throw new VerificationError(`sumcheck ${label}: final evaluations give ${extToString(expected, 0)} ≠ last round's claim ${extToString(claim, 0)}`, {
      details: { label, check: 'final' },
    });
  return { challenges, finalEvaluations: proof.finalEvaluations };
}
