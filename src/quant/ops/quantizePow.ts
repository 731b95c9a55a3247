/**
 * ONNX Pow with a constant exponent: 1 → `reshape` (the identity), 2 → `mul` of the activation
 * by itself. Other exponents (fractional, negative, > 2) have no lowering and are refused.
 */
import { UnsupportedModelError } from '../../errors.ts';
import { sizeOf } from '../../tensor/sizeOf.ts';
import { multiplyActivations } from './elementwiseHelpers.ts';
import type { QuantizeNode } from './types.ts';

export const quantizePow: QuantizeNode = ({ context, node, out, outDims, where }) => {
  const [base, exponentName] = node.inputs;
  const file = context.graph.file;
  const exponent = context.graph.constants.get(exponentName);
  const value = exponent && sizeOf(exponent.dims) === 1 ? exponent.data[0] : undefined;
  if (context.isConstant(base) || (value !== 1 && value !== 2))
    throw new UnsupportedModelError(`${file}: ${where} raises '${base}' to ${value === undefined ? `'${exponentName}'` : value}, which is not supported`, {
      hint: 'supported: Pow of an activation by the constant 1 or 2',
      details: { file, node: node.name, exponent: value ?? exponentName },
    });
  if (value === 1) context.push({ op: 'reshape', name: node.name, out, input: base }, outDims);
  else multiplyActivations(context, node.name, out, outDims, base, base);
};
