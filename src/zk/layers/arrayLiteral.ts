/** A Circom array literal of integers in the given (row-major) shape. */
import { sizeOf } from '../../tensor/sizeOf.ts';

export function arrayLiteral(data: ArrayLike<number>, dims: number[]): string {
  if (dims.length === 0) return String(data[0]);
  const [first, ...rest] = dims;
  const stride = sizeOf(rest);
  const parts: string[] = [];
  for (let i = 0; i < first!; i++) parts.push(arrayLiteral(Array.prototype.slice.call(data, i * stride, (i + 1) * stride), rest));
  return `[${parts.join(',')}]`;
}
