/**
 * The reshape layer (Reshape, Flatten, Identity): re-indexing only, so the output shares the
 * input's buffer (nothing rewrites a tensor within a run) and there is no step.
 */
import type { ReshapeLayer } from '../quant/types.ts';
import type { CompileLayer } from './types.ts';

export const compileReshape: CompileLayer<ReshapeLayer> = ({ context, layer }) => {
  context.buffers.set(layer.out, context.buffers.get(layer.input)!);
  return undefined;
};
