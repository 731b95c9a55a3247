/** GlobalAveragePool: 2-D (NCHW) → [N, C, 1, 1]. */
import type { ImportNode } from './types.ts';

export const importGlobalAveragePool: ImportNode = ({ context }) => {
  const x = context.inputDims(0);
  if (x.length !== 4) context.unsupported(`a ${x.length - 2}-D global pool (only 2-D)`);
  return { outDims: [x[0]!, x[1]!, 1, 1] };
};
