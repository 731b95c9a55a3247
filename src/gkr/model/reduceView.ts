/**
 * A claim Ṽ(ρ) = value on a view V of S (views.ts), prover and verifier: one degree-2 sumcheck
 *   value = Σ_j S(j)·M_ρ(j),   M_ρ(j) = Σ_{i : map(i) = j} eq(ρ, i),
 * over S's variables, ending in S̃(r) (a claim on S, passed on with ctx.expect) and M̃_ρ(r),
 * which the verifier computes itself from the map (O(|V|) + O(|S|)). Soundness error
 * 2·log|S| / 2^127 (the identity holds as polynomials in ρ, so no extra term).
 */
import { VerificationError } from '../../errors.ts';
import { EXT_WORDS, createExtVector, extAdd, extEquals, extFromSigned, extToString } from '../field/extension.ts';
import { eqTable, evaluateMultilinear, tableFromSigned } from '../multilinear.ts';
import { proveSumcheck, type SumcheckTerm } from '../sumcheck/proveSumcheck.ts';
import { verifySumcheck } from '../sumcheck/verifySumcheck.ts';
import type { ProtocolContext } from './context.ts';
import type { ViewPlan } from './views.ts';

const TERMS: SumcheckTerm[] = (() => {
  const one = new Uint32Array(4);
  extFromSigned(one, 0, 1);
  return [{ coefficient: one, factors: [0, 1] }];
})();

/** M_ρ: the eq table of ρ scattered through the view's map onto the source's padded indices. */
export function viewWeights(view: ViewPlan, sourceVariables: number, point: Uint32Array): Uint32Array {
  const eq = eqTable(point);
  const weights = createExtVector(2 ** sourceVariables);
  for (let i = 0; i < view.map.length; i++) {
    const j = view.map[i];
    if (j >= 0) extAdd(weights, EXT_WORDS * j, weights, EXT_WORDS * j, eq, EXT_WORDS * i);
  }
  return weights;
}

export function reduceView(ctx: ProtocolContext, view: ViewPlan, point: Uint32Array, value: Uint32Array, label: string): void {
  const sourceVariables = ctx.plan.layouts.get(view.source)?.numVariables ?? ctx.plan.views.get(view.source)!.numVariables;
  const weights = viewWeights(view, sourceVariables, point);
  const sumcheckLabel = `${label}/view ${view.name}`;
  if (ctx.side === 'prover') {
    const { proof, challenges } = proveSumcheck({
      transcript: ctx.transcript,
      label: sumcheckLabel,
      tables: [tableFromSigned(ctx.tableOf(view.source), sourceVariables), weights],
      terms: TERMS,
    });
    ctx.sumcheckMessage(proof);
    ctx.expect(view.source, challenges, proof.finalEvaluations.slice(0, 4), label);
    return;
  }
  const proof = ctx.sumcheckMessage();
  const { challenges, finalEvaluations: f } = verifySumcheck({
    transcript: ctx.transcript,
    label: sumcheckLabel,
    numVariables: sourceVariables,
    numTables: 2,
    terms: TERMS,
    claimedSum: value,
    proof,
  });
  const expected = evaluateMultilinear(weights, challenges);
  if (!extEquals(expected, 0, f, 4))
    throw new VerificationError(`gkr proof: ${label}: view '${view.name}' weights at r are ${extToString(expected, 0)}, the proof claims ${extToString(f, 4)}`, {
      details: { check: 'view weights', view: view.name },
    });
  ctx.expect(view.source, challenges, f.slice(0, 4), label);
}
