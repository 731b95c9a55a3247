/**
 * maxpool (pads 0, every window inside the input), prover and verifier. With in_w the view of
 * the input at window offset w (views.ts), out = max_w in_w ⇔ out − in_w ≥ 0 for every w (range
 * checks, rangeChecks.ts) and Π_w (out − in_w) = 0 (out is one of them). The product is a
 * zero-check: 0 = Σ_x eq(ρ, x)·Π_w D_w(x) with D_w = out − in_w, a sumcheck of degree 1 + |window|;
 * its final D_w(r) become out̃(r) (a committed claim) and in_w(r) = out̃(r) − D_w(r), a claim on
 * the view that reduceView.ts moves to the input. Over F_p a product is zero iff a factor is, and
 * each |D_w| < 2^v ≪ p, so this is the integer statement.
 */
import { VerificationError } from '../../errors.ts';
import { extEquals, extFromSigned, extSub, extToString } from '../field/extension.ts';
import { eqTable, evaluateEq, tableFromSigned } from '../multilinear.ts';
import type { MaxPoolLayer } from '../../quant/types.ts';
import { proveSumcheck, type SumcheckTerm } from '../sumcheck/proveSumcheck.ts';
import { verifySumcheck } from '../sumcheck/verifySumcheck.ts';
import type { ProtocolContext } from '../model/context.ts';
import { windowName } from '../model/planModel.ts';

function windows(layer: MaxPoolLayer): number {
  return layer.kernel[0] * layer.kernel[1];
}

function terms(count: number): SumcheckTerm[] {
  const one = new Uint32Array(4);
  extFromSigned(one, 0, 1);
  return [{ coefficient: one, factors: Array.from({ length: count + 1 }, (_, i) => i) }];
}

/** Both sides, after the sumcheck: claims on out and on every window view at r. */
function finish(ctx: ProtocolContext, layer: MaxPoolLayer, challenges: Uint32Array, f: Uint32Array): void {
  const out = ctx.evaluate(layer.out, challenges, layer.name);
  for (let w = 0; w < windows(layer); w++) {
    const window = new Uint32Array(4);
    extSub(window, 0, out, 0, f, 4 * (w + 1));
    ctx.expect(windowName(layer.name, w), challenges, window, layer.name);
  }
}

export function proveMaxPoolLayer(ctx: ProtocolContext, layer: MaxPoolLayer): void {
  const numVariables = ctx.plan.layouts.get(layer.out)!.numVariables;
  const point = ctx.transcript.squeezeExtensions(`${layer.name}/rho`, numVariables);
  const out = ctx.tableOf(layer.out);
  const gaps = Array.from({ length: windows(layer) }, (_, w) => {
    const window = ctx.tableOf(windowName(layer.name, w));
    return tableFromSigned(out.map((v, i) => v - window[i]), numVariables);
  });
  const { proof, challenges } = proveSumcheck({ transcript: ctx.transcript, label: `${layer.name}/zerocheck`, tables: [eqTable(point), ...gaps], terms: terms(gaps.length) });
  ctx.sumcheckMessage(proof);
  finish(ctx, layer, challenges, proof.finalEvaluations);
}

export function verifyMaxPoolLayer(ctx: ProtocolContext, layer: MaxPoolLayer): void {
  const numVariables = ctx.plan.layouts.get(layer.out)!.numVariables;
  const point = ctx.transcript.squeezeExtensions(`${layer.name}/rho`, numVariables);
  const proof = ctx.sumcheckMessage();
  const { challenges, finalEvaluations: f } = verifySumcheck({
    transcript: ctx.transcript,
    label: `${layer.name}/zerocheck`,
    numVariables,
    numTables: windows(layer) + 1,
    terms: terms(windows(layer)),
    claimedSum: new Uint32Array(4),
    proof,
  });
  const eq = evaluateEq(point, challenges);
  if (!extEquals(eq, 0, f, 0))
    throw new VerificationError(`gkr proof: layer '${layer.name}' (maxpool): eq(ρ, r) = ${extToString(eq, 0)}, the proof claims ${extToString(f, 0)}`, {
      details: { check: 'eq evaluation', layer: layer.name },
    });
  finish(ctx, layer, challenges, f);
}
