/**
 * Sigmoid, Tanh: element-wise, the input's dims. Softmax: the input's dims, over the last axis
 * only (opset ≥ 13: axis −1 or rank − 1; opset < 13, which flattens the dims from `axis` on into
 * one row: any axis), so that its quantizer can treat it as rows.
 */
import type { ImportNode } from './types.ts';

export const importSmooth: ImportNode = ({ context }) => ({ outDims: context.inputDims(0) });

export const importSoftmax: ImportNode = ({ context, node }) => {
  const dims = context.inputDims(0);
  const rank = dims.length;
  const given = node.attributes.axis;
  const axis = typeof given === 'number' ? given : context.opset >= 13 ? -1 : 1;
  const normalized = axis < 0 ? axis + rank : axis;
  if (rank === 0 || normalized < 0 || normalized >= rank || (context.opset >= 13 && normalized !== rank - 1))
    context.unsupported(`axis=${axis} on a rank-${rank} tensor (only the last axis: export with axis=-1, or transpose before it)`);
  return { outDims: dims };
};
