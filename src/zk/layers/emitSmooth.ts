/**
 * `smooth` (sigmoid, tanh) → one Smooth(N, …) component per layer, the table's knots as a literal
 * template argument (the table is the function's definition, public in every weight mode), and
 * `softmax` → one Softmax(rows, n, …) component per layer (circuits/Smooth.circom).
 */
import type { SmoothLayer, SoftmaxLayer } from '../../quant/types.ts';
import { sizeOf } from '../../tensor/sizeOf.ts';
import type { CircuitContext, EmitLayer } from './types.ts';

function bitLength(value: number): number {
  return Math.ceil(Math.log2(value + 1));
}

function tableArguments(context: CircuitContext, layer: SmoothLayer | SoftmaxLayer): { knots: number[]; text: string } {
  const knots = context.model.constants[layer.table]!.data;
  return { knots, text: `${layer.lowest}, ${layer.segmentBits}, ${knots.length - 1}, [${knots.join(',')}]` };
}

export const emitSmooth: EmitLayer<SmoothLayer> = ({ context, layer, id }) => {
  const { scaleBits: s, valueBits: v } = context.model;
  const size = sizeOf(context.dimsOf(layer.out));
  const input = context.operand(layer.input);
  const inBits = Math.max(v, s + 4) + 2;
  context.body.push(`    component ${id} = Smooth(${size}, ${inBits}, ${tableArguments(context, layer).text}, ${s + 3});`);
  for (let i = 0; i < size; i++) context.body.push(`    ${id}.in[${i}] <== ${input[i]};`);
  return Array.from({ length: size }, (_, i) => `${id}.out[${i}]`);
};

export const emitSoftmax: EmitLayer<SoftmaxLayer> = ({ context, layer, id }) => {
  const { scaleBits: s, valueBits: v } = context.model;
  const size = sizeOf(context.dimsOf(layer.out));
  const n = layer.rowLength;
  const rows = size / n;
  const input = context.operand(layer.input);
  const table = tableArguments(context, layer);
  const sumBits = bitLength(2 * n * Math.max(...table.knots)) + 1;
  context.body.push(`    component ${id} = Softmax(${rows}, ${n}, ${v}, ${s}, ${table.text}, ${sumBits});`);
  for (let i = 0; i < size; i++) context.body.push(`    ${id}.in[${Math.floor(i / n)}][${i % n}] <== ${input[i]};`);
  return Array.from({ length: size }, (_, i) => `${id}.out[${Math.floor(i / n)}][${i % n}]`);
};
