/** Checks scaleBits/valueBits against docs/fixed-point.md: 1 ≤ s, s < v ≤ 40. */
import { UsageError } from '../errors.ts';

export interface ValidateScaleParameters {
  scaleBits: number;
  valueBits: number;
}

export function validateScale({ scaleBits, valueBits }: ValidateScaleParameters): void {
  if (!Number.isInteger(scaleBits) || !Number.isInteger(valueBits) || scaleBits < 1 || scaleBits >= valueBits || valueBits > 40)
    throw new UsageError(`invalid fixed-point parameters scaleBits=${scaleBits}, valueBits=${valueBits}`, {
      hint: 'need integers with 1 ≤ scaleBits < valueBits ≤ 40 (e.g. --scale-bits 8 --value-bits 16)',
      details: { scaleBits, valueBits },
    });
}
