/**
 * BatchNormalization at inference: constant scale, B, mean and var (the quantizer folds it into
 * the Conv/Gemm before it, or makes it a per-channel product); training mode and the running
 * statistics outputs are refused.
 */
import type { ImportNode } from './types.ts';

export const importBatchNormalization: ImportNode = ({ context, node }) => {
  const x = context.inputDims(0);
  if (x.length < 2) context.unsupported(`an input of rank ${x.length} (channels are axis 1)`);
  if (Number(node.attributes.training_mode ?? 0) !== 0) context.unsupported('training_mode=1 (only inference)');
  if (node.attributes.is_test === 0 && context.opset < 7) context.unsupported('is_test=0 (only inference)');
  if (node.attributes.spatial === 0) context.unsupported('spatial=0 (per-element statistics)');
  for (const output of node.outputs.slice(1)) if (output && context.isUsed(output)) context.unsupported(`its training output '${output}'`);
  const names = ['scale', 'B', 'mean', 'var'];
  for (let i = 1; i <= 4; i++) {
    const constant = context.constantOf(node.inputs[i] ?? '');
    if (!constant) context.unsupported(`a ${names[i - 1]} '${node.inputs[i] ?? ''}' that is not a constant`);
    if (constant!.data.length !== x[1]) context.unsupported(`a ${names[i - 1]} of ${constant!.data.length} elements for ${x[1]} channels`);
  }
  node.attributes = { epsilon: Number(node.attributes.epsilon ?? 1e-5) };
  node.outputs = [node.outputs[0]!];
  return { outDims: x };
};
