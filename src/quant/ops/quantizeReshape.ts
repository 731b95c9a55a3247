/** ONNX Reshape, Flatten and Identity → one `reshape` layer (the output dims say the shape). */
import type { QuantizeNode } from './types.ts';

export const quantizeReshape: QuantizeNode = ({ context, node, out, outDims }) => {
  context.push({ op: 'reshape', name: node.name, out, input: node.inputs[0] }, outDims);
};
