/**
 * ONNX Pad (pads, mode and value normalised by the importer) → one `pad`; the fill value is
 * round(value · 2^s) and must lie in the value range (it becomes an activation unchecked).
 */
import { OverflowError } from '../../errors.ts';
import { roundHalfUp } from '../roundHalfUp.ts';
import type { PadLayer } from '../types.ts';
import type { QuantizeNode } from './types.ts';

export const quantizePad: QuantizeNode = ({ context, node, out, outDims, where }) => {
  const value = roundHalfUp(Number(node.attributes.value ?? 0) * 2 ** context.scaleBits);
  const top = Number(context.maxActivation);
  if (value < -top || value >= top)
    throw new OverflowError(`${context.graph.file}: ${where} pads with ${node.attributes.value}, = ${value} at scale 2^${context.scaleBits}, outside the value range [${-top}, ${top - 1}]`, {
      hint: 'use a larger --value-bits',
      details: { file: context.graph.file, node: node.name, value },
    });
  const mode = String(node.attributes.mode ?? 'constant') as PadLayer['mode'];
  context.push({ op: 'pad', name: node.name, out, input: node.inputs[0], pads: [...(node.attributes.pads as number[])], mode, value: mode === 'constant' ? value : 0 }, outDims);
};
