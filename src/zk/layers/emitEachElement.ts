/** One component of `template` (with an `in` and an `out`) per element: for the unary layers. */
import { sizeOf } from '../../tensor/sizeOf.ts';
import type { CircuitContext } from './types.ts';

export interface EmitEachElementParameters {
  context: CircuitContext;
  id: string;
  input: string;
  out: string;
  /** A template instantiation, e.g. `Relu(16)`. */
  template: string;
}

export function emitEachElement({ context, id, input, out, template }: EmitEachElementParameters): string[] {
  const outSize = sizeOf(context.dimsOf(out));
  const elements = context.operand(input);
  context.body.push(`    component ${id}[${outSize}];`);
  for (let i = 0; i < outSize; i++) context.body.push(`    ${id}[${i}] = ${template}; ${id}[${i}].in <== ${elements[i]};`);
  return Array.from({ length: outSize }, (_, i) => `${id}[${i}].out`);
}
