/**
 * ONNX GlobalAveragePool (2-D, NCHW) → an `avgpool` whose window is the whole plane (no pads,
 * stride 1): floor((S + floor(HW/2)) / HW), the pool every backend already has.
 */
import type { QuantizeNode } from './types.ts';

export const quantizeGlobalAveragePool: QuantizeNode = ({ context, node, out, outDims }) => {
  const [, , H, W] = context.dimsOf(node.inputs[0]);
  const window = BigInt(H! * W!);
  context.push({
    op: 'avgpool', name: node.name, out, input: node.inputs[0],
    kernel: [H!, W!], pads: [0, 0, 0, 0], strides: [1, 1], dilations: [1, 1], ceilMode: false, countIncludePad: false,
    accBits: context.checkBound(node.name, window * context.maxActivation + window),
  }, outDims);
};
