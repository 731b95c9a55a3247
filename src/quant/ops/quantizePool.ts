/**
 * ONNX MaxPool and AveragePool (2-D, attributes normalised by the importer) → one `maxpool` or
 * `avgpool` layer; an average's accBits bound the window sum plus the rounding term.
 */
import type { Pads2D } from '../types.ts';
import type { QuantizeNode } from './types.ts';

function poolOf({ node, out }: Parameters<QuantizeNode>[0]) {
  const attr = node.attributes;
  return {
    name: node.name, out, input: node.inputs[0],
    kernel: attr.kernel as [number, number], pads: attr.pads as Pads2D,
    strides: attr.strides as [number, number], dilations: attr.dilations as [number, number],
    ceilMode: attr.ceilMode === 1,
  };
}

export const quantizeMaxPool: QuantizeNode = (parameters) => {
  parameters.context.push({ op: 'maxpool', ...poolOf(parameters) }, parameters.outDims);
};

export const quantizeAveragePool: QuantizeNode = (parameters) => {
  const { context, node, outDims } = parameters;
  const pool = poolOf(parameters);
  const window = BigInt(pool.kernel[0] * pool.kernel[1]);
  const accBits = context.checkBound(node.name, window * context.maxActivation + window);
  context.push({ op: 'avgpool', ...pool, countIncludePad: node.attributes.countIncludePad === 1, accBits }, outDims);
};
