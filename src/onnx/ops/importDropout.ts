/** Dropout at inference: removed, its output is its input; training mode and the mask output are refused. */
import type { ImportNode } from './types.ts';

export const importDropout: ImportNode = ({ context, node }) => {
  const training = node.inputs[2] ? context.constantOf(node.inputs[2]) : undefined;
  if (node.inputs[2] && (!training || training.data[0] !== 0)) context.unsupported('training_mode (only inference)');
  if (node.attributes.is_test === 0 && context.opset < 7) context.unsupported('is_test=0 (only inference)');
  if (node.outputs[1] && context.isUsed(node.outputs[1])) context.unsupported('its mask output');
  return { aliasOf: node.inputs[0] };
};
