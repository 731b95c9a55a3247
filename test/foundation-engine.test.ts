/**
 * The fixed-point engine against docs/fixed-point.md on models written in code: exact integers
 * (rescale floor semantics, bias fusion, avgpool rounding, Gemm lowering), determinism, overflow
 * errors, the BigInt path, and agreement of createEngine's reused buffers with runEngine.
 */
import { describe, expect, it } from 'vitest';
import { createEngine } from '../src/engine/createEngine.ts';
import { dequantize } from '../src/engine/dequantize.ts';
import { rescale } from '../src/engine/rescale.ts';
import { runEngine } from '../src/engine/runEngine.ts';
import { OverflowError, UsageError } from '../src/errors.ts';
import { DataType } from '../src/onnx/types.ts';
import { quantizeInputs } from '../src/quant/quantizeInputs.ts';
import { quantizeModel } from '../src/quant/quantizeModel.ts';
import { createTempDir, writeMatMulModel, writeModel } from './foundation-helpers.ts';

const dir = createTempDir();

describe('rescale', () => {
  it('rounds to nearest with ties toward +∞, as a floor shift for negatives', () => {
    expect(rescale({ value: -129, scaleBits: 8 })).toBe(-1);
    expect(rescale({ value: -128, scaleBits: 8 })).toBe(0);
    expect(rescale({ value: -384, scaleBits: 8 })).toBe(-1);
    expect(rescale({ value: -385, scaleBits: 8 })).toBe(-2);
    expect(rescale({ value: 127, scaleBits: 8 })).toBe(0);
    expect(rescale({ value: 128, scaleBits: 8 })).toBe(1);
    expect(rescale({ value: -3, scaleBits: 1 })).toBe(-1);
    expect(rescale({ value: -129n, scaleBits: 8 })).toBe(-1n);
    expect(rescale({ value: -385n, scaleBits: 8 })).toBe(-2n);
  });

  it('is what the engine does to a negative accumulator (x · 1/256 with x = -129)', () => {
    const file = writeMatMulModel(dir, 'identity-over-256', [[1 / 256, 1 / 256, 2 / 256]]);
    const model = quantizeModel({ file, scaleBits: 8, valueBits: 16 });
    expect(model.constants.W!.data).toEqual([1, 1, 2]);
    for (const x of [-129, -128, -385, 129, 128, 127]) {
      const { outputs } = runEngine({ model, inputs: { x: [x] } });
      expect(outputs[0]!.data).toEqual([rescale({ value: x, scaleBits: 8 }), rescale({ value: x, scaleBits: 8 }), rescale({ value: 2 * x, scaleBits: 8 })]);
    }
    expect(runEngine({ model, inputs: { x: [-129] } }).outputs[0]!.data).toEqual([-1, -1, -1]);
  });
});

describe('matmul + bias', () => {
  const file = writeMatMulModel(dir, 'mlp-layer', [[0.5, -1.25], [2, 0.125], [-0.75, 1]], [0.1, -0.3]);

  it('fuses MatMul+Add(constant) into a bias at scale 2s and computes exact integers', () => {
    const model = quantizeModel({ file, scaleBits: 8, valueBits: 16 });
    expect(model.layers).toHaveLength(1);
    const layer = model.layers[0]!;
    expect(layer).toMatchObject({ op: 'matmul', a: 'x', b: 'W', bias: 'b', out: 'y' });
    expect(model.constants.W).toEqual({ dims: [3, 2], data: [128, -320, 512, 32, -192, 256], scaleExp: 1 });
    expect(model.constants.b).toEqual({ dims: [2], data: [Math.floor(0.1 * 65536 + 0.5), Math.floor(-0.3 * 65536 + 0.5)], scaleExp: 2 });
    // Bound, per output column: Σ|w| · 2^15 + |bias| + 2^7 = max(832 · 2^15 + 6554, 608 · 2^15 + 19661) + 128.
    const bound = Math.max(832 * 2 ** 15 + 6554, 608 * 2 ** 15 + 19661) + 128;
    expect(layer.op === 'matmul' && layer.accBits).toBe(bound.toString(2).length);
    const inputs = quantizeInputs({ model, inputs: { x: [1, -0.5, 0.25] } });
    expect(inputs.x).toEqual([256, -128, 64]);
    const acc0 = 256 * 128 + -128 * 512 + 64 * -192 + 6554;
    const acc1 = 256 * -320 + -128 * 32 + 64 * 256 - 19661;
    const { outputs } = runEngine({ model, inputs });
    expect(outputs[0]).toEqual({ name: 'y', dims: [1, 2], data: [Math.floor((acc0 + 128) / 256), Math.floor((acc1 + 128) / 256)] });
    expect(dequantize({ data: outputs[0]!.data, scaleBits: 8 })).toEqual(outputs[0]!.data.map((v) => v / 256));
  });

  it('is deterministic: same hash for the same file and settings, same integers on every run', () => {
    const a = quantizeModel({ file, scaleBits: 8, valueBits: 16 });
    const b = quantizeModel({ file, scaleBits: 8, valueBits: 16 });
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(b.hash).toBe(a.hash);
    expect(quantizeModel({ file, scaleBits: 9, valueBits: 16 }).hash).not.toBe(a.hash);
    const engine = createEngine({ model: a });
    const inputs = quantizeInputs({ model: a, inputs: { x: [0.3, -0.7, 0.9] } });
    const first = engine.run(inputs).outputs[0]!.data;
    engine.run(quantizeInputs({ model: a, inputs: { x: [-0.1, 0.2, 0.3] } }));
    expect(engine.run(inputs).outputs[0]!.data).toEqual(first);
    expect(runEngine({ model: b, inputs }).outputs[0]!.data).toEqual(first);
  });

  it('reports an overflow naming the layer, tensor, flat index, value and range', () => {
    const model = quantizeModel({ file, scaleBits: 8, valueBits: 12 });
    // x[1] = 7 → 7 · 2.125 ≈ 14.9 > 2^3 = 8 (the 12-bit range at scale 2^8 is [-8, 8)).
    const inputs = quantizeInputs({ model, inputs: { x: [0, 7, 0] } });
    let error: unknown;
    try {
      runEngine({ model, inputs });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OverflowError);
    const overflow = error as OverflowError;
    const value = Math.floor((1792 * 512 + 6554 + 128) / 256);
    expect(overflow.details).toMatchObject({ layer: 'mm', tensor: 'y', index: 0, value, min: -2048, max: 2047 });
    expect(overflow.message).toContain(`layer 'mm'`);
    expect(overflow.message).toContain(`element 0 = ${value}`);
    expect(overflow.message).toContain('[-2048, 2047]');
  });

  it('refuses out-of-range and non-integer engine inputs', () => {
    const model = quantizeModel({ file, scaleBits: 8, valueBits: 12 });
    expect(() => runEngine({ model, inputs: { x: [0, 2048, 0] } })).toThrow(OverflowError);
    expect(() => runEngine({ model, inputs: { x: [0, 1.5, 0] } })).toThrow(UsageError);
    expect(() => quantizeInputs({ model, inputs: { x: [0, 9, 0] } })).toThrow(/input 'x' element 1 = 9 quantizes to 2304/);
  });
});

describe('BigInt path', () => {
  it('switches to BigInt when a layer can exceed 2^52 and stays exact', () => {
    // Activation × activation: bound K · 2^(2(v-1)) = 2 · 2^78 → accBits 80.
    const file = writeModel(dir, 'act-act', {
      inputs: [{ name: 'a', dims: [1, 2] }, { name: 'b', dims: [2, 1] }],
      outputs: [{ name: 'y', dims: [1, 1] }],
      nodes: [{ opType: 'MatMul', name: 'aa', inputs: ['a', 'b'], outputs: ['y'] }],
    });
    const model = quantizeModel({ file, scaleBits: 20, valueBits: 40 });
    const layer = model.layers[0]!;
    expect(layer.op === 'matmul' && layer.accBits).toBe(80);
    // acc = (2^39 - 1)·2^20 - (2^19 + 1) = 2^59 - 2^20 - 2^19 - 1 needs 59 bits: float64 would round it
    // to 2^59 - 2^20 - 2^19 and rescale to 2^39 - 1; the exact answer is one less.
    const a = [2 ** 39 - 1, -(2 ** 19 + 1)];
    const b = [2 ** 20, 1];
    const exact = BigInt(a[0]!) * BigInt(b[0]!) + BigInt(a[1]!) * BigInt(b[1]!);
    expect((exact + (1n << 19n)) >> 20n).toBe(2n ** 39n - 2n);
    expect(Math.floor((a[0]! * b[0]! + a[1]! * b[1]! + 2 ** 19) / 2 ** 20)).toBe(2 ** 39 - 1);
    expect(runEngine({ model, inputs: { a, b } }).outputs[0]!.data).toEqual([2 ** 39 - 2]);
    // And a product that leaves the range is an OverflowError, not a wrapped value.
    expect(() => runEngine({ model, inputs: { a: [2 ** 39 - 1, 0], b: [2 ** 39 - 1, 0] } })).toThrow(OverflowError);
  });
});

describe('pools and Gemm lowering', () => {
  it('average pool rounds (S + floor(c/2)) / c with floor, negatives included', () => {
    const file = writeModel(dir, 'avgpool', {
      inputs: [{ name: 'x', dims: [1, 1, 1, 4] }],
      outputs: [{ name: 'y', dims: [1, 1, 1, 2] }],
      nodes: [{ opType: 'AveragePool', name: 'pool', inputs: ['x'], outputs: ['y'], attributes: { kernel_shape: [1, 2], strides: [1, 2] } }],
    });
    const model = quantizeModel({ file });
    expect(runEngine({ model, inputs: { x: [1, 2, -1, -2] } }).outputs[0]!.data).toEqual([2, -1]);
    expect(runEngine({ model, inputs: { x: [-3, 0, 5, 6] } }).outputs[0]!.data).toEqual([-1, 6]);
  });

  it('max pool never lets padding win', () => {
    const file = writeModel(dir, 'maxpool', {
      inputs: [{ name: 'x', dims: [1, 1, 2, 2] }],
      outputs: [{ name: 'y', dims: [1, 1, 2, 2] }],
      nodes: [{ opType: 'MaxPool', name: 'pool', inputs: ['x'], outputs: ['y'], attributes: { kernel_shape: [2, 2], pads: [1, 1, 0, 0] } }],
    });
    const model = quantizeModel({ file });
    expect(runEngine({ model, inputs: { x: [-5, -7, -9, -3] } }).outputs[0]!.data).toEqual([-5, -5, -5, -3]);
  });

  it('lowers Gemm transA/transB/alpha/beta with an activation C', () => {
    const file = writeModel(dir, 'gemm', {
      inputs: [{ name: 'a', dims: [2, 1] }, { name: 'c', dims: [1, 2] }],
      outputs: [{ name: 'y', dims: [1, 2] }],
      initializers: [{ name: 'B', dims: [2, 2], data: [1, 2, 3, 4] }],
      nodes: [{ opType: 'Gemm', name: 'g', inputs: ['a', 'B', 'c'], outputs: ['y'], attributes: { transA: 1, transB: 1, alpha: 0.5, beta: 2 } }],
    });
    const model = quantizeModel({ file, scaleBits: 8, valueBits: 16 });
    expect(model.layers.map((l) => l.op)).toEqual(['transpose', 'matmul', 'scalarMul', 'add']);
    // alpha folded into the constant B (transposed): round(0.5 · Bᵀ · 256).
    const matmul = model.layers[1]!;
    expect(matmul.op === 'matmul' && model.constants[matmul.b]!.data).toEqual([128, 384, 256, 512]);
    const inputs = quantizeInputs({ model, inputs: { a: [1, -2], c: [0.25, -0.5] } });
    // y = 0.5 · aᵀ Bᵀ + 2c = 0.5 · [1·1 - 2·2, 1·3 - 2·4] + [0.5, -1] = [-1, -3.5].
    expect(dequantize({ data: runEngine({ model, inputs }).outputs[0]!.data, scaleBits: 8 })).toEqual([-1, -3.5]);
  });
});

describe('float64 and BigInt paths agree', () => {
  it('gives the same integers for conv, avgpool, matmul and scalarMul on either path', () => {
    let state = 42;
    const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
    const file = writeModel(dir, 'paths', {
      inputs: [{ name: 'x', dims: [1, 2, 6, 6] }, { name: 'z', dims: [18, 2] }],
      outputs: [{ name: 'y', dims: [1, 2] }],
      initializers: [
        { name: 'W', dims: [3, 2, 3, 3], data: Array.from({ length: 54 }, random) },
        { name: 'B', dims: [3], data: [0.5, -0.25, 0.125] },
        { name: 'shape', dims: [2], data: [1, -1], dataType: DataType.INT64 },
      ],
      nodes: [
        // c [1,3,3,5] → p [1,3,2,3] (ceil mode, last windows dropped) → f [1,18] → g = 0.75 · f × z.
        { opType: 'Conv', name: 'conv', inputs: ['x', 'W', 'B'], outputs: ['c'], attributes: { pads: [1, 0, 0, 1], strides: [2, 1] } },
        { opType: 'AveragePool', name: 'pool', inputs: ['c'], outputs: ['p'], attributes: { kernel_shape: [2, 2], pads: [1, 1, 1, 1], count_include_pad: 1, ceil_mode: 1, strides: [2, 2] } },
        { opType: 'Reshape', name: 'flat', inputs: ['p', 'shape'], outputs: ['f'] },
        { opType: 'Gemm', name: 'gemm', inputs: ['f', 'z'], outputs: ['g'], attributes: { alpha: 0.75 } },
        { opType: 'Relu', name: 'relu', inputs: ['g'], outputs: ['y'] },
      ],
    });
    const model = quantizeModel({ file, scaleBits: 8, valueBits: 16 });
    expect(model.layers.map((l) => l.op)).toEqual(['conv', 'avgpool', 'reshape', 'matmul', 'scalarMul', 'relu']);
    expect(model.tensors.p).toEqual([1, 3, 2, 3]);
    const accumulating = model.layers.filter((l) => 'accBits' in l);
    expect(accumulating.every((l) => 'accBits' in l && l.accBits <= 52)).toBe(true);
    const forcedBigInt = { ...model, layers: model.layers.map((l) => ('accBits' in l ? { ...l, accBits: 60 } : l)) };
    const float = createEngine({ model });
    const big = createEngine({ model: forcedBigInt });
    for (let trial = 0; trial < 5; trial++) {
      const inputs = quantizeInputs({ model, inputs: { x: Array.from({ length: 72 }, () => random() * 4), z: Array.from({ length: 36 }, random) } });
      const a = float.run(inputs, { keepIntermediates: true });
      const b = big.run(inputs, { keepIntermediates: true });
      expect(b.tensors).toEqual(a.tensors);
      expect(a.tensors!.c!.some((v) => v < 0)).toBe(true);
    }
  });
});
