/**
 * Numpy broadcasting of shapes, shared by the importer (shape inference, constant folding),
 * the quantizer and every backend. `broadcastOffsets` maps every flat output index to the flat
 * index of one operand, precomputed once so that the hot loops only read an Int32Array.
 */
import { ShapeError } from '../errors.ts';
import { sizeOf } from './sizeOf.ts';

export interface BroadcastShapesParameters {
  shapes: readonly (readonly number[])[];
  /** Who asks, for the error message (e.g. "models/x.onnx: node 'Add_3'"). */
  where: string;
}

export function broadcastShapes({ shapes, where }: BroadcastShapesParameters): number[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    let dim = 1;
    for (const shape of shapes) {
      const d = shape[shape.length - rank + i] ?? 1;
      if (d === 1) continue;
      if (dim !== 1 && dim !== d)
        throw new ShapeError(`${where}: shapes ${shapes.map((s) => `[${s}]`).join(' and ')} do not broadcast`, {
          hint: 'operands must follow numpy broadcasting (equal dims, or 1)',
          details: { shapes },
        });
      dim = d;
    }
    out.push(dim);
  }
  return out;
}

/** For each flat index of `outDims`, the flat index into a tensor of `dims` broadcast to it. */
export function broadcastOffsets(dims: readonly number[], outDims: readonly number[]): Int32Array {
  const rank = outDims.length;
  const size = sizeOf(outDims);
  const offsets = new Int32Array(size);
  const strides: number[] = new Array(rank).fill(0);
  let stride = 1;
  for (let i = dims.length - 1; i >= 0; i--) {
    const axis = rank - dims.length + i;
    strides[axis] = dims[i] === 1 ? 0 : stride;
    stride *= dims[i];
  }
  const index: number[] = new Array(rank).fill(0);
  let offset = 0;
  for (let flat = 0; flat < size; flat++) {
    offsets[flat] = offset;
    for (let axis = rank - 1; axis >= 0; axis--) {
      index[axis]++;
      offset += strides[axis];
      if (index[axis] < outDims[axis]) break;
      offset -= strides[axis] * index[axis];
      index[axis] = 0;
    }
  }
  return offsets;
}
