/**
 * ONNX Conv (2-D, any group, attributes normalised by the importer) → one `conv` layer: weight at
 * scale s, bias at 2s, accBits = max over filters of Σ|w| · 2^(v-1) + |bias| + 2^(s-1) (a filter
 * of a grouped conv sums over its group's channels only, which its weight row already says).
 */
import { sizeOf } from '../../tensor/sizeOf.ts';
import type { Pads2D } from '../types.ts';
import type { QuantizeNode } from './types.ts';

export const quantizeConv: QuantizeNode = ({ context, node, out, outDims, where }) => {
  const { addConstant, constants, graph, maxActivation, half } = context;
  const attr = node.attributes;
  const weightName = node.inputs[1];
  const weight = addConstant({ baseName: weightName, source: graph.constants.get(weightName)!, scaleExp: 1, factor: 1, where });
  const bias = node.inputs[2] ? addConstant({ baseName: node.inputs[2], source: graph.constants.get(node.inputs[2])!, scaleExp: 2, factor: 1, where }) : undefined;
  const w = constants[weight];
  const perFilter = sizeOf(w.dims.slice(1));
  let bound = 0n;
  for (let filter = 0; filter < w.dims[0]; filter++) {
    let sum = 0n;
    for (let i = 0; i < perFilter; i++) sum += BigInt(Math.abs(w.data[filter * perFilter + i]));
    let total = sum * maxActivation;
    if (bias) total += BigInt(Math.abs(constants[bias].data[filter]));
    if (total > bound) bound = total;
  }
  context.push({
    op: 'conv', name: node.name, out, input: node.inputs[0], weight, ...(bias ? { bias } : {}),
    pads: attr.pads as Pads2D, strides: attr.strides as [number, number], dilations: attr.dilations as [number, number],
    ...(Number(attr.group ?? 1) !== 1 ? { group: Number(attr.group) } : {}),
    accBits: context.checkBound(node.name, bound + half),
  }, outDims);
};
