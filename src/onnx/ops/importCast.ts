/**
 * Cast of an activation: exporters (skl2onnx, hummingbird) cast the float input to float, a
 * no-op that is removed. (A Cast of a constant is folded before it gets here.)
 */
import { DataType, dataTypeName, isFloatType } from '../types.ts';
import type { ImportNode } from './types.ts';

export const importCast: ImportNode = ({ context, node }) => {
  const to = Number(node.attributes.to);
  const from = context.graphInputType(node.inputs[0]) ?? DataType.FLOAT;
  if (!isFloatType(to) || !isFloatType(from)) context.unsupported(`a cast from ${dataTypeName(from)} to ${dataTypeName(to)} on an activation`);
  return { aliasOf: node.inputs[0] };
};
