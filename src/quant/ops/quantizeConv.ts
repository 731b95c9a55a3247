/**
 * ONNX Conv (2-D, any group, attributes normalised by the importer) → one `conv` layer: a constant
 * weight at scale s, a constant bias at 2s, accBits = max over filters of Σ|w| · 2^(v-1) + |bias|
 * + 2^(s-1) (a filter of a grouped conv sums over its group's channels only, which its weight row
 * already says). A weight given as a graph input (quantized at run time, at scale s like any
 * input) is the layer's activation operand: accBits = C·kh·kw · 2^(2(v-1)) + |bias| + 2^(s-1). A
 * bias given as a graph input is at scale s, so it cannot join the 2s accumulator: it is added
 * after the rescale, as a `reshape` to [M, 1, 1] and an `add`.
 */
import { sizeOf } from '../../tensor/sizeOf.ts';
import type { Pads2D } from '../types.ts';
import type { QuantizeNode } from './types.ts';

export const quantizeConv: QuantizeNode = ({ context, node, out, outDims, where }) => {
  const { addConstant, constants, graph, isConstant, dimsOf, maxActivation, half } = context;
  const attr = node.attributes;
  const [input, weightName, biasName] = node.inputs;
  const weight = isConstant(weightName) ? addConstant({ baseName: weightName, source: graph.constants.get(weightName)!, scaleExp: 1, factor: 1, where }) : weightName;
  const biasIsConstant = Boolean(biasName) && isConstant(biasName);
  const bias = biasIsConstant ? addConstant({ baseName: biasName, source: graph.constants.get(biasName)!, scaleExp: 2, factor: 1, where }) : undefined;
  const w = constants[weight];
  const filters = w ? w.dims[0] : dimsOf(weight)[0];
  const perFilter = sizeOf((w ? w.dims : dimsOf(weight)).slice(1));
  let bound = 0n;
  for (let filter = 0; filter < filters; filter++) {
    let total: bigint;
    if (w) {
      let sum = 0n;
      for (let i = 0; i < perFilter; i++) sum += BigInt(Math.abs(w.data[filter * perFilter + i]));
      total = sum * maxActivation;
    } else total = BigInt(perFilter) * maxActivation * maxActivation;
    if (bias) total += BigInt(Math.abs(constants[bias].data[filter]));
    if (total > bound) bound = total;
  }
  const activationBias = biasName && !biasIsConstant ? biasName : undefined;
  const convOut = activationBias ? `${node.name}:conv` : out;
  context.push({
    op: 'conv', name: node.name, out: convOut, input, weight, ...(bias ? { bias } : {}),
    pads: attr.pads as Pads2D, strides: attr.strides as [number, number], dilations: attr.dilations as [number, number],
    ...(Number(attr.group ?? 1) !== 1 ? { group: Number(attr.group) } : {}),
    accBits: context.checkBound(node.name, bound + half),
  }, outDims);
  if (activationBias) {
    const perChannel = `${node.name}:biasCHW`;
    context.push({ op: 'reshape', name: `${node.name}:biasShape`, out: perChannel, input: activationBias }, [filters, 1, 1]);
    context.push({ op: 'add', name: `${node.name}:bias`, out, a: convOut, b: perChannel }, outDims);
  }
};
