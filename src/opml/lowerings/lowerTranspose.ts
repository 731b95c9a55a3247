/** 2-D `transpose` (Gemm transA on an activation): the input's addresses in column order, no step. */
import type { TransposeLayer } from '../../quant/types.ts';
import type { LowerLayer } from './types.ts';

export const lowerTranspose: LowerLayer<TransposeLayer> = ({ context, layer }) => {
  const input = context.viewOf(layer.input, layer);
  const [rows, cols] = context.dimsOf(layer.input);
  const view = new Uint32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) view[c * rows + r] = input[r * cols + c];
  return view;
};
