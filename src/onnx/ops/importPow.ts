/** Pow: only a constant scalar exponent 1 or 2 (x, x·x); anything else is refused here, naming the exponent. */
import type { ImportNode } from './types.ts';

export const importPow: ImportNode = ({ context, node }) => {
  const exponent = context.constantOf(node.inputs[1]!);
  if (!exponent) context.unsupported(`an exponent '${node.inputs[1]}' that is not a constant (supported: the constant 1 or 2)`);
  const value = exponent!.data.length === 1 ? exponent!.data[0] : undefined;
  if (value !== 1 && value !== 2)
    context.unsupported(`the exponent ${value ?? `[${Array.from(exponent!.data).slice(0, 4)}${exponent!.data.length > 4 ? ', …' : ''}]`} (supported: the constant scalar 1 or 2)`);
  return { outDims: context.inputDims(0) };
};
