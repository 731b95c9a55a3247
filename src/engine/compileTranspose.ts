/** The 2-D transpose layer (Gemm transA/transB on an activation): a copy in column order. */
import type { TransposeLayer } from '../quant/types.ts';
import type { CompileLayer } from './types.ts';

export const compileTranspose: CompileLayer<TransposeLayer> = ({ context, layer }) => {
  const { buffers, dims } = context;
  const out = buffers.get(layer.out)!;
  const [rows, cols] = dims.get(layer.input)!;
  return () => {
    const X = buffers.get(layer.input)!;
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = X[r * cols + c];
  };
};
