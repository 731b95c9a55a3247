/**
 * Views: tensors that are re-indexings of another tensor and are never committed — a reshape
 * that changes the padded layout, a convolution's im2col matrix, a pooling window's strided
 * slice. A view V of a source S is a map from V's padded index i to S's padded index map[i]
 * (or −1: the entry is 0). Claims on Ṽ reduce to claims on S̃ by one sumcheck
 * (reduceView.ts): Ṽ(ρ) = Σ_j S(j)·M_ρ(j) with M_ρ(j) = Σ_{i : map(i) = j} eq(ρ, i), a table
 * both sides compute in O(|V|) from the dims alone.
 */
import type { ConvLayer, PoolLayer } from '../../quant/types.ts';
import type { TensorLayout } from './layout.ts';

export interface ViewPlan {
  name: string;
  source: string;
  /** V's padded size is 2^numVariables. */
  numVariables: number;
  /** map[i] = the source's padded index of V's entry i, or −1 for a zero. */
  map: Int32Array;
}

/** The padded index of a multi-index (one coordinate per axis of the layout). */
function paddedIndex(layout: TensorLayout, index: number[]): number {
  let p = 0;
  for (let axis = 0; axis < index.length; axis++) p = p * layout.paddedDims[axis] + index[axis];
  return p;
}

/** Calls visit(flat row-major index, multi-index, padded index) for every unpadded entry. */
function forEachEntry(layout: TensorLayout, visit: (flat: number, index: number[], padded: number) => void): void {
  const { dims } = layout;
  const total = dims.reduce((a, b) => a * b, 1);
  const index = new Array(dims.length).fill(0);
  for (let flat = 0; flat < total; flat++) {
    visit(flat, index, paddedIndex(layout, index));
    for (let axis = dims.length - 1; axis >= 0; axis--) {
      if (++index[axis] < dims[axis]) break;
      index[axis] = 0;
    }
  }
}

/** Reshape: the same row-major order, different padding. */
export function reshapeMap(input: TensorLayout, out: TensorLayout): Int32Array {
  const inPadded = new Int32Array(input.dims.reduce((a, b) => a * b, 1));
  forEachEntry(input, (flat, _index, padded) => (inPadded[flat] = padded));
  const map = new Int32Array(2 ** out.numVariables).fill(-1);
  forEachEntry(out, (flat, _index, padded) => (map[padded] = inPadded[flat]));
  return map;
}

/**
 * im2col of a conv input [1, C, H, W] as a [Kp, Pp] matrix: row q = (c, ky, kx) in the weight's
 * padded layout [Cp, KHp, KWp], column p = (y, x) in the output's padded layout [OHp, OWp];
 * out-of-bounds (zero-padding) reads are −1.
 */
export function im2colMap(layer: ConvLayer, input: TensorLayout, weight: TensorLayout, out: TensorLayout): { map: Int32Array; rows: number; cols: number } {
  const [, C, H, W] = input.dims;
  const [, , KH, KW] = weight.dims;
  const [, , OH, OW] = out.dims;
  const [, Cp, KHp, KWp] = weight.paddedDims;
  const [, , OHp, OWp] = out.paddedDims;
  const [pt, pl] = layer.pads;
  const [sy, sx] = layer.strides;
  const [dy, dx] = layer.dilations;
  const rows = Cp * KHp * KWp;
  const cols = OHp * OWp;
  const map = new Int32Array(rows * cols).fill(-1);
  for (let c = 0; c < C; c++)
    for (let ky = 0; ky < KH; ky++)
      for (let kx = 0; kx < KW; kx++) {
        const q = (c * KHp + ky) * KWp + kx;
        for (let y = 0; y < OH; y++)
          for (let x = 0; x < OW; x++) {
            const iy = y * sy + ky * dy - pt;
            const ix = x * sx + kx * dx - pl;
            if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
            map[q * cols + y * OWp + x] = paddedIndex(input, [0, c, iy, ix]);
          }
      }
  return { map, rows, cols };
}

/** One pooling window offset (ky, kx) as a tensor of the output's layout: in[c, y·sy + ky·dy, x·sx + kx·dx]. */
export function windowMap(layer: PoolLayer, input: TensorLayout, out: TensorLayout, ky: number, kx: number): Int32Array {
  const [sy, sx] = layer.strides;
  const [dy, dx] = layer.dilations;
  const map = new Int32Array(2 ** out.numVariables).fill(-1);
  forEachEntry(out, (_flat, index, padded) => {
    const [n, c, y, x] = index;
    map[padded] = paddedIndex(input, [n, c, y * sy + ky * dy, x * sx + kx * dx]);
  });
  return map;
}

/** 2-D transpose: out[i, j] = in[j, i]. */
export function transposeMap(input: TensorLayout, out: TensorLayout): Int32Array {
  const map = new Int32Array(2 ** out.numVariables).fill(-1);
  forEachEntry(out, (_flat, index, padded) => (map[padded] = paddedIndex(input, [index[1], index[0]])));
  return map;
}

/** The view's padded table from its source's padded table. */
export function materializeView(view: ViewPlan, source: Float64Array): Float64Array {
  const out = new Float64Array(view.map.length);
  for (let i = 0; i < view.map.length; i++) {
    const j = view.map[i];
    if (j >= 0) out[i] = source[j];
  }
  return out;
}
