/**
 * scalarMul, prover and verifier: out = rescale(x·q) ⇔ q·x + 2^(s−1)·V = 2^s·out + rem with
 * rem ∈ [0, 2^s) (a range check) and V the indicator of the unpadded entries. Linear, so one
 * random point: q·x̃(ρ) + 2^(s−1)·Ĩ(ρ) = 2^s·out̃(ρ) + rem̃(ρ).
 */
import { VerificationError } from '../../errors.ts';
import { extAdd, extEquals, extMulSigned } from '../field/extension.ts';
import type { ScalarMulLayer } from '../../quant/types.ts';
import type { ProtocolContext } from '../model/context.ts';
import { indicatorAt } from '../model/layout.ts';
import { remainderName } from '../model/planModel.ts';

function run(ctx: ProtocolContext, layer: ScalarMulLayer): void {
  const s = ctx.model.scaleBits;
  const layout = ctx.plan.layouts.get(layer.out)!;
  const point = ctx.transcript.squeezeExtensions(`${layer.name}/rho`, layout.numVariables);
  const x = ctx.evaluate(layer.input, point, layer.name);
  const out = ctx.evaluate(layer.out, point, layer.name);
  const rem = ctx.evaluate(remainderName(layer.name), point, layer.name);
  const left = new Uint32Array(4);
  const right = new Uint32Array(4);
  const t = new Uint32Array(4);
  extMulSigned(left, 0, x, 0, layer.factor);
  extMulSigned(t, 0, indicatorAt(layout, point), 0, 2 ** (s - 1));
  extAdd(left, 0, left, 0, t, 0);
  extMulSigned(right, 0, out, 0, 2 ** s);
  extAdd(right, 0, right, 0, rem, 0);
  if (ctx.side === 'verifier' && !extEquals(left, 0, right, 0))
    throw new VerificationError(`gkr proof: layer '${layer.name}' (scalarMul): q·x̃ + 2^(s−1)·Ĩ ≠ 2^s·out̃ + rem̃ at ρ`, {
      details: { check: 'scalarMul relation', layer: layer.name },
    });
}

export const proveScalarMulLayer = run;
export const verifyScalarMulLayer = run;
