/**
 * How a tensor becomes a multilinear polynomial: its dims with every axis padded to a power of
 * two (axes of size 1 vanish), row-major, zeros in the padding. The last axis is in the first
 * (lowest) variables (multilinear.ts), so a [M, K] matrix's MLE at (k, i) is at point
 * concat(k-point, i-point), and a tensor keeps the same layout whatever leading 1s it has.
 */
import { EXT_WORDS, extAdd, extMul } from '../field/extension.ts';
import { eqTable, log2Ceil } from '../multilinear.ts';

export interface TensorLayout {
  dims: number[];
  /** Each axis padded to 2^⌈log2 d⌉. */
  paddedDims: number[];
  /** log2 of the padded size (Σ per-axis variables). */
  numVariables: number;
  /** Variables per axis, same order as dims (the last axis is the lowest variables). */
  axisVariables: number[];
}

export function layoutOf(dims: readonly number[]): TensorLayout {
  const axisVariables = dims.map((d) => log2Ceil(d));
  return {
    dims: [...dims],
    paddedDims: axisVariables.map((v) => 2 ** v),
    numVariables: axisVariables.reduce((a, b) => a + b, 0),
    axisVariables,
  };
}

/** Two tensors share a polynomial when their non-trivial axes pad to the same layout. */
export function sameLayout(a: TensorLayout, b: TensorLayout): boolean {
  const strip = (l: TensorLayout) => l.dims.filter((d) => d !== 1).join(',');
  return strip(a) === strip(b);
}

/** The tensor's values in its padded layout (row-major, zeros in the padding). */
export function padTensor(data: ArrayLike<number>, layout: TensorLayout): Float64Array {
  const { dims, paddedDims } = layout;
  const out = new Float64Array(2 ** layout.numVariables);
  const rank = dims.length;
  if (rank === 0) {
    out[0] = data[0];
    return out;
  }
  const total = dims.reduce((a, b) => a * b, 1);
  const index = new Array(rank).fill(0);
  for (let flat = 0; flat < total; flat++) {
    let target = 0;
    for (let axis = 0; axis < rank; axis++) target = target * paddedDims[axis] + index[axis];
    out[target] = data[flat];
    for (let axis = rank - 1; axis >= 0; axis--) {
      if (++index[axis] < dims[axis]) break;
      index[axis] = 0;
    }
  }
  return out;
}

/** Ĩ(r) = Σ_{j < n} eq(r, j): the MLE of the indicator of the unpadded part of one axis. */
export function axisIndicator(n: number, point: Uint32Array): Uint32Array {
  const eq = eqTable(point);
  const out = new Uint32Array(4);
  for (let j = 0; j < n; j++) extAdd(out, 0, out, 0, eq, EXT_WORDS * j);
  return out;
}

/** MLE at `point` of the indicator of the tensor's unpadded entries: Π over axes of axisIndicator. */
export function indicatorAt(layout: TensorLayout, point: Uint32Array): Uint32Array {
  const out = new Uint32Array([1, 0, 0, 0]);
  let offset = 0;
  for (let axis = layout.dims.length - 1; axis >= 0; axis--) {
    const v = layout.axisVariables[axis];
    if (v > 0) extMul(out, 0, out, 0, axisIndicator(layout.dims[axis], point.subarray(EXT_WORDS * offset, EXT_WORDS * (offset + v))), 0);
    offset += v;
  }
  return out;
}
