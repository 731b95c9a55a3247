/** Sigmoid, Tanh, Softmax: element-wise or per row, the input's dims (Softmax's axis is checked by its quantizer). */
import type { ImportNode } from './types.ts';

export const importSmooth: ImportNode = ({ context }) => ({ outDims: context.inputDims(0) });
