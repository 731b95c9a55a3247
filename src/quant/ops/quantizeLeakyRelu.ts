/**
 * ONNX LeakyRelu → one `leakyRelu` with alpha = round(alpha · 2^s). Only 0 ≤ alpha ≤ 1 (what
 * exported networks use): then the negative branch never leaves the range and the trace VM
 * computes it as max(x, rescale(x · alpha)) (docs/fixed-point.md).
 */
import { UnsupportedModelError } from '../../errors.ts';
import { roundHalfUp } from '../roundHalfUp.ts';
import type { QuantizeNode } from './types.ts';

export const quantizeLeakyRelu: QuantizeNode = ({ context, node, out, outDims, where }) => {
  const alpha = Number(node.attributes.alpha ?? 0.01);
  if (!(alpha >= 0 && alpha <= 1))
    throw new UnsupportedModelError(`${context.graph.file}: ${where} has alpha = ${alpha}, which is not supported`, {
      hint: 'supported: 0 ≤ alpha ≤ 1',
      details: { file: context.graph.file, node: node.name, alpha },
    });
  context.push({ op: 'leakyRelu', name: node.name, out, input: node.inputs[0], alpha: roundHalfUp(alpha * 2 ** context.scaleBits) }, outDims);
};
