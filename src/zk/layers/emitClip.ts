/** `clip` → one Clip(min, max, v) per element (2(v + 1) + 2 constraints). */
import type { ClipLayer } from '../../quant/types.ts';
import { emitEachElement } from './emitEachElement.ts';
import type { EmitLayer } from './types.ts';

export const emitClip: EmitLayer<ClipLayer> = ({ context, layer, id }) =>
  emitEachElement({ context, id, input: layer.input, out: layer.out, template: `Clip(${layer.min}, ${layer.max}, ${context.model.valueBits})` });
