/**
 * relu, prover and verifier: out = max(x, 0) ⇔ out ≥ 0, out − x ≥ 0 and out·(out − x) = 0.
 * The two inequalities are range checks (rangeChecks.ts: out ∈ [0, 2^v), out − x ∈ [0, 2^v));
 * the product is a zero-check: for a random ρ,
 *   0 = Σ_i eq(ρ, i)·(out_i·out_i − out_i·x_i),
 * a degree-3 sumcheck whose final claims are eq(ρ, r) (the verifier computes it), out̃(r), x̃(r).
 * Since out, x are small integers, out·(out − x) = 0 in F_p is the integer identity.
 */
import { VerificationError } from '../../errors.ts';
import { extEquals, extFromSigned, extToString } from '../field/extension.ts';
import { eqTable, evaluateEq, tableFromSigned } from '../multilinear.ts';
import type { ReluLayer } from '../../quant/types.ts';
import { proveSumcheck, type SumcheckTerm } from '../sumcheck/proveSumcheck.ts';
import { verifySumcheck } from '../sumcheck/verifySumcheck.ts';
import type { ProtocolContext } from '../model/context.ts';

const TERMS: SumcheckTerm[] = (() => {
  const one = new Uint32Array(4);
  const minusOne = new Uint32Array(4);
  extFromSigned(one, 0, 1);
  extFromSigned(minusOne, 0, -1);
  return [
    { coefficient: one, factors: [0, 1, 1] },
    { coefficient: minusOne, factors: [0, 1, 2] },
  ];
})();

export function proveReluLayer(ctx: ProtocolContext, layer: ReluLayer): void {
  const numVariables = ctx.plan.layouts.get(layer.out)!.numVariables;
  const point = ctx.transcript.squeezeExtensions(`${layer.name}/rho`, numVariables);
  const { proof, challenges } = proveSumcheck({
    transcript: ctx.transcript,
    label: `${layer.name}/zerocheck`,
    tables: [eqTable(point), tableFromSigned(ctx.tableOf(layer.out)), tableFromSigned(ctx.tableOf(layer.input))],
    terms: TERMS,
  });
  ctx.sumcheckMessage(proof);
  ctx.expect(layer.out, challenges, proof.finalEvaluations.slice(4, 8), layer.name);
  ctx.expect(layer.input, challenges, proof.finalEvaluations.slice(8, 12), layer.name);
}

export function verifyReluLayer(ctx: ProtocolContext, layer: ReluLayer): void {
  const numVariables = ctx.plan.layouts.get(layer.out)!.numVariables;
  const point = ctx.transcript.squeezeExtensions(`${layer.name}/rho`, numVariables);
  const proof = ctx.sumcheckMessage();
  const { challenges, finalEvaluations: f } = verifySumcheck({
    transcript: ctx.transcript,
    label: `${layer.name}/zerocheck`,
    numVariables,
    numTables: 3,
    terms: TERMS,
    claimedSum: new Uint32Array(4),
    proof,
  });
  const eq = evaluateEq(point, challenges);
  if (!extEquals(eq, 0, f, 0))
    throw new VerificationError(`gkr proof: layer '${layer.name}' (relu): eq(ρ, r) = ${extToString(eq, 0)}, the proof claims ${extToString(f, 0)}`, {
      details: { check: 'eq evaluation', layer: layer.name },
    });
  ctx.expect(layer.out, challenges, f.slice(4, 8), layer.name);
  ctx.expect(layer.input, challenges, f.slice(8, 12), layer.name);
}
