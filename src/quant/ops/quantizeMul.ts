/**
 * ONNX Mul → `scalarMul` (one constant number), `mul` (a constant tensor, or two activations).
 * Constants are quantized at scale s: round(c · 2^s).
 */
import { UnsupportedModelError } from '../../errors.ts';
import { multiplyActivations, scaleByConstant } from './elementwiseHelpers.ts';
import type { QuantizeNode } from './types.ts';

export const quantizeMul: QuantizeNode = ({ context, node, out, outDims, where }) => {
  const [aName, bName] = node.inputs;
  const aConstant = context.isConstant(aName);
  const bConstant = context.isConstant(bName);
  if (aConstant && bConstant) throw new UnsupportedModelError(`${context.graph.file}: ${where} multiplies two constants (the importer folds those)`, { details: { node: node.name } });
  if (!aConstant && !bConstant) return multiplyActivations(context, node.name, out, outDims, aName, bName);
  const [input, constant] = aConstant ? [bName, aName] : [aName, bName];
  scaleByConstant({ context, name: node.name, out, outDims, input, factor: context.graph.constants.get(constant)!, where });
};
