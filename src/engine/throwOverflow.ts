/** The engine's one overflow report: layer, tensor, flat index, value and the allowed range. */
import { OverflowError } from '../errors.ts';

export interface ThrowOverflowParameters {
  layer: string;
  op: string;
  tensor: string;
  index: number;
  value: number | bigint;
  minValue: number;
  maxValue: number;
  valueBits: number;
}

export function throwOverflow({ layer, op, tensor, index, value, minValue, maxValue, valueBits }: ThrowOverflowParameters): never {
  throw new OverflowError(
    `layer '${layer}' (${op}): tensor '${tensor}' element ${index} = ${value} is outside the ${valueBits}-bit range [${minValue}, ${maxValue}]`,
    {
      hint: 'the value does not fit the fixed-point range: use a larger --value-bits (or a smaller --scale-bits), or an input closer to the training data',
      details: { layer, op, tensor, index, value: typeof value === 'bigint' ? value.toString() : value, min: minValue, max: maxValue, valueBits },
    },
  );
}
