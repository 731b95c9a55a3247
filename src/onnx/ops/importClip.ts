/**
 * Clip: the bounds (attributes before opset 11, optional constant inputs from 11 on) made
 * `min` / `max` attributes, absent when unbounded; the node keeps only its data input.
 */
import type { ImportNode } from './types.ts';

export const importClip: ImportNode = ({ context, node }) => {
  const bound = (index: number, attribute: string): number | undefined => {
    if (context.opset < 11) {
      const value = node.attributes[attribute];
      return value === undefined ? undefined : Number(value);
    }
    const name = node.inputs[index];
    if (!name) return undefined;
    const constant = context.constantOf(name);
    if (!constant || constant.data.length !== 1) context.unsupported(`a ${attribute} bound '${name}' that is not a constant scalar`);
    return constant!.data[0];
  };
  const min = bound(1, 'min');
  const max = bound(2, 'max');
  node.inputs = [node.inputs[0]!];
  node.attributes = { ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
  return { outDims: context.inputDims(0) };
};
