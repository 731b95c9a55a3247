/** One gadget per element of a unary layer (Relu, ScalarMul), named `<id>[i]` as circom's components. */
import { sizeOf } from '../../../tensor/sizeOf.ts';
import type { DirectContext } from './types.ts';

export function emitEachElement<T>(context: DirectContext<T>, id: string, input: string, out: string, gadget: (prefix: () => string, x: T) => T): T[] {
  const elements = context.operand(input);
  const size = sizeOf(context.dimsOf(out));
  const result: T[] = [];
  for (let i = 0; i < size; i++) result.push(gadget(() => `main.${id}[${i}]`, elements[i]!));
  return result;
}
