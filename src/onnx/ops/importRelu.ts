/** Relu: element-wise, the input's dims. */
import type { ImportNode } from './types.ts';

export const importRelu: ImportNode = ({ context }) => ({ outDims: context.inputDims(0) });
