/**
 * Fixtures of the opML VM tests: a hand-written QuantizedModel that uses every op of
 * docs/fixed-point.md (conv with padding/stride, relu, maxpool with padding, avgpool with and
 * without count_include_pad, add with a broadcast constant (either side) and of two activations,
 * scalarMul, reshape, transpose,
 * matmul with a constant and with two activations, an output that must be copied), and a
 * seeded integer PRNG.
 */
import { QUANTIZED_MODEL_FORMAT, type QuantizedModel } from '../src/quant/types.ts';

/** Deterministic integers in [low, high] (xorshift32). */
export function createIntegerPrng(seed: number): (low: number, high: number) => number {
  let state = seed >>> 0 || 1;
  return (low, high) => {
    state ^= state << 13; state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5; state >>>= 0;
    return low + (state % (high - low + 1));
  };
}

export function createAllOpsModel(seed = 7): QuantizedModel {
  const random = createIntegerPrng(seed);
  const constant = (dims: number[], low: number, high: number, scaleExp: 1 | 2 = 1) => ({
    dims,
    data: Array.from({ length: dims.reduce((p, d) => p * d, 1) }, () => random(low, high)),
    scaleExp,
  });
  return {
    format: QUANTIZED_MODEL_FORMAT,
    name: 'all-ops',
    source: { file: 'test/opml-vm-fixtures.ts', sha256: '0'.repeat(64), opset: 13, producer: 'hand-written' },
    scaleBits: 8,
    valueBits: 24,
    inputs: [{ name: 'x', dims: [1, 2, 5, 5] }],
    outputs: [{ name: 'y', dims: [1, 4] }, { name: 'z', dims: [3, 3] }],
    tensors: {
      x: [1, 2, 5, 5], c1: [1, 3, 4, 3], r1: [1, 3, 4, 3], m1: [1, 3, 3, 2], a1: [1, 3, 4, 3], a2: [1, 3, 2, 2],
      ad1: [1, 3, 4, 3], sm1: [1, 3, 4, 3], f1: [1, 18], y: [1, 4], f2: [3, 12], t2: [12, 3], g: [3, 3], z: [3, 3],
      f3: [1, 12], h: [1, 12], h2: [1, 12],
    },
    constants: {
      w1: constant([3, 2, 3, 3], -200, 200),
      b1: constant([3], -30000, 30000, 2),
      k1: constant([3, 1, 1], -300, 300),
      w2: constant([18, 4], -150, 150),
      b2: constant([4], -20000, 20000, 2),
      k2: constant([1, 12], -100, 100),
    },
    layers: [
      { op: 'conv', name: 'conv1', out: 'c1', input: 'x', weight: 'w1', bias: 'b1', pads: [1, 1, 0, 1], strides: [1, 2], dilations: [1, 1], accBits: 40 },
      { op: 'relu', name: 'relu1', out: 'r1', input: 'c1' },
      { op: 'maxpool', name: 'maxpool1', out: 'm1', input: 'r1', kernel: [2, 2], pads: [1, 1, 1, 1], strides: [2, 2], dilations: [1, 1], ceilMode: false },
      { op: 'avgpool', name: 'avgpool1', out: 'a1', input: 'c1', kernel: [3, 3], pads: [1, 1, 1, 1], strides: [1, 1], dilations: [1, 1], ceilMode: false, countIncludePad: true, accBits: 40 },
      { op: 'avgpool', name: 'avgpool2', out: 'a2', input: 'c1', kernel: [2, 2], pads: [0, 0, 1, 0], strides: [2, 1], dilations: [1, 1], ceilMode: false, countIncludePad: false, accBits: 40 },
      { op: 'add', name: 'add1', out: 'ad1', a: 'a1', b: 'k1' },
      { op: 'scalarMul', name: 'scale1', out: 'sm1', input: 'ad1', factor: -77, accBits: 40 },
      { op: 'reshape', name: 'flatten1', out: 'f1', input: 'm1' },
      { op: 'matmul', name: 'fc1', out: 'y', a: 'f1', b: 'w2', bias: 'b2', accBits: 40 },
      { op: 'reshape', name: 'reshape2', out: 'f2', input: 'sm1' },
      { op: 'transpose', name: 'transpose1', out: 't2', input: 'f2' },
      { op: 'matmul', name: 'gram', out: 'g', a: 'f2', b: 't2', accBits: 60 },
      { op: 'transpose', name: 'transpose2', out: 'z', input: 'g' },
      { op: 'reshape', name: 'flatten2', out: 'f3', input: 'a2' },
      { op: 'add', name: 'add2', out: 'h', a: 'k2', b: 'f3' },
      { op: 'add', name: 'add3', out: 'h2', a: 'h', b: 'f3' },
    ],
    hash: '0'.repeat(64),
  } as QuantizedModel;
}

/** A random input for the all-ops model (scale 2^8, small so nothing overflows 24 bits). */
export function createAllOpsInput(seed = 11): Record<string, number[]> {
  const random = createIntegerPrng(seed);
  return { x: Array.from({ length: 50 }, () => random(-256, 256)) };
}
