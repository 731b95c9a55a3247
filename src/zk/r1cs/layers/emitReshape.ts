/** `reshape` (Reshape, Flatten, Identity) → the input's signals unchanged: free. */
import type { ReshapeLayer } from '../../../quant/types.ts';
import type { DirectEmitLayer } from './types.ts';

export const emitReshape: DirectEmitLayer<ReshapeLayer> = ({ context, layer }) => context.operand(layer.input);
