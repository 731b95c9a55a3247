/**
 * `smooth` (sigmoid, tanh) → circuits/Smooth.circom's Smooth(N, …): one SmoothTable per element
 * (smooth.ts), the table's knots constants (the function's definition, public in every weight
 * mode), inBits = max(v, s + 4) + 2 and outBits = s + 3 as src/zk/layers/emitSmooth.ts passes them.
 */
import type { SmoothLayer } from '../../../quant/types.ts';
import { checkSmoothTable, smoothTable } from '../smooth.ts';
import { emitEachElement } from './emitEachElement.ts';
import type { DirectEmitLayer } from './types.ts';

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
