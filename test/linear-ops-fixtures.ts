/**
 * Small hand-built ONNX models of the affine and structural operators, for test/linear-ops.test.ts
 * (every backend bit for bit) and test/linear-ops-prove.test.ts (a Groth16 proof, a dispute).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeOnnxModel, type EncodeOnnxModelParameters } from '../src/onnx/encodeOnnxModel.ts';
import { DataType } from '../src/onnx/types.ts';
import { createIntegerPrng } from './opml-vm-fixtures.ts';

const directory = mkdtempSync(join(tmpdir(), 'opzk-linear-ops-'));
/** Seeded float helpers: each model draws from its own generator, so a model is the same however often it is built. */
function createFloats(seed: number) {
  const random = createIntegerPrng(seed);
  return {
    /** `count` floats in [-bound, bound], multiples of 1/1000. */
    floats: (count: number, bound: number) => Array.from({ length: count }, () => random(-bound * 1000, bound * 1000) / 1000),
    positive: (count: number, low: number, high: number) => Array.from({ length: count }, () => random(low * 1000, high * 1000) / 1000),
  };
}

function writeModel(name: string, parameters: EncodeOnnxModelParameters): string {
  const file = join(directory, `${name}.onnx`);
  writeFileSync(file, encodeOnnxModel(parameters));
  return file;
}

const tensor = (name: string, dims: number[], data: number[], dataType?: number) => ({ name, dims, data, ...(dataType ? { dataType } : {}) });
const batchNorm = ({ floats, positive }: ReturnType<typeof createFloats>, prefix: string, channels: number) => [
  tensor(`${prefix}.scale`, [channels], positive(channels, 0.5, 1.5)),
  tensor(`${prefix}.B`, [channels], floats(channels, 0.5)),
  tensor(`${prefix}.mean`, [channels], floats(channels, 0.5)),
  tensor(`${prefix}.var`, [channels], positive(channels, 0.5, 2)),
];
const batchNormInputs = (prefix: string, x: string) => [x, `${prefix}.scale`, `${prefix}.B`, `${prefix}.mean`, `${prefix}.var`];

export interface LinearOpsCase {
  name: string;
  file: string;
  inputs: Record<string, number[]>;
  /** The layer ops the quantizer makes of it. */
  ops: string[];
  /** Float inputs that drive a layer out of the 16-bit range at scale 2^8. */
  overflowing: Record<string, number[]>;
  /** The layer the engine and the VM name for `overflowing`. */
  overflowLayer: string;
  /** Trace-VM steps and circuit constraints (--weights constant, --O2): exact, deterministic. */
  steps: number;
  constraints: number;
}

/** Sub/Div input normalisation, depthwise conv + BatchNorm (folded), ReLU6, reflect pad, GAP, Gemm + BatchNorm (folded). */
export function normalisedCnn(): LinearOpsCase {
  const generator = createFloats(2026);
  const { floats, positive } = generator;
  const file = writeModel('normalised-cnn', {
    inputs: [{ name: 'x', dims: [1, 3, 5, 5] }],
    outputs: [{ name: 'y' }],
    initializers: [
      tensor('mean', [1, 3, 1, 1], [0.485, 0.456, 0.406]),
      tensor('std', [1, 3, 1, 1], [0.229, 0.224, 0.225]),
      tensor('dw', [3, 1, 3, 3], floats(27, 0.4)),
      tensor('dwb', [3], floats(3, 0.2)),
      ...batchNorm(generator, 'bn1', 3),
      tensor('six', [], [6]),
      tensor('zero', [], [0]),
      tensor('pads', [8], [0, 0, 1, 2, 0, 0, 2, 1], DataType.INT64),
      tensor('fc', [2, 3], floats(6, 0.8)),
      tensor('fcb', [2], floats(2, 0.3)),
      ...batchNorm(generator, 'bn2', 2),
    ],
    nodes: [
      { opType: 'Sub', inputs: ['x', 'mean'], outputs: ['centred'] },
      { opType: 'Div', inputs: ['centred', 'std'], outputs: ['normalised'] },
      { opType: 'Conv', inputs: ['normalised', 'dw', 'dwb'], outputs: ['depthwise'], attributes: { group: 3, kernel_shape: [3, 3], pads: [1, 1, 1, 1] } },
      { opType: 'BatchNormalization', inputs: batchNormInputs('bn1', 'depthwise'), outputs: ['bn1out'], attributes: { epsilon: 1e-3 } },
      { opType: 'Clip', inputs: ['bn1out', 'zero', 'six'], outputs: ['relu6'] },
      { opType: 'Pad', inputs: ['relu6', 'pads'], outputs: ['padded'], attributes: { mode: 'reflect' } },
      { opType: 'GlobalAveragePool', inputs: ['padded'], outputs: ['pooled'] },
      { opType: 'Flatten', inputs: ['pooled'], outputs: ['flat'] },
      { opType: 'Gemm', inputs: ['flat', 'fc', 'fcb'], outputs: ['logits'], attributes: { transB: 1 } },
      { opType: 'BatchNormalization', inputs: batchNormInputs('bn2', 'logits'), outputs: ['y'] },
    ],
  });
  return {
    name: 'normalised-cnn', file, inputs: { x: positive(75, 0, 1) },
    ops: ['add', 'mul', 'conv', 'clip', 'pad', 'avgpool', 'reshape', 'matmul'],
    overflowing: { x: new Array(75).fill(-127) }, overflowLayer: 'Div_1',
    steps: 1235, constraints: 7632,
  };
}

/** tf2onnx's NHWC ↔ NCHW transposes around a conv, a BatchNorm that cannot fold (after a Transpose), LeakyRelu. */
export function nhwcConv(): LinearOpsCase {
  const generator = createFloats(2027);
  const { floats } = generator;
  const file = writeModel('nhwc-conv', {
    inputs: [{ name: 'x', dims: [1, 4, 4, 2] }],
    outputs: [{ name: 'y' }],
    initializers: [...batchNorm(generator, 'bn', 2), tensor('w', [3, 2, 3, 3], floats(54, 0.5)), tensor('b', [3], floats(3, 0.2))],
    nodes: [
      { opType: 'Transpose', inputs: ['x'], outputs: ['nchw'], attributes: { perm: [0, 3, 1, 2] } },
      { opType: 'BatchNormalization', inputs: batchNormInputs('bn', 'nchw'), outputs: ['normed'] },
      { opType: 'Conv', inputs: ['normed', 'w', 'b'], outputs: ['conv'], attributes: { kernel_shape: [3, 3], pads: [1, 0, 1, 2], strides: [1, 2] } },
      { opType: 'LeakyRelu', inputs: ['conv'], outputs: ['leaky'], attributes: { alpha: 0.1 } },
      { opType: 'Transpose', inputs: ['leaky'], outputs: ['y'], attributes: { perm: [0, 2, 3, 1] } },
    ],
  });
  return {
    name: 'nhwc-conv', file, inputs: { x: floats(32, 2) },
    ops: ['transpose', 'mul', 'conv', 'leakyRelu', 'transpose'],
    overflowing: { x: new Array(32).fill(127) }, overflowLayer: 'BatchNormalization_1',
    steps: 484, constraints: 2328,
  };
}

/** Two activations: Mul, Concat with a constant, constant Pad, Pow 2, Sub from a constant, Mul and Div by scalars. */
export function twoInputs(): LinearOpsCase {
  const { floats } = createFloats(2028);
  const file = writeModel('two-inputs', {
    inputs: [{ name: 'x', dims: [1, 2, 3] }, { name: 'z', dims: [1, 2, 3] }],
    outputs: [{ name: 'y' }],
    initializers: [
      tensor('k', [1, 1, 3], floats(3, 1)),
      tensor('pads', [6], [0, 1, 0, 0, 0, 2], DataType.INT64),
      tensor('fill', [], [0.5]),
      tensor('two', [], [2]),
      tensor('one', [1, 1, 1], [1]),
      tensor('half', [], [0.5]),
      tensor('three', [], [3]),
    ],
    nodes: [
      { opType: 'Mul', inputs: ['x', 'z'], outputs: ['product'] },
      { opType: 'Concat', inputs: ['product', 'k', 'x'], outputs: ['joined'], attributes: { axis: -2 } },
      { opType: 'Pad', inputs: ['joined', 'pads', 'fill'], outputs: ['padded'] },
      { opType: 'Pow', inputs: ['padded', 'two'], outputs: ['squared'] },
      { opType: 'Sub', inputs: ['one', 'squared'], outputs: ['difference'] },
      { opType: 'Mul', inputs: ['difference', 'half'], outputs: ['halved'] },
      { opType: 'Div', inputs: ['halved', 'three'], outputs: ['y'] },
    ],
  });
  return {
    name: 'two-inputs', file, inputs: { x: floats(6, 2), z: floats(6, 2) },
    ops: ['mul', 'concat', 'pad', 'mul', 'scalarMul', 'add', 'scalarMul', 'scalarMul'],
    overflowing: { x: [100, 1, 1, 1, 1, 1], z: [100, 1, 1, 1, 1, 1] }, overflowLayer: 'Mul_0',
    // Steps: Mul 6 × (MAC, RESCALE) + Pow 30 × 2 + negate 30 SCALE + add 30 ADD + two scalars 2 × 30 SCALE.
    // Constraints: Mul 6 × 25 + Pow 30 × 25 − 18 products of two literals (the pad fill, k) that
    // --O2 folds + negate 30 × 24 + add 30 × 16 + 2 × 30 × 24.
    steps: 6 * 2 + 30 * 2 + 30 + 30 + 60, constraints: 6 * 25 + 30 * 25 - 18 + 30 * 24 + 30 * 16 + 2 * 30 * 24,
  };
}

export const CASES = [normalisedCnn, nhwcConv, twoInputs];

/** Div by a scalar, Conv + BatchNorm (folded), GlobalAveragePool: ops that lower to layers gkr proves. */
export function gkrLowerable(): Pick<LinearOpsCase, 'name' | 'file' | 'inputs' | 'ops'> {
  const generator = createFloats(2029);
  const { floats, positive } = generator;
  const file = writeModel('gkr-lowerable', {
    inputs: [{ name: 'x', dims: [1, 2, 6, 6] }],
    outputs: [{ name: 'y' }],
    initializers: [
      tensor('std', [], [0.25]), tensor('w', [4, 2, 3, 3], floats(72, 0.4)), tensor('b', [4], floats(4, 0.2)),
      ...batchNorm(generator, 'bn', 4), tensor('fc', [4, 3], floats(12, 0.8)),
    ],
    nodes: [
      { opType: 'Div', inputs: ['x', 'std'], outputs: ['normalised'] },
      { opType: 'Conv', inputs: ['normalised', 'w', 'b'], outputs: ['conv'], attributes: { kernel_shape: [3, 3] } },
      { opType: 'BatchNormalization', inputs: batchNormInputs('bn', 'conv'), outputs: ['bn'] },
      { opType: 'Relu', inputs: ['bn'], outputs: ['activated'] },
      { opType: 'GlobalAveragePool', inputs: ['activated'], outputs: ['pooled'] },
      { opType: 'Flatten', inputs: ['pooled'], outputs: ['flat'] },
      { opType: 'MatMul', inputs: ['flat', 'fc'], outputs: ['y'] },
    ],
  });
  return {
    name: 'gkr-lowerable', file, inputs: { x: positive(72, 0, 1) },
    ops: ['scalarMul', 'conv', 'relu', 'avgpool', 'reshape', 'matmul'],
  };
}
