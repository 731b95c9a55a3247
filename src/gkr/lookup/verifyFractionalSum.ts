/**
 * Verifier of the fractional sumcheck (proveFractionalSum.ts), step for step: recompute the root
 * from the two children, then per layer check the degree-3 sumcheck, check the eq factor of the
 * final evaluations itself, and move the claims with μ. Returns the root fraction and the leaf
 * claims for the caller (LogUp) to check. Soundness error per layer k: 3k/|F_p²| (sumcheck) +
 * 1/|F_p²| (λ) + 1/|F_p²| (μ); over d layers ≤ (1.5·d² + 2d)/2^127.
 */
import { VerificationError } from '../../errors.ts';
import { EXT_WORDS, extAdd, extEquals, extMul, extToString } from '../field/extension.ts';
import { concatPoints, evaluateEq } from '../multilinear.ts';
import { verifySumcheck } from '../sumcheck/verifySumcheck.ts';
import type { Transcript } from '../transcript.ts';
import { combineChildren, fractionLayerTerms, lineAt, type FractionalSumClaims, type FractionalSumProof } from './proveFractionalSum.ts';

export interface VerifyFractionalSumParameters {
  transcript: Transcript;
  label: string;
  /** d: the tables have 2^d leaves. */
  depth: number;
  proof: FractionalSumProof;
}

export function verifyFractionalSum({ transcript, label, depth, proof }: VerifyFractionalSumParameters): FractionalSumClaims {
  const expectedChildren = depth === 0 ? 2 : 4;
  if (proof.rootChildren.length !== expectedChildren * EXT_WORDS || proof.layers.length !== Math.max(0, depth - 1))
    throw new VerificationError(`fractional sum ${label}: proof has the wrong shape for depth ${depth}`, {
      details: { check: 'proof shape', label, layers: proof.layers.length },
    });
  transcript.absorbField(`${label}/root`, proof.rootChildren);
  if (depth === 0) {
    const leafP = proof.rootChildren.slice(0, 4);
    const leafQ = proof.rootChildren.slice(4, 8);
    return { rootP: leafP, rootQ: leafQ, leafPoint: new Uint32Array(0), leafP, leafQ };
  }
  const { p: rootP, q: rootQ } = combineChildren(proof.rootChildren);
  let mu = transcript.squeezeExtension(`${label}/mu`);
  let point: Uint32Array = mu;
  let claimP = lineAt(proof.rootChildren, 0, proof.rootChildren, 4, mu);
  let claimQ = lineAt(proof.rootChildren, 8, proof.rootChildren, 12, mu);
  for (let k = 1; k < depth; k++) {
    const lambda = transcript.squeezeExtension(`${label}/lambda`);
    const claimedSum = new Uint32Array(4);
    extMul(claimedSum, 0, claimQ, 0, lambda, 0);
    extAdd(claimedSum, 0, claimedSum, 0, claimP, 0);
    const { challenges, finalEvaluations: f } = verifySumcheck({
      transcript,
      label: `${label}/layer${k}`,
      numVariables: k,
      numTables: 5,
      terms: fractionLayerTerms(lambda),
      claimedSum,
      proof: proof.layers[k - 1],
    });
    const eq = evaluateEq(point, challenges);
    if (!extEquals(eq, 0, f, 0))
      throw new VerificationError(`fractional sum ${label}: layer ${k}: eq(ρ, r) = ${extToString(eq, 0)}, the proof claims ${extToString(f, 0)}`, {
        details: { check: 'eq evaluation', label, layer: k },
      });
    mu = transcript.squeezeExtension(`${label}/mu`);
    claimP = lineAt(f, 4, f, 8, mu);
    claimQ = lineAt(f, 12, f, 16, mu);
    point = concatPoints(mu, challenges);
  }
  return { rootP, rootQ, leafPoint: point, leafP: claimP, leafQ: claimQ };
}
