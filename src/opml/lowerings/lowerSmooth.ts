/**
 * `smooth` (sigmoid, tanh) and `softmax` (docs/fixed-point.md, "Smooth functions", "Softmax"),
 * with the LUT and DIV instructions (executeInstruction.ts). The function's table is a memory
 * region of M words knot[j]·2^32 + (knot[j+1] − knot[j]), placed once per table constant, so one
 * LUT step reads one word.
 *   smooth: MAX FIRST x (acc = x), LUT: two steps per element.
 *   softmax, per row of n: a MAX chain storing m in a scratch word; per element MAX FIRST x_k,
 *   MAC −1·m, LUT (e_k); n ACC (acc = S); n DIV; MAX FIRST|STORE of the scratch word onto itself
 *   (acc = 0 for the next layer): 6n + 1 steps.
 */
import { ShapeError, UnsupportedModelError } from '../../errors.ts';
import type { SmoothLayer, SoftmaxLayer } from '../../quant/types.ts';
import { LUT_SLOPE_BITS, packLutImmediate, VmFlag, VmOp } from '../executeInstruction.ts';
import type { LowerLayer, VmLoweringContext } from './types.ts';

/** The table's base address and the LUT immediate. */
function lutTable(context: VmLoweringContext, layer: SmoothLayer | SoftmaxLayer): { base: number; immediate: number } {
  const knots = context.constantOf(layer.table, layer).data;
  const segments = knots.length - 1;
  if (segments < 1 || segments > 255 || layer.segmentBits < 1 || layer.segmentBits > 64)
    throw new UnsupportedModelError(`${context.where(layer)}: table '${layer.table}' has ${segments} segments of 2^${layer.segmentBits}; LUT takes 1–255 segments of 2^1–2^64`, {
      hint: 're-quantize the model (the quantizer builds 64–130-segment tables)',
      details: { layer: layer.name, segments, segmentBits: layer.segmentBits },
    });
  const base = context.table(`lut:${layer.table}`, () =>
    Array.from({ length: segments }, (_, j) => {
      const slope = knots[j + 1]! - knots[j]!;
      const word = knots[j]! * 2 ** LUT_SLOPE_BITS + slope;
      if (slope < 0 || slope >= 2 ** LUT_SLOPE_BITS || !Number.isSafeInteger(word))
        throw new UnsupportedModelError(`${context.where(layer)}: table '${layer.table}' knot ${j} = ${knots[j]} (next ${knots[j + 1]}) does not pack into a LUT word`, {
          hint: 'the knots must be non-decreasing and |knot| < 2^20 (use --scale-bits ≤ 20)',
          details: { layer: layer.name, knot: j, value: knots[j] },
        });
      return word;
    }));
  return { base, immediate: packLutImmediate({ lowest: layer.lowest, segments, segmentBits: layer.segmentBits }) };
}

export const lowerSmooth: LowerLayer<SmoothLayer> = ({ context, layer }) => {
  const { emitter } = context;
  const X = context.viewOf(layer.input, layer);
  const table = lutTable(context, layer);
  const out = context.allocate(layer.out);
  for (let o = 0; o < out.length; o++) {
    emitter.emit(VmOp.MAX, VmFlag.FIRST, 0, X[o], 0);
    emitter.emit(VmOp.LUT, 0, out[o], 0, table.base, table.immediate);
  }
  return out;
};

export const lowerSoftmax: LowerLayer<SoftmaxLayer> = ({ context, layer }) => {
  const { emitter } = context;
  const X = context.viewOf(layer.input, layer);
  const table = lutTable(context, layer);
  const out = context.allocate(layer.out);
  const n = layer.rowLength;
  if (n < 1 || out.length % n !== 0)
    throw new ShapeError(`${context.where(layer)}: rows of ${n} do not tile ${out.length} elements`, { hint: 're-quantize the model', details: { layer: layer.name } });
  const rows = out.length / n;
  const maxima = context.scratch(rows);
  const e = context.scratch(out.length);
  for (let row = 0; row < rows; row++) {
    const first = row * n;
    for (let k = 0; k < n; k++)
      emitter.emit(VmOp.MAX, (k === 0 ? VmFlag.FIRST : 0) | (k === n - 1 ? VmFlag.STORE : 0), maxima[row], X[first + k], 0);
    for (let k = 0; k < n; k++) {
      emitter.emit(VmOp.MAX, VmFlag.FIRST, 0, X[first + k], 0);
      emitter.emit(VmOp.MAC, VmFlag.IMM, 0, maxima[row], 0, -1);
      emitter.emit(VmOp.LUT, 0, e[first + k], 0, table.base, table.immediate);
    }
    for (let k = 0; k < n; k++) emitter.emit(VmOp.ACC, 0, 0, e[first + k], 0);
    for (let k = 0; k < n; k++) emitter.emit(VmOp.DIV, 0, out[first + k], e[first + k], 0);
    emitter.emit(VmOp.MAX, VmFlag.FIRST | VmFlag.STORE, maxima[row], maxima[row], 0);
  }
  return out;
};
