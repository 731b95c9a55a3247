/** `reshape` (Reshape, Flatten, Identity) → the input's element list unchanged: free. */
import type { ReshapeLayer } from '../../quant/types.ts';
import type { EmitLayer } from './types.ts';

export const emitReshape: EmitLayer<ReshapeLayer> = ({ context, layer }) => context.operand(layer.input);
