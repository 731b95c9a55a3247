/**
 * Lowerings shared by the elementwise operators (Mul, Div, Sub, Pow, BatchNormalization): a
 * product of an activation by a constant — `scalarMul` when the constant is one number (every
 * backend, the gkr prover included, has it), `mul` otherwise — a product of two activations,
 * and a negation (scalarMul by -2^s, exact: rescale(-x · 2^s) = -x).
 */
import type { OnnxTensor } from '../../onnx/types.ts';
import { sizeOf } from '../../tensor/sizeOf.ts';
import { roundHalfUp } from '../roundHalfUp.ts';
import type { QuantizeContext } from './types.ts';

export interface ScaleByConstantParameters {
  context: QuantizeContext;
  name: string;
  out: string;
  outDims: number[];
  input: string;
  /** The float factor (already a reciprocal for Div). */
  factor: OnnxTensor;
  /** Optional float addend per element (BatchNorm's shift), quantized at scale 2s as a bias. */
  bias?: OnnxTensor;
  where: string;
}

/** out = rescale(x · round(f · 2^s) + round(c · 2^2s)). */
export function scaleByConstant({ context, name, out, outDims, input, factor, bias, where }: ScaleByConstantParameters): void {
  const { maxActivation, half } = context;
  if (sizeOf(factor.dims) === 1 && !bias) {
    const q = roundHalfUp(factor.data[0]! * 2 ** context.scaleBits);
    context.push({ op: 'scalarMul', name, out, input, factor: q, accBits: context.checkBound(name, BigInt(Math.abs(q)) * maxActivation + half) }, outDims);
    return;
  }
  const b = context.addConstant({ baseName: factor.name, source: factor, scaleExp: 1, factor: 1, where });
  const c = bias ? context.addConstant({ baseName: bias.name, source: bias, scaleExp: 2, factor: 1, where }) : undefined;
  let largest = 0n;
  for (const value of context.constants[b]!.data) if (BigInt(Math.abs(value)) > largest) largest = BigInt(Math.abs(value));
  let largestBias = 0n;
  if (c) for (const value of context.constants[c]!.data) if (BigInt(Math.abs(value)) > largestBias) largestBias = BigInt(Math.abs(value));
  const accBits = context.checkBound(name, largest * maxActivation + largestBias + half);
  context.push({ op: 'mul', name, out, a: input, b, ...(c ? { bias: c } : {}), accBits }, outDims);
}

/** out = rescale(a · b) for two activations. */
export function multiplyActivations(context: QuantizeContext, name: string, out: string, outDims: number[], a: string, b: string): void {
  const accBits = context.checkBound(name, context.maxActivation * context.maxActivation + context.half);
  context.push({ op: 'mul', name, out, a, b, accBits }, outDims);
}

/** out = -x (scalarMul by -2^s); -(-2^(v-1)) leaves the range and is reported like any overflow. */
export function negate(context: QuantizeContext, name: string, out: string, input: string): string {
  const factor = -(2 ** context.scaleBits);
  context.push({ op: 'scalarMul', name, out, input, factor, accBits: context.checkBound(name, BigInt(-factor) * context.maxActivation + context.half) }, context.dimsOf(input));
  return out;
}
