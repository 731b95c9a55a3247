/**
 * add (same dims, no broadcasting), prover and verifier: out = a + b is linear, so one random
 * point suffices (Schwartz–Zippel, error numVariables/|F_p²|): out̃(ρ) = ã(ρ) + b̃(ρ), with the
 * three values claims on committed, constant or public tensors. The range of out is a range check.
 */
import { VerificationError } from '../../errors.ts';
import { extAdd, extEquals } from '../field/extension.ts';
import type { AddLayer } from '../../quant/types.ts';
import type { ProtocolContext } from '../model/context.ts';

function run(ctx: ProtocolContext, layer: AddLayer): void {
  const numVariables = ctx.plan.layouts.get(layer.out)!.numVariables;
  const point = ctx.transcript.squeezeExtensions(`${layer.name}/rho`, numVariables);
  const a = ctx.evaluate(layer.a, point, layer.name);
  const b = ctx.evaluate(layer.b, point, layer.name);
  const out = ctx.evaluate(layer.out, point, layer.name);
  const sum = new Uint32Array(4);
  extAdd(sum, 0, a, 0, b, 0);
  if (ctx.side === 'verifier' && !extEquals(sum, 0, out, 0))
    throw new VerificationError(`gkr proof: layer '${layer.name}' (add): ã(ρ) + b̃(ρ) ≠ out̃(ρ)`, { details: { check: 'add relation', layer: layer.name } });
}

export const proveAddLayer = run;
export const verifyAddLayer = run;
