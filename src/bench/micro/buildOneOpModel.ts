/**
 * A one-layer QuantizedModel built in code, for the engine baseline of the micro suite: the
 * engine's own integer arithmetic (range checks included) on the same N operations. fixed-mul is
 * a batched activation × activation matmul ([n,1,1] × [n,1,1], one rescaled product each), dot a
 * [1,n] × [n,1] matmul, relu a relu over [1,n], sigmoid/tanh a smooth layer over [1,n] and
 * softmax-8 a softmax over [n, 8]. The raw `mul` has no engine layer (every engine
 * product is rescaled), so it has no engine baseline.
 */
import { hashQuantizedModel } from '../../quant/hashQuantizedModel.ts';
import { QUANTIZED_MODEL_FORMAT, type QLayer, type QuantizedModel } from '../../quant/types.ts';
import { buildSmoothTable } from '../../quant/smoothTable.ts';
import { SOFTMAX_ROW, type MicroOpId } from './microOps.ts';

export interface BuildOneOpModelParameters {
  op: MicroOpId;
  n: number;
  scaleBits: number;
  valueBits: number;
}

export type BuildOneOpModelResult = QuantizedModel | undefined;

export function buildOneOpModel({ op, n, scaleBits, valueBits }: BuildOneOpModelParameters): BuildOneOpModelResult {
  if (op === 'mul') return undefined;
  let inputs: QuantizedModel['inputs'];
  let layer: QLayer;
  let outDims: number[];
  const constants: QuantizedModel['constants'] = {};
  // Static bound of docs/fixed-point.md for activation × activation: K · 2^(2(v-1)) + 2^(s-1).
  const accBits = (k: number) => Math.ceil(Math.log2(k * 2 ** (2 * (valueBits - 1)) + 2 ** (scaleBits - 1)));
  if (op === 'fixed-mul') {
    inputs = [{ name: 'a', dims: [n, 1, 1] }, { name: 'b', dims: [n, 1, 1] }];
    outDims = [n, 1, 1];
    layer = { op: 'matmul', name: 'product', out: 'y', a: 'a', b: 'b', accBits: accBits(1) };
  } else if (op === 'dot') {
    inputs = [{ name: 'a', dims: [1, n] }, { name: 'b', dims: [n, 1] }];
    outDims = [1, 1];
    layer = { op: 'matmul', name: 'dot', out: 'y', a: 'a', b: 'b', accBits: accBits(n) };
  } else if (op === 'sigmoid' || op === 'tanh') {
    const table = buildSmoothTable({ fn: op, scaleBits, valueBits, where: `micro ${op}` });
    constants[`${op}_table`] = { dims: [table.knots.length], data: table.knots, scaleExp: 1 };
    inputs = [{ name: 'x', dims: [1, n] }];
    outDims = [1, n];
    layer = { op: 'smooth', fn: op, name: op, out: 'y', input: 'x', table: `${op}_table`, lowest: table.lowest, segmentBits: table.segmentBits };
  } else if (op === 'softmax-8') {
    const table = buildSmoothTable({ fn: 'exp', scaleBits, valueBits, where: `micro ${op}` });
    constants.exp_table = { dims: [table.knots.length], data: table.knots, scaleExp: 1 };
    inputs = [{ name: 'x', dims: [n, SOFTMAX_ROW] }];
    outDims = [n, SOFTMAX_ROW];
    layer = { op: 'softmax', name: 'softmax', out: 'y', input: 'x', rowLength: SOFTMAX_ROW, table: 'exp_table', lowest: table.lowest, segmentBits: table.segmentBits };
  } else {
    inputs = [{ name: 'x', dims: [1, n] }];
    outDims = [1, n];
    layer = { op: 'relu', name: 'relu', out: 'y', input: 'x' };
  }
  const tensors: Record<string, number[]> = { y: outDims };
  for (const input of inputs) tensors[input.name] = input.dims;
  const model: Omit<QuantizedModel, 'hash'> = {
    format: QUANTIZED_MODEL_FORMAT,
    name: `micro-${op}-${n}`,
    source: { file: '(built in code by src/bench/micro/buildOneOpModel.ts)', sha256: '', opset: 13, producer: 'opzk-bench' },
    scaleBits,
    valueBits,
    inputs,
    outputs: [{ name: 'y', dims: outDims }],
    tensors,
    constants,
    layers: [layer],
  };
  return { ...model, hash: hashQuantizedModel({ model }) };
}
