/**
 * Hand-made QuantizedModels for the zk tests (plain JSON, small enough for ≤ 2^12 constraints)
 * and a seeded integer generator. Proving tests get their powers of tau from ensurePtau.
 */
import { createPrng } from '../src/zoo/createPrng.ts';
import { QUANTIZED_MODEL_FORMAT, type QConstant, type QLayer, type QuantizedModel } from '../src/quant/types.ts';

/** Mulberry32: deterministic integers for weights and inputs. */
export function seededIntegers(seed: number) {
  const next = createPrng({ seed }).next;
  return (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
}

function constant(dims: number[], data: number[], scaleExp: 1 | 2 = 1): QConstant {
  return { dims, data, scaleExp };
}

function model(name: string, parts: Pick<QuantizedModel, 'inputs' | 'outputs' | 'tensors' | 'constants' | 'layers'>, scaleBits = 8, valueBits = 16): QuantizedModel {
  return {
    format: QUANTIZED_MODEL_FORMAT,
    name,
    source: { file: `${name}.onnx`, sha256: '0'.repeat(64), opset: 13, producer: 'test/zk-fixtures.ts' },
    scaleBits,
    valueBits,
    ...parts,
    hash: name.padEnd(64, '0'),
  };
}

/** x[1,4] → Gemm(4→3, bias) → Relu → MatMul(3→2, bias) → Add(const) → y[1,2]. */
export function tinyMlp(seed = 1): QuantizedModel {
  const random = seededIntegers(seed);
  const weights = (n: number, bound: number) => Array.from({ length: n }, () => random(-bound, bound));
  const layers: QLayer[] = [
    { op: 'matmul', name: 'fc1', a: 'x', b: 'w1', bias: 'b1', out: 'h1', accBits: 30 },
    { op: 'relu', name: 'relu1', input: 'h1', out: 'r1' },
    { op: 'matmul', name: 'fc2', a: 'r1', b: 'w2', bias: 'b2', out: 'h2', accBits: 30 },
    { op: 'add', name: 'shift', a: 'h2', b: 'c', out: 'y' },
  ];
  return model('tiny-mlp', {
    inputs: [{ name: 'x', dims: [1, 4] }],
    outputs: [{ name: 'y', dims: [1, 2] }],
    tensors: { x: [1, 4], h1: [1, 3], r1: [1, 3], h2: [1, 2], y: [1, 2] },
    constants: {
      w1: constant([4, 3], weights(12, 200)),
      b1: constant([3], weights(3, 20000), 2),
      w2: constant([3, 2], weights(6, 200)),
      b2: constant([2], weights(2, 20000), 2),
      c: constant([2], weights(2, 300)),
    },
    layers,
  });
}

/** The wiring ops: x[2,3] → transpose → reshape [6] → scalarMul → W·x (constant LEFT operand) → y[2]. */
export function wiringModel(): QuantizedModel {
  return model('wiring', {
    inputs: [{ name: 'x', dims: [2, 3] }],
    outputs: [{ name: 'y', dims: [2] }],
    tensors: { x: [2, 3], t: [3, 2], f: [6], m: [6], y: [2] },
    constants: { w: constant([2, 6], [100, -50, 3, 0, 256, -256, 7, 8, -9, 10, -11, 12]) },
    layers: [
      { op: 'transpose', name: 'transpose', input: 'x', out: 't' },
      { op: 'reshape', name: 'flatten', input: 't', out: 'f' },
      { op: 'scalarMul', name: 'alpha', input: 'f', factor: -384, accBits: 30 },
      { op: 'matmul', name: 'left', a: 'w', b: 'm', out: 'y', accBits: 30 },
    ].map((layer) => (layer.op === 'scalarMul' ? { ...layer, out: 'm' } : layer)) as QLayer[],
  });
}

/** x[1,1,5,5] → Conv(2 filters 3×3, pad 1, bias) → Relu → MaxPool 2×2 (ceil) → AvgPool 2×2 pad 1 (count_include_pad) → y. */
export function tinyCnn(seed = 2): QuantizedModel {
  const random = seededIntegers(seed);
  const weights = (n: number, bound: number) => Array.from({ length: n }, () => random(-bound, bound));
  return model('tiny-cnn', {
    inputs: [{ name: 'x', dims: [1, 1, 5, 5] }],
    outputs: [{ name: 'y', dims: [1, 2, 2, 2] }],
    tensors: { x: [1, 1, 5, 5], c: [1, 2, 5, 5], r: [1, 2, 5, 5], p: [1, 2, 3, 3], y: [1, 2, 2, 2] },
    constants: { w: constant([2, 1, 3, 3], weights(18, 120)), b: constant([2], weights(2, 30000), 2) },
    layers: [
      { op: 'conv', name: 'conv', input: 'x', weight: 'w', bias: 'b', out: 'c', pads: [1, 1, 1, 1], strides: [1, 1], dilations: [1, 1], accBits: 30 },
      { op: 'relu', name: 'relu', input: 'c', out: 'r' },
      { op: 'maxpool', name: 'max', input: 'r', out: 'p', kernel: [2, 2], pads: [0, 0, 0, 0], strides: [2, 2], dilations: [1, 1], ceilMode: true },
      { op: 'avgpool', name: 'avg', input: 'p', out: 'y', kernel: [2, 2], pads: [1, 1, 0, 0], strides: [2, 2], dilations: [1, 1], ceilMode: false, countIncludePad: true, accBits: 20 },
    ],
  });
}

/**
 * Geometry corner cases: x[1,2,6,5] → Conv (dilation 2, stride [2,1], asymmetric pads, no bias)
 * → MaxPool 3×2 with padding (padding never wins) → AvgPool 2×2 stride 1 with pads, counting
 * only in-bounds elements → y.
 */
export function geometryCnn(seed = 4): QuantizedModel {
  const random = seededIntegers(seed);
  return model('geometry-cnn', {
    inputs: [{ name: 'x', dims: [1, 2, 6, 5] }],
    outputs: [{ name: 'y', dims: [1, 1, 3, 5] }],
    // conv: OH = (6 + 1 + 0 - 5) / 2 + 1 = 2, OW = (5 + 2 + 1 - 3) / 1 + 1 = 6
    // maxpool 3×2, pads [1,0,1,1], stride 1: OH = (2 + 2 - 3) + 1 = 2, OW = (6 + 1 - 2) + 1 = 6
    // avgpool 2×2, pads [1,0,1,0], stride 1: OH = (2 + 2 - 2) + 1 = 3, OW = (6 - 2) + 1 = 5
    tensors: { x: [1, 2, 6, 5], c: [1, 1, 2, 6], m: [1, 1, 2, 6], y: [1, 1, 3, 5] },
    constants: { w: constant([1, 2, 3, 2], Array.from({ length: 12 }, () => random(-200, 200))) },
    layers: [
      { op: 'conv', name: 'dilated', input: 'x', weight: 'w', out: 'c', pads: [1, 2, 0, 1], strides: [2, 1], dilations: [2, 2], accBits: 30 },
      { op: 'maxpool', name: 'paddedMax', input: 'c', out: 'm', kernel: [3, 2], pads: [1, 0, 1, 1], strides: [1, 1], dilations: [1, 1], ceilMode: false },
      { op: 'avgpool', name: 'paddedAvg', input: 'm', out: 'y', kernel: [2, 2], pads: [1, 0, 1, 0], strides: [1, 1], dilations: [1, 1], ceilMode: false, countIncludePad: false, accBits: 20 },
    ],
  });
}
