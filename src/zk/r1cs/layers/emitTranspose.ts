/** 2-D `transpose` → the input's signals re-ordered: free. */
import { UnsupportedModelError } from '../../../errors.ts';
import type { TransposeLayer } from '../../../quant/types.ts';
import type { DirectEmitLayer } from './types.ts';

export const emitTranspose: DirectEmitLayer<TransposeLayer> = ({ context, layer }) => {
  const input = context.operand(layer.input);
  const inDims = context.dimsOf(layer.input);
  if (inDims.length !== 2)
    throw new UnsupportedModelError(`${context.where(layer)}: transpose of a ${inDims.length}-D tensor`, { details: { layer: layer.name, dims: inDims }, hint: 'only 2-D transposes are supported' });
  const [rows, columns] = inDims as [number, number];
  const out = [];
  for (let j = 0; j < columns; j++) for (let i = 0; i < rows; i++) out.push(input[i * columns + j]!);
  return out;
};
