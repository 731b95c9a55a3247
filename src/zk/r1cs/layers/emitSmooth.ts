/**
 * `smooth` (sigmoid, tanh) and `softmax` → circuits/Smooth.circom's Smooth(N, …) and Softmax(…);
 * `smooth`: one SmoothTable per element
 * (smooth.ts), the table's knots constants (the function's definition, public in every weight
 * mode), inBits = max(v, s + 4) + 2 and outBits = s + 3 as src/zk/layers/emitSmooth.ts passes them.
 */
import { UnsupportedModelError } from '../../../errors.ts';
import type { SmoothLayer, SoftmaxLayer } from '../../../quant/types.ts';
import { sizeOf } from '../../../tensor/sizeOf.ts';
import { checkSmoothTable, smoothTable, softmaxRow } from '../smooth.ts';
import { emitEachElement } from './emitEachElement.ts';
import type { DirectEmitLayer, DirectEmitParameters } from './types.ts';

export const emitSmooth: DirectEmitLayer<SmoothLayer> = ({ context, layer, id }) => {
  const { scaleBits: s, valueBits: v } = context.model;
  const knots = context.model.constants[layer.table]!.data;
  checkSmoothTable(context.where(layer), knots);
  const parameters = { inBits: Math.max(v, s + 4) + 2, lowest: layer.lowest, segmentBits: layer.segmentBits, knots, outBits: s + 3, clampAbove: true };
  const out = emitEachElement(context, `${id}.element`, layer.input, layer.out, (prefix, x) => smoothTable(context.cs, prefix, x, parameters));
  if (context.cs.recording) {
    context.operand(layer.input).forEach((element, i) => context.cs.name(() => `main.${id}.in[${i}]`, element));
    out.forEach((element, i) => context.cs.name(() => `main.${id}.out[${i}]`, element));
  }
  return out;
};

/** `softmax` → circuits/Smooth.circom's Softmax(rows, n, …), sumBits as src/zk/layers/emitSmooth.ts computes it. */
export const emitSoftmax: DirectEmitLayer<SoftmaxLayer> = <T>({ context, layer, id }: DirectEmitParameters<T, SoftmaxLayer>): T[] => {
  const { scaleBits, valueBits } = context.model;
  const knots = context.model.constants[layer.table]!.data;
  checkSmoothTable(context.where(layer), knots);
  const n = layer.rowLength;
  if (n < 2)
    throw new UnsupportedModelError(`${context.where(layer)}: a softmax over rows of ${n}, which the direct R1CS builder has no gadget for (circom folds its constant input)`, { hint: 'circom builds it (builder auto or circom)' });
  const input = context.operand(layer.input);
  const size = sizeOf(context.dimsOf(layer.out));
  const sumBits = Math.ceil(Math.log2(2 * n * Math.max(...knots) + 1)) + 1;
  const out: T[] = [];
  for (let row = 0; row < size / n; row++) {
    const prefix = (name: string, k: number) => (k < 0 ? `main.${id}.${name}[${row}]` : `main.${id}.${name}[${row}][${k}]`);
    out.push(...softmaxRow(context.cs, prefix, input.slice(row * n, row * n + n), { valueBits, scaleBits, lowest: layer.lowest, segmentBits: layer.segmentBits, knots, sumBits }));
  }
  if (context.cs.recording) out.forEach((element, i) => context.cs.name(() => `main.${id}.out[${Math.floor(i / n)}][${i % n}]`, element));
  return out;
};
