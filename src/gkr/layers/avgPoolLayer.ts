/**
 * avgpool (pads 0, every window inside the input, so every window counts c = kh·kw entries),
 * prover and verifier: out = ⌊(S + ⌊c/2⌋)/c⌋ with S the window sum ⇔
 *   c·out + rem = Σ_w in_w + ⌊c/2⌋·V,   0 ≤ rem < c
 * (in_w: the window views of the input, V: the unpadded entries). Linear, so one random ρ:
 * c·out̃(ρ) + rem̃(ρ) = Σ_w in_w̃(ρ) + ⌊c/2⌋·Ĩ(ρ); each in_w̃(ρ) is sent and reduced to the input
 * by the view sumcheck. rem's bounds and out's range are range checks (rangeChecks.ts).
 */
import { VerificationError } from '../../errors.ts';
import { extAdd, extEquals, extMulSigned } from '../field/extension.ts';
import type { AvgPoolLayer } from '../../quant/types.ts';
import type { ProtocolContext } from '../model/context.ts';
import { indicatorAt } from '../model/layout.ts';
import { remainderName, windowName } from '../model/planModel.ts';

function run(ctx: ProtocolContext, layer: AvgPoolLayer): void {
  const layout = ctx.plan.layouts.get(layer.out)!;
  const c = layer.kernel[0] * layer.kernel[1];
  const point = ctx.transcript.squeezeExtensions(`${layer.name}/rho`, layout.numVariables);
  const out = ctx.evaluate(layer.out, point, layer.name);
  const rem = ctx.evaluate(remainderName(layer.name), point, layer.name);
  const left = new Uint32Array(4);
  const right = new Uint32Array(4);
  extMulSigned(left, 0, out, 0, c);
  extAdd(left, 0, left, 0, rem, 0);
  extMulSigned(right, 0, indicatorAt(layout, point), 0, Math.floor(c / 2));
  for (let w = 0; w < c; w++) extAdd(right, 0, right, 0, ctx.evaluate(windowName(layer.name, w), point, layer.name), 0);
  if (ctx.side === 'verifier' && !extEquals(left, 0, right, 0))
    throw new VerificationError(`gkr proof: layer '${layer.name}' (avgpool): c·out̃ + rem̃ ≠ Σ windows + ⌊c/2⌋·Ĩ at ρ`, {
      details: { check: 'avgpool relation', layer: layer.name },
    });
}

export const proveAvgPoolLayer = run;
export const verifyAvgPoolLayer = run;
