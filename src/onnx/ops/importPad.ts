/**
 * Pad (constant, reflect, edge): pads, mode and the constant value made attributes, whichever
 * opset carried them (attributes before 11; constant inputs pads, constant_value and, from 18,
 * axes after); the node keeps only its data input. Negative pads (cropping) and mode wrap are
 * refused.
 */
import { checkPads, padDims, type PadMode } from '../../tensor/reindex.ts';
import type { ImportNode } from './types.ts';

const MODES: readonly string[] = ['constant', 'reflect', 'edge'];

export const importPad: ImportNode = ({ context, node }) => {
  const x = context.inputDims(0);
  const rank = x.length;
  const mode = String(node.attributes.mode ?? 'constant');
  if (!MODES.includes(mode)) context.unsupported(`mode=${mode} (supported: ${MODES.join(', ')})`);
  let pads: number[];
  let value = 0;
  if (context.opset < 11) {
    pads = ((node.attributes.pads ?? node.attributes.paddings ?? []) as number[]).map(Number);
    value = Number(node.attributes.value ?? 0);
  } else {
    const padsConstant = context.constantOf(node.inputs[1] ?? '');
    if (!padsConstant) context.unsupported(`pads '${node.inputs[1] ?? ''}' that are not a constant`);
    pads = Array.from(padsConstant!.data);
    if (node.inputs[2]) {
      const fill = context.constantOf(node.inputs[2]);
      if (!fill || fill.data.length !== 1) context.unsupported(`a constant_value '${node.inputs[2]}' that is not a constant scalar`);
      value = fill!.data[0]!;
    }
    if (node.inputs[3]) {
      const axesConstant = context.constantOf(node.inputs[3]);
      if (!axesConstant) context.unsupported(`axes '${node.inputs[3]}' that are not a constant`);
      const axes = Array.from(axesConstant!.data, (axis) => (axis < 0 ? axis + rank : axis));
      const full = new Array<number>(2 * rank).fill(0);
      axes.forEach((axis, i) => { full[axis] = pads[i]!; full[axis + rank] = pads[i + axes.length]!; });
      pads = full;
    }
  }
  checkPads(x, pads, mode as PadMode, context.where);
  node.inputs = [node.inputs[0]!];
  node.attributes = { pads, mode, value };
  return { outDims: padDims(x, pads) };
};
