/**
 * ONNX Sigmoid, Tanh → one `smooth` layer, and Softmax → one `softmax` layer, each reading an
 * integer table of its function (src/quant/smoothTable.ts) registered as a model constant, so
 * that no backend evaluates a float.
 */
import { UnsupportedModelError } from '../../errors.ts';
import { canonicalJson } from '../hashQuantizedModel.ts';
import { buildSmoothTable } from '../smoothTable.ts';
import type { QConstant, SmoothFunction } from '../types.ts';
import type { QuantizeContext, QuantizeNode } from './types.ts';

/** Registers the table of `fn` once per model (`<fn>_table`) and returns it with its name. */
function addTable(context: QuantizeContext, fn: SmoothFunction, where: string) {
  const table = buildSmoothTable({ fn, scaleBits: context.scaleBits, valueBits: context.valueBits, where });
  const constant: QConstant = { dims: [table.knots.length], data: table.knots, scaleExp: 1 };
  let name = `${fn}_table`;
  for (let n = 1; context.constants[name] && canonicalJson(context.constants[name]) !== canonicalJson(constant); n++) name = `${fn}_table#${n}`;
  context.constants[name] = constant;
  return { name, lowest: table.lowest, segmentBits: table.segmentBits };
}

function quantizeUnary(fn: 'sigmoid' | 'tanh'): QuantizeNode {
  return ({ context, node, out, outDims, where }) => {
    const table = addTable(context, fn, where);
    context.push({ op: 'smooth', fn, name: node.name, out, input: node.inputs[0], table: table.name, lowest: table.lowest, segmentBits: table.segmentBits }, outDims);
  };
}

export const quantizeSigmoid = quantizeUnary('sigmoid');
export const quantizeTanh = quantizeUnary('tanh');

export const quantizeSoftmax: QuantizeNode = ({ context, node, out, outDims, where }) => {
  const rank = outDims.length;
  const opset = context.graph.opset;
  const given = node.attributes.axis;
  const axis = typeof given === 'number' ? given : opset >= 13 ? -1 : 1;
  const normalized = axis < 0 ? axis + rank : axis;
  if (rank === 0 || normalized < 0 || normalized >= rank || (opset >= 13 && normalized !== rank - 1))
    throw new UnsupportedModelError(`${context.graph.file}: ${where} has axis=${axis} on a rank-${rank} tensor; only the last axis is supported`, {
      hint: 'export the model with Softmax over the last axis (axis=-1), or transpose before it',
      details: { file: context.graph.file, node: node.name, axis, rank },
    });
  const rowLength = outDims.slice(normalized).reduce((p, d) => p * d, 1);
  const table = addTable(context, 'exp', where);
  context.push({ op: 'softmax', name: node.name, out, input: node.inputs[0], rowLength, table: table.name, lowest: table.lowest, segmentBits: table.segmentBits }, outDims);
};
