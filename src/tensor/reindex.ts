/**
 * The re-indexing layers (transpose, concat, pad) as index maps, computed once and shared by
 * the importer's shape inference, the quantizer and every backend: for each flat output index,
 * which operand and which flat index of it the element comes from. A backend then only copies
 * (engine), re-orders expressions (circuit) or re-maps addresses (trace VM), so the three agree
 * by construction on where every element goes.
 */
import { ShapeError } from '../errors.ts';
import { sizeOf } from './sizeOf.ts';

/** Row-major strides of `dims`. */
export function stridesOf(dims: readonly number[]): number[] {
  const strides = new Array<number>(dims.length);
  let stride = 1;
  for (let i = dims.length - 1; i >= 0; i--) {
    strides[i] = stride;
    stride *= dims[i]!;
  }
  return strides;
}

/** Calls `visit(flat, index)` for every element of `dims` in row-major order (index is reused). */
function forEachIndex(dims: readonly number[], visit: (flat: number, index: number[]) => void): void {
  const size = sizeOf(dims);
  const index = new Array<number>(dims.length).fill(0);
  for (let flat = 0; flat < size; flat++) {
    visit(flat, index);
    for (let axis = dims.length - 1; axis >= 0; axis--) {
      if (++index[axis]! < dims[axis]!) break;
      index[axis] = 0;
    }
  }
}

/** ONNX Transpose's default perm: the axes reversed. */
export function defaultPerm(rank: number): number[] {
  return Array.from({ length: rank }, (_, i) => rank - 1 - i);
}

/** Checks that `perm` permutes 0..rank-1; `where` names the node or layer. */
export function checkPerm(perm: readonly number[], rank: number, where: string): void {
  const sorted = [...perm].sort((x, y) => x - y);
  if (perm.length !== rank || sorted.some((axis, i) => axis !== i))
    throw new ShapeError(`${where}: perm [${perm}] is not a permutation of the ${rank} axes`, {
      hint: `perm must list each axis 0..${rank - 1} once`,
      details: { perm, rank },
    });
}

export function transposeDims(inDims: readonly number[], perm: readonly number[]): number[] {
  return perm.map((axis) => inDims[axis]!);
}

/** out[flat] = in[map[flat]] for out = transpose(in, perm). */
export function transposeMap(inDims: readonly number[], perm: readonly number[]): Int32Array {
  const inStrides = stridesOf(inDims);
  const outDims = transposeDims(inDims, perm);
  const strides = perm.map((axis) => inStrides[axis]!);
  const map = new Int32Array(sizeOf(outDims));
  forEachIndex(outDims, (flat, index) => {
    let source = 0;
    for (let k = 0; k < index.length; k++) source += index[k]! * strides[k]!;
    map[flat] = source;
  });
  return map;
}

export function concatDims(inputDims: readonly (readonly number[])[], axis: number, where: string): number[] {
  const first = inputDims[0]!;
  const out = [...first];
  out[axis] = 0;
  for (const dims of inputDims) {
    if (dims.length !== first.length || dims.some((d, i) => i !== axis && d !== first[i]))
      throw new ShapeError(`${where}: cannot concatenate ${inputDims.map((d) => `[${d}]`).join(', ')} along axis ${axis}`, {
        hint: 'every operand must have the same rank and the same dims except on the concat axis',
        details: { dims: inputDims, axis },
      });
    out[axis]! += dims[axis]!;
  }
  return out;
}

/** For out = concat(inputs, axis): operand[flat] and index[flat] of each output element. */
export function concatMap(inputDims: readonly (readonly number[])[], axis: number): { operand: Int32Array; index: Int32Array } {
  const outDims = concatDims(inputDims, axis, 'concat');
  const size = sizeOf(outDims);
  const operand = new Int32Array(size);
  const index = new Int32Array(size);
  // Offsets of each operand along the axis, and its row-major strides.
  const starts: number[] = [];
  let start = 0;
  for (const dims of inputDims) { starts.push(start); start += dims[axis]!; }
  const strides = inputDims.map(stridesOf);
  forEachIndex(outDims, (flat, position) => {
    let k = 0;
    while (k + 1 < starts.length && position[axis]! >= starts[k + 1]!) k++;
    let source = 0;
    for (let i = 0; i < position.length; i++) source += (i === axis ? position[i]! - starts[k]! : position[i]!) * strides[k]![i]!;
    operand[flat] = k;
    index[flat] = source;
  });
  return { operand, index };
}

export type PadMode = 'constant' | 'reflect' | 'edge';

export function padDims(inDims: readonly number[], pads: readonly number[]): number[] {
  return inDims.map((d, i) => d + pads[i]! + pads[i + inDims.length]!);
}

/** Checks ONNX pads against the input: 2·rank entries, none negative, reflect pads < the dim. */
export function checkPads(inDims: readonly number[], pads: readonly number[], mode: PadMode, where: string): void {
  const rank = inDims.length;
  if (pads.length !== 2 * rank)
    throw new ShapeError(`${where}: pads [${pads}] has ${pads.length} entries, a rank-${rank} input needs ${2 * rank}`, { details: { pads, rank } });
  if (pads.some((p) => !Number.isInteger(p) || p < 0))
    throw new ShapeError(`${where}: pads [${pads}] has a negative entry (cropping), which is not supported`, {
      hint: 'use pads ≥ 0 (crop with Slice before exporting)',
      details: { pads },
    });
  for (let i = 0; i < rank; i++) {
    const limit = mode === 'reflect' ? inDims[i]! - 1 : mode === 'edge' ? (inDims[i]! > 0 ? Infinity : 0) : Infinity;
    if (pads[i]! > limit || pads[i + rank]! > limit)
      throw new ShapeError(`${where}: ${mode} pads [${pads}] on axis ${i} of dim ${inDims[i]} reach past the input`, {
        hint: mode === 'reflect' ? 'reflect pads must be smaller than the padded dimension' : 'an empty dimension cannot be edge-padded',
        details: { pads, dims: inDims, axis: i },
      });
  }
}

/** out[flat] = in[map[flat]] for out = pad(in, pads, mode), or the fill value where map[flat] = -1. */
export function padMap(inDims: readonly number[], pads: readonly number[], mode: PadMode): Int32Array {
  const rank = inDims.length;
  const outDims = padDims(inDims, pads);
  const strides = stridesOf(inDims);
  const map = new Int32Array(sizeOf(outDims));
  forEachIndex(outDims, (flat, index) => {
    let source = 0;
    for (let axis = 0; axis < rank; axis++) {
      const n = inDims[axis]!;
      let i = index[axis]! - pads[axis]!;
      if (i < 0 || i >= n) {
        if (mode === 'constant') { source = -1; break; }
        if (mode === 'edge') i = i < 0 ? 0 : n - 1;
        else i = i < 0 ? -i : 2 * (n - 1) - i; // reflect: the edge itself is not repeated
      }
      source += i * strides[axis]!;
    }
    map[flat] = source;
  });
  return map;
}
