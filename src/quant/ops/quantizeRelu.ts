/** ONNX Relu → one `relu` layer. */
import type { QuantizeNode } from './types.ts';

export const quantizeRelu: QuantizeNode = ({ context, node, out, outDims }) => {
  context.push({ op: 'relu', name: node.name, out, input: node.inputs[0] }, outDims);
};
