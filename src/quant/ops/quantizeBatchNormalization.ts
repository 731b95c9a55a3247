/**
 * ONNX BatchNormalization (inference) that was not folded into the Conv/Gemm before it
 * (foldBatchNormalization.ts) → one `mul`: y = x · k + t per channel (axis 1), with
 * k = scale / sqrt(var + epsilon) at scale s and t = B − mean · k at scale 2s as its bias, so
 * out = rescale(x · round(k · 2^s) + round(t · 2^2s)).
 */
import { batchNormFactors } from '../foldBatchNormalization.ts';
import { scaleByConstant } from './elementwiseHelpers.ts';
import { floatTensor } from './floatTensor.ts';
import type { QuantizeNode } from './types.ts';

export const quantizeBatchNormalization: QuantizeNode = ({ context, node, out, outDims, where }) => {
  const { factor, shift } = batchNormFactors(context.graph, node);
  const rank = outDims.length;
  // Channels on axis 1, broadcast over the axes after it.
  const dims = [factor.length, ...new Array<number>(Math.max(0, rank - 2)).fill(1)];
  scaleByConstant({
    context, name: node.name, out, outDims, input: node.inputs[0], where,
    factor: floatTensor(`${node.name}:factor`, dims, factor),
    bias: floatTensor(`${node.name}:shift`, dims, shift),
  });
};
