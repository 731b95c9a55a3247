/**
 * ONNX Clip (ReLU6 and friends; bounds normalised by the importer into `min` / `max`
 * attributes, absent when unbounded) → one `clip`: each bound round(b · 2^s), clamped into the
 * value range (an absent bound is the range's end); when min > max every output is max, as in
 * ONNX, so min is lowered to max.
 */
import { roundHalfUp } from '../roundHalfUp.ts';
import type { QuantizeNode } from './types.ts';

export const quantizeClip: QuantizeNode = ({ context, node, out, outDims }) => {
  const top = Number(context.maxActivation);
  const toInteger = (value: unknown, fallback: number) =>
    value === undefined ? fallback : Math.min(top - 1, Math.max(-top, roundHalfUp(Number(value) * 2 ** context.scaleBits)));
  const max = toInteger(node.attributes.max, top - 1);
  const min = Math.min(toInteger(node.attributes.min, -top), max);
  context.push({ op: 'clip', name: node.name, out, input: node.inputs[0], min, max }, outDims);
};
