/**
 * Hand-made QuantizedModels with the smooth layers (sigmoid, tanh, softmax) for the cross-backend
 * tests, their tables built by the quantizer's own buildSmoothTable, and inputs that sit at and
 * past every clamp bound.
 */
import { buildSmoothTable } from '../src/quant/smoothTable.ts';
import { QUANTIZED_MODEL_FORMAT, type QConstant, type QLayer, type QuantizedModel, type SmoothFunction } from '../src/quant/types.ts';
import { seededIntegers } from './zk-fixtures.ts';
import { writeModel } from './foundation-helpers.ts';

/**
 * A small ONNX MLP with all three ops, seeded: x[1,6] → MatMul+Add → Sigmoid → MatMul+Add → Tanh
 * → MatMul → Softmax → y[1,4]; written to `dir`. Returns the file and 12 float input sets (six
 * within ±3, six within ±12).
 */
export function writeSmoothMlp(dir: string): { file: string; inputSets: number[][] } {
  const random = seededIntegers(5);
  const weights = (n: number) => Array.from({ length: n }, () => random(-1000, 1000) / 1000);
  const file = writeModel(dir, 'smooth-mlp', {
    inputs: [{ name: 'x', dims: [1, 6] }],
    outputs: [{ name: 'y', dims: [1, 4] }],
    initializers: [
      { name: 'W1', dims: [6, 8], data: weights(48) }, { name: 'b1', dims: [8], data: weights(8) },
      { name: 'W2', dims: [8, 5], data: weights(40).map((w) => 2 * w) }, { name: 'b2', dims: [5], data: weights(5) },
      { name: 'W3', dims: [5, 4], data: weights(20).map((w) => 3 * w) },
    ],
    nodes: [
      { opType: 'MatMul', inputs: ['x', 'W1'], outputs: ['m1'] }, { opType: 'Add', inputs: ['m1', 'b1'], outputs: ['h1'] },
      { opType: 'Sigmoid', inputs: ['h1'], outputs: ['s1'] },
      { opType: 'MatMul', inputs: ['s1', 'W2'], outputs: ['m2'] }, { opType: 'Add', inputs: ['m2', 'b2'], outputs: ['h2'] },
      { opType: 'Tanh', inputs: ['h2'], outputs: ['t2'] },
      { opType: 'MatMul', inputs: ['t2', 'W3'], outputs: ['logits'] },
      { opType: 'Softmax', inputs: ['logits'], outputs: ['y'], attributes: { axis: -1 } },
    ],
  });
  const inputSets = Array.from({ length: 12 }, (_, i) => Array.from({ length: 6 }, () => random(-3000, 3000) / (i < 6 ? 1000 : 250)));
  return { file, inputSets };
}

export function tableOf(fn: SmoothFunction, scaleBits = 8, valueBits = 16) {
  const table = buildSmoothTable({ fn, scaleBits, valueBits, where: 'test' });
  const constant: QConstant = { dims: [table.knots.length], data: table.knots, scaleExp: 1 };
  return { ...table, constant };
}

/**
 * x[2,6] → sigmoid → a, x → tanh → b, x → softmax (rows of 6) → y; outputs a, b, y. With
 * scaleBits 8, valueBits 16 unless given.
 */
export function smoothModel(scaleBits = 8, valueBits = 16): QuantizedModel {
  const sigmoid = tableOf('sigmoid', scaleBits, valueBits);
  const tanh = tableOf('tanh', scaleBits, valueBits);
  const exp = tableOf('exp', scaleBits, valueBits);
  const layers: QLayer[] = [
    { op: 'smooth', fn: 'sigmoid', name: 'sigmoid', input: 'x', out: 'a', table: 'sigmoid_table', lowest: sigmoid.lowest, segmentBits: sigmoid.segmentBits },
    { op: 'smooth', fn: 'tanh', name: 'tanh', input: 'x', out: 'b', table: 'tanh_table', lowest: tanh.lowest, segmentBits: tanh.segmentBits },
    { op: 'softmax', name: 'softmax', input: 'x', out: 'y', rowLength: 6, table: 'exp_table', lowest: exp.lowest, segmentBits: exp.segmentBits },
  ];
  return {
    format: QUANTIZED_MODEL_FORMAT,
    name: 'smooth',
    source: { file: 'smooth.onnx', sha256: '0'.repeat(64), opset: 13, producer: 'test/smooth-fixtures.ts' },
    scaleBits,
    valueBits,
    inputs: [{ name: 'x', dims: [2, 6] }],
    outputs: [{ name: 'a', dims: [2, 6] }, { name: 'b', dims: [2, 6] }, { name: 'y', dims: [2, 6] }],
    tensors: { x: [2, 6], a: [2, 6], b: [2, 6], y: [2, 6] },
    constants: { sigmoid_table: sigmoid.constant, tanh_table: tanh.constant, exp_table: exp.constant },
    layers,
    hash: `smooth-${scaleBits}-${valueBits}`.padEnd(64, '0'),
  };
}

/**
 * Input sets for smoothModel (12 values each): at and past the sigmoid clamp (±8·2^s, one inside,
 * one outside), the tanh clamp (±4·2^s), the value range's ends, segment boundaries, zero, and
 * seeded random values; the softmax rows then hold a maximum at the range's top with the rest
 * clamped at exp's lowest, equal values, and mixtures.
 */
export function smoothInputs(scaleBits = 8, valueBits = 16): number[][] {
  const one = 2 ** scaleBits;
  const min = -(2 ** (valueBits - 1));
  const max = 2 ** (valueBits - 1) - 1;
  const random = seededIntegers(11);
  const sets = [
    [-8 * one - 1, -8 * one, -8 * one + 1, 8 * one - 2, 8 * one - 1, 8 * one, -4 * one - 1, -4 * one, 4 * one - 1, 4 * one, min, max],
    [0, 1, -1, one / 8, one / 8 - 1, -one / 8, one, -one, 3 * one + 17, -5 * one - 3, max, min],
    [0, 0, 0, 0, 0, 0, 5, 5, 5, 5, 5, 5],
    [max, min, min, min, min, min, max, max - 1, max - 8 * one, max - 8 * one - 1, max - 8 * one + 1, 0],
  ];
  for (let i = 0; i < 4; i++) sets.push(Array.from({ length: 12 }, () => random(-10 * one, 10 * one)));
  sets.push(Array.from({ length: 12 }, () => random(min, max)));
  return sets;
}
