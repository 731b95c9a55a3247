/** Concat of activations and constants: axis made non-negative. */
import { concatDims } from '../../tensor/reindex.ts';
import type { ImportNode } from './types.ts';

export const importConcat: ImportNode = ({ context, node }) => {
  const dims = node.inputs.map((_, i) => context.inputDims(i));
  const rank = dims[0]!.length;
  const raw = node.attributes.axis;
  if (raw === undefined) context.unsupported('no axis attribute');
  const axis = Number(raw) < 0 ? Number(raw) + rank : Number(raw);
  if (axis < 0 || axis >= rank) context.unsupported(`axis=${raw} on rank-${rank} operands`);
  node.attributes = { axis };
  return { outDims: concatDims(dims, axis, context.where) };
};
