/**
 * The engine's WebAssembly SIMD kernels against the reference semantics (docs/fixed-point.md):
 * the raw kernels against BigInt sums (random shapes, lane extremes, the i32 wrap that the bound
 * analysis exists to avoid, i64 sums just below 2^53), and whole layers — matmul and conv on
 * quantized models written in code, with weights at and past each kernel's bound — run three
 * ways: the SIMD engine, the scalar engine (`kernels: 'scalar'`) and an independent BigInt
 * reference written here. Outputs must be identical, and an overflow must be the same
 * OverflowError (layer, tensor, flat index, value) on every path. The zoo models run bit for bit
 * with both engines on sample digits and dense random inputs.
 */
import { describe, expect, it } from 'vitest';
import { createEngine } from '../src/engine/createEngine.ts';
import { instantiateDotKernels } from '../src/engine/wasm/loadDotKernels.ts';
import { OverflowError } from '../src/errors.ts';
import { quantizeInputs } from '../src/quant/quantizeInputs.ts';
import { quantizeModel } from '../src/quant/quantizeModel.ts';
import { QUANTIZED_MODEL_FORMAT, type QLayer, type QuantizedModel } from '../src/quant/types.ts';
import { createPrng } from '../src/zoo/createPrng.ts';
import { sampleInputs } from '../src/zoo/sampleInputs.ts';

const prng = createPrng({ seed: 13 });
/** Uniform integer in [low, high] (two 32-bit draws, so ranges past 2^32 are covered). */
const randomInt = (low: number, high: number) => Math.min(high, low + Math.floor((prng.next() + prng.next() * 2 ** -32) * (high - low + 1)));

describe('raw kernels', () => {
  it('dot_i16x8: Σ a·b as i32 for random shapes and lane extremes, wrapping mod 2^32 past the i32 range', () => {
    const kernels = instantiateDotKernels({ bytes: 1 << 20 })!;
    expect(kernels).toBeDefined();
    for (const [K, columns, rows] of [[1, 1, 1], [7, 3, 2], [8, 4, 1], [9, 5, 3], [100, 13, 2], [257, 9, 1]] as const) {
      const chunks = Math.ceil(K / 8);
      const groups = Math.ceil(columns / 4);
      const memory = new Int16Array(kernels.memory.buffer);
      memory.fill(0);
      const aAt = 0;
      const btAt = 65536;
      const outAt = 262144;
      const extreme = () => [-32768, 32767, -32767, 0, 1, -1][prng.int(6)]!;
      const a = Array.from({ length: rows * K }, () => (prng.next() < 0.5 ? extreme() : randomInt(-32768, 32767)));
      const b = Array.from({ length: columns * K }, () => (prng.next() < 0.5 ? extreme() : randomInt(-32768, 32767)));
      for (let r = 0; r < rows; r++) for (let k = 0; k < K; k++) memory[aAt / 2 + r * chunks * 8 + k] = a[r * K + k]!;
      for (let j = 0; j < columns; j++) for (let k = 0; k < K; k++) memory[btAt / 2 + j * chunks * 8 + k] = b[j * K + k]!;
      kernels.dotI16x8(aAt, btAt, outAt, chunks, groups, rows);
      const out = new Int32Array(kernels.memory.buffer, outAt, rows * groups * 4);
      for (let r = 0; r < rows; r++)
        for (let j = 0; j < columns; j++) {
          let sum = 0n;
          for (let k = 0; k < K; k++) sum += BigInt(a[r * K + k]!) * BigInt(b[j * K + k]!);
          expect(out[r * groups * 4 + j], `K=${K} row ${r} column ${j}`).toBe(Number(BigInt.asIntN(32, sum)));
        }
    }
  });

  it('dot_i16x8 wraps at exactly 2^31: why the i16 kernel needs L1(w) · 2^(v-1) < 2^31', () => {
    const kernels = instantiateDotKernels({ bytes: 65536 })!;
    const memory = new Int16Array(kernels.memory.buffer);
    memory.fill(0);
    memory.set([-32768, -32768], 0); // a
    memory.set([-32768, -32768], 8); // bt, column 0
    kernels.dotI16x8(0, 16, 64, 1, 1, 1);
    expect(new Int32Array(kernels.memory.buffer, 64, 1)[0]).toBe(-(2 ** 31)); // the true sum is +2^31
  });

  it('dot_i32x4: exact i64 sums handed over as f64, at i32 lane extremes and just below 2^53', () => {
    const kernels = instantiateDotKernels({ bytes: 1 << 20 })!;
    const cases: { a: number[]; b: number[]; K: number; columns: number; rows: number }[] = [];
    for (const [K, columns, rows] of [[1, 1, 1], [3, 2, 2], [4, 4, 1], [5, 7, 3], [61, 6, 2]] as const) {
      const a = Array.from({ length: rows * K }, () => randomInt(-(2 ** 31), 2 ** 31 - 1));
      // keep every column's L1 · 2^31 below 2^53: |b| < 2^22 / K
      const limit = Math.floor(2 ** 22 / K) - 1;
      const b = Array.from({ length: columns * K }, () => randomInt(-limit, limit));
      cases.push({ a, b, K, columns, rows });
    }
    // 2 · 2^31 · (2^21 - 1) = 2^53 - 2^32: the largest sum two lanes can give under a 2^53 bound
    cases.push({ a: [-(2 ** 31), -(2 ** 31)], b: [-(2 ** 21 - 1), -(2 ** 21 - 1), 2 ** 21 - 1, 2 ** 21 - 1], K: 2, columns: 2, rows: 1 });
    cases.push({ a: [2 ** 31 - 1, -(2 ** 31)], b: [2 ** 31 - 1, 2 ** 31 - 1], K: 2, columns: 1, rows: 1 });
    for (const { a, b, K, columns, rows } of cases) {
      const chunks = Math.ceil(K / 4);
      const groups = Math.ceil(columns / 4);
      const memory = new Int32Array(kernels.memory.buffer);
      memory.fill(0);
      for (let r = 0; r < rows; r++) for (let k = 0; k < K; k++) memory[r * chunks * 4 + k] = a[r * K + k]!;
      for (let j = 0; j < columns; j++) for (let k = 0; k < K; k++) memory[65536 / 4 + j * chunks * 4 + k] = b[j * K + k]!;
      kernels.dotI32x4(0, 65536, 262144, chunks, groups, rows);
      const out = new Float64Array(kernels.memory.buffer, 262144, rows * groups * 4);
      for (let r = 0; r < rows; r++)
        for (let j = 0; j < columns; j++) {
          let sum = 0n;
          for (let k = 0; k < K; k++) sum += BigInt(a[r * K + k]!) * BigInt(b[j * K + k]!);
          expect(Math.abs(Number(sum))).toBeLessThan(2 ** 53);
          expect(out[r * groups * 4 + j], `K=${K} row ${r} column ${j}`).toBe(Number(sum));
        }
    }
    // the last case: (2^31 - 1)² - 2^31 · (2^31 - 1) = -(2^31 - 1)
    expect(new Float64Array(kernels.memory.buffer, 262144, 1)[0]).toBe(-(2 ** 31 - 1));
  });
});

/** bits of the largest magnitude, as the quantizer's bound analysis records it. */
const bitsOf = (bound: bigint) => (bound === 0n ? 0 : bound.toString(2).length);

interface MatMulCase {
  M: number;
  K: number;
  N: number;
  /** [K, N] row-major, as QuantizedModel stores B. */
  weights: number[];
  bias?: number[];
  scaleBits: number;
  valueBits: number;
}

function matMulModel({ M, K, N, weights, bias, scaleBits, valueBits }: MatMulCase): QuantizedModel {
  let worst = 0n;
  for (let j = 0; j < N; j++) {
    let l1 = 0n;
    for (let k = 0; k < K; k++) l1 += BigInt(Math.abs(weights[k * N + j]!));
    const b = bias ? BigInt(Math.abs(bias[j]!)) : 0n;
    const bound = l1 * (1n << BigInt(valueBits - 1)) + b + (1n << BigInt(scaleBits - 1));
    if (bound > worst) worst = bound;
  }
  const layer: QLayer = { op: 'matmul', name: 'mm', out: 'y', a: 'x', b: 'W', ...(bias ? { bias: 'b' } : {}), accBits: bitsOf(worst) };
  return {
    format: QUANTIZED_MODEL_FORMAT, name: 'simd-matmul', source: { file: 'in code', sha256: '', opset: 13, producer: 'test' },
    scaleBits, valueBits,
    inputs: [{ name: 'x', dims: [M, K] }], outputs: [{ name: 'y', dims: [M, N] }],
    tensors: { x: [M, K], y: [M, N] },
    constants: { W: { dims: [K, N], data: weights, scaleExp: 1 }, ...(bias ? { b: { dims: [N], data: bias, scaleExp: 2 as const } } : {}) },
    layers: [layer], hash: 'test',
  };
}

type Outcome = { data: number[] } | { overflow: { index: number; value: string } };

function referenceMatMul({ M, K, N, weights, bias, scaleBits, valueBits }: MatMulCase, x: number[]): Outcome {
  const data: number[] = [];
  for (let i = 0; i < M; i++)
    for (let j = 0; j < N; j++) {
      let acc = bias ? BigInt(bias[j]!) : 0n;
      for (let k = 0; k < K; k++) acc += BigInt(x[i * K + k]!) * BigInt(weights[k * N + j]!);
      const q = (acc + (1n << BigInt(scaleBits - 1))) >> BigInt(scaleBits);
      if (q < -(1n << BigInt(valueBits - 1)) || q >= 1n << BigInt(valueBits - 1)) return { overflow: { index: i * N + j, value: q.toString() } };
      data.push(Number(q));
    }
  return { data };
}

function runOutcome(model: QuantizedModel, kernels: 'simd' | 'scalar', x: number[]): Outcome & { kernel?: string } {
  const engine = createEngine({ model, kernels });
  try {
    return { data: engine.run({ x }).outputs[0]!.data };
  } catch (error) {
    if (!(error instanceof OverflowError)) throw error;
    expect(error.details).toMatchObject({ layer: model.layers.at(-1)!.name, tensor: model.layers.at(-1)!.out });
    return { overflow: { index: error.details.index as number, value: String(error.details.value) } };
  }
}

/** Inputs that mix small values (outputs in range) with the range's extremes (overflows). */
function mixedInputs(count: number, valueBits: number, trials: number): number[][] {
  const min = -(2 ** (valueBits - 1));
  const max = 2 ** (valueBits - 1) - 1;
  const small = 2 ** Math.floor(valueBits / 2);
  const sets: number[][] = [Array(count).fill(min), Array(count).fill(max), Array.from({ length: count }, (_, i) => (i % 2 ? min : max))];
  for (let t = 0; t < trials; t++) {
    const kind = t % 3;
    sets.push(Array.from({ length: count }, () => (kind === 0 ? randomInt(-small, small) : kind === 1 ? randomInt(min, max) : [min, max, 0][prng.int(3)]!)));
  }
  return sets;
}

function expectSameEverywhere(model: QuantizedModel, reference: (x: number[]) => Outcome, inputs: number[][]): { inRange: number; overflows: number } {
  let inRange = 0;
  let overflows = 0;
  for (const x of inputs) {
    const expected = reference(x);
    expect(runOutcome(model, 'simd', x)).toEqual(expected);
    expect(runOutcome(model, 'scalar', x)).toEqual(expected);
    if ('data' in expected) inRange++;
    else overflows++;
  }
  return { inRange, overflows };
}

describe('matmul: the kernel the bound allows, and the same integers as the reference', () => {
  const kernelOf = (model: QuantizedModel) => createEngine({ model }).layerKernels.mm;

  it('i16x8 on random weights, K and N off the vector widths, three rows, both outcomes', () => {
    const c: MatMulCase = { M: 3, K: 100, N: 13, scaleBits: 12, valueBits: 16, weights: Array.from({ length: 1300 }, () => randomInt(-300, 300)), bias: Array.from({ length: 13 }, () => randomInt(-(2 ** 24), 2 ** 24)) };
    const model = matMulModel(c);
    expect(kernelOf(model)).toBe('i16x8');
    expect(createEngine({ model, kernels: 'scalar' }).layerKernels.mm).toBe('f64');
    const { inRange, overflows } = expectSameEverywhere(model, (x) => referenceMatMul(c, x), mixedInputs(300, 16, 30));
    expect(inRange).toBeGreaterThan(5);
    expect(overflows).toBeGreaterThan(0);
  });

  it('i16x8 at its edge (weights -32768 and 32767, L1 · 2^15 = 2^31 - 2^15), i32x4 one step past it', () => {
    const edge: MatMulCase = { M: 1, K: 2, N: 2, scaleBits: 15, valueBits: 16, weights: [-32768, 32767, 32767, -32768] };
    expect(kernelOf(matMulModel(edge))).toBe('i16x8');
    const corners = [[-32768, -32768], [-32768, 32767], [32767, -32768], [32767, 32767], [0, -32768], [1, -1]];
    expectSameEverywhere(matMulModel(edge), (x) => referenceMatMul(edge, x), corners);
    // L1 = 65536: the sum 2 · (-32768)² = 2^31 would wrap in i32 (the raw test above), so not i16x8.
    const past: MatMulCase = { ...edge, weights: [-32768, 0, -32768, 0] };
    expect(kernelOf(matMulModel(past))).toBe('i32x4');
    expect(expectSameEverywhere(matMulModel(past), (x) => referenceMatMul(past, x), corners).overflows).toBeGreaterThan(0);
  });

  it('i32x4 for weights past i16, and for valueBits 17–32', () => {
    const wide: MatMulCase = { M: 2, K: 37, N: 6, scaleBits: 15, valueBits: 16, weights: Array.from({ length: 222 }, () => randomInt(-(2 ** 20), 2 ** 20)) };
    expect(kernelOf(matMulModel(wide))).toBe('i32x4');
    expect(expectSameEverywhere(matMulModel(wide), (x) => referenceMatMul(wide, x), mixedInputs(74, 16, 30)).inRange).toBeGreaterThan(0);
    const v24: MatMulCase = { M: 1, K: 19, N: 5, scaleBits: 12, valueBits: 24, weights: Array.from({ length: 95 }, () => randomInt(-3000, 3000)), bias: [1, -2, 3, -4, 5] };
    expect(kernelOf(matMulModel(v24))).toBe('i32x4');
    expect(expectSameEverywhere(matMulModel(v24), (x) => referenceMatMul(v24, x), mixedInputs(19, 24, 30)).inRange).toBeGreaterThan(0);
  });

  it('accumulators near 2^53: i32x4 while accBits ≤ 52, the BigInt fallback one lane later', () => {
    // K = 2, |w| = 2^20 - 1, v = 32: bound 2 · (2^20 - 1) · 2^31 + 2^19 < 2^52 → 52 bits.
    const w = 2 ** 20 - 1;
    const near: MatMulCase = { M: 1, K: 2, N: 3, scaleBits: 20, valueBits: 32, weights: [w, -w, w, -w, w, -w] };
    const model = matMulModel(near);
    expect(model.layers[0]!.op === 'matmul' && model.layers[0]!.accBits).toBe(52);
    expect(kernelOf(model)).toBe('i32x4');
    const min = -(2 ** 31);
    const max = 2 ** 31 - 1;
    const { inRange, overflows } = expectSameEverywhere(model, (x) => referenceMatMul(near, x), [[min, min], [max, max], [min, max], [max, min], [max, max - 1], ...mixedInputs(2, 32, 20)]);
    expect(inRange).toBeGreaterThan(0);
    expect(overflows).toBeGreaterThan(0);
    const past: MatMulCase = { ...near, K: 3, weights: [w, -w, w, -w, w, -w, w, -w, w] };
    const pastLayer = matMulModel(past).layers[0]!;
    expect(pastLayer.op === 'matmul' && pastLayer.accBits).toBe(53);
    expect(kernelOf(matMulModel(past))).toBe('bigint');
    expectSameEverywhere(matMulModel(past), (x) => referenceMatMul(past, x), [[min, min, min], [max, min, max], [max, max, max], ...mixedInputs(3, 32, 20)]);
  });

  it('f64 when the operands do not fit i32 lanes (valueBits 36, or a weight of 2^31)', () => {
    const v36: MatMulCase = { M: 1, K: 5, N: 2, scaleBits: 8, valueBits: 36, weights: [1, -2, 3, -4, 5, -6, 7, -8, 9, -10] };
    expect(kernelOf(matMulModel(v36))).toBe('f64');
    expectSameEverywhere(matMulModel(v36), (x) => referenceMatMul(v36, x), mixedInputs(5, 36, 12));
    const big: MatMulCase = { M: 1, K: 2, N: 1, scaleBits: 4, valueBits: 8, weights: [2 ** 31, -3] };
    expect(kernelOf(matMulModel(big))).toBe('f64');
    expectSameEverywhere(matMulModel(big), (x) => referenceMatMul(big, x), mixedInputs(2, 8, 12));
  });
});

describe('matmul with batch dimensions: one kernel instance per batch of B, broadcast like numpy', () => {
  for (const bBatches of [1, 2]) {
    it(`A [2, 3, 11] × constant B [${bBatches === 2 ? '2, ' : ''}11, 6]`, () => {
      const [batches, M, K, N] = [2, 3, 11, 6];
      const weights = Array.from({ length: bBatches * K * N }, () => randomInt(-900, 900));
      const bDims = bBatches === 2 ? [2, K, N] : [K, N];
      const model: QuantizedModel = {
        ...matMulModel({ M, K, N, weights: weights.slice(0, K * N), scaleBits: 8, valueBits: 16 }),
        inputs: [{ name: 'x', dims: [batches, M, K] }], outputs: [{ name: 'y', dims: [batches, M, N] }],
        tensors: { x: [batches, M, K], y: [batches, M, N] },
        constants: { W: { dims: bDims, data: weights, scaleExp: 1 } },
      };
      (model.layers[0] as Extract<QLayer, { op: 'matmul' }>).accBits = 40;
      const engine = createEngine({ model });
      expect(engine.layerKernels.mm).toBe('i16x8');
      for (let trial = 0; trial < 5; trial++) {
        const x = Array.from({ length: batches * M * K }, () => randomInt(-400, 400));
        const expected: number[] = [];
        for (let b = 0; b < batches; b++) {
          const w = weights.slice((bBatches === 2 ? b : 0) * K * N, ((bBatches === 2 ? b : 0) + 1) * K * N);
          const r = referenceMatMul({ M, K, N, weights: w, scaleBits: 8, valueBits: 16 }, x.slice(b * M * K, (b + 1) * M * K));
          expected.push(...(r as { data: number[] }).data);
        }
        expect(engine.run({ x }).outputs[0]!.data).toEqual(expected);
        expect(createEngine({ model, kernels: 'scalar' }).run({ x }).outputs[0]!.data).toEqual(expected);
      }
    });
  }
});

describe('an operand outside the value range never reaches a kernel: the layer takes its float64 path', () => {
  it('matmul with a constant A of 100,000 and -70,000 (not range-checked: a constant) on i16x8 weights', () => {
    const a = [100000, -70000, 3, 32767];
    const weights = [5, -3, 7, 2, -1, 4, 0, 9];
    const model: QuantizedModel = {
      ...matMulModel({ M: 1, K: 4, N: 2, weights, scaleBits: 8, valueBits: 16 }),
      inputs: [], tensors: { y: [1, 2] },
    };
    model.constants.A = { dims: [1, 4], data: a, scaleExp: 1 };
    model.layers = [{ ...(model.layers[0] as Extract<QLayer, { op: 'matmul' }>), a: 'A' }];
    const simd = createEngine({ model });
    expect(simd.layerKernels.mm).toBe('i16x8');
    const expected = referenceMatMul({ M: 1, K: 4, N: 2, weights, scaleBits: 8, valueBits: 16 }, a);
    expect(expected).toEqual({ data: [Math.floor((100000 * 5 - 70000 * 7 + 3 * -1 + 32767 * 0 + 128) / 256), Math.floor((100000 * -3 - 70000 * 2 + 3 * 4 + 32767 * 9 + 128) / 256)] });
    expect(simd.run({}).outputs[0]!.data).toEqual((expected as { data: number[] }).data);
    expect(createEngine({ model, kernels: 'scalar' }).run({}).outputs[0]!.data).toEqual((expected as { data: number[] }).data);
  });

  it('conv over a constant input with values past 2^15', () => {
    const c: ConvCase = { batch: 1, C: 1, H: 3, W: 3, M: 2, kh: 2, kw: 2, pads: [0, 0, 0, 0], strides: [1, 1], dilations: [1, 1], scaleBits: 8, valueBits: 16, weights: [1, -1, 2, 0, 3, 1, -2, 1] };
    const x = [40000, 1, -40000, 2, 3, 4, 5, 6, 7];
    const model = convModel(c);
    model.inputs = [];
    model.constants.X = { dims: [1, 1, 3, 3], data: x, scaleExp: 1 };
    model.layers = [{ ...(model.layers[0] as Extract<QLayer, { op: 'conv' }>), input: 'X' }];
    delete model.tensors.x;
    const simd = createEngine({ model });
    expect(simd.layerKernels.conv).toBe('i16x8');
    const expected = referenceConv(c, x);
    expect('data' in expected).toBe(true);
    expect(simd.run({}).outputs[0]!.data).toEqual((expected as { data: number[] }).data);
  });
});

interface ConvCase {
  batch: number; C: number; H: number; W: number; M: number; kh: number; kw: number;
  pads: [number, number, number, number]; strides: [number, number]; dilations: [number, number];
  weights: number[]; bias?: number[]; scaleBits: number; valueBits: number;
}

const convOut = (c: ConvCase): [number, number] => [
  Math.floor((c.H + c.pads[0] + c.pads[2] - ((c.kh - 1) * c.dilations[0] + 1)) / c.strides[0]) + 1,
  Math.floor((c.W + c.pads[1] + c.pads[3] - ((c.kw - 1) * c.dilations[1] + 1)) / c.strides[1]) + 1,
];

function convModel(c: ConvCase): QuantizedModel {
  const taps = c.C * c.kh * c.kw;
  let worst = 0n;
  for (let m = 0; m < c.M; m++) {
    let l1 = 0n;
    for (let t = 0; t < taps; t++) l1 += BigInt(Math.abs(c.weights[m * taps + t]!));
    const bound = l1 * (1n << BigInt(c.valueBits - 1)) + (c.bias ? BigInt(Math.abs(c.bias[m]!)) : 0n) + (1n << BigInt(c.scaleBits - 1));
    if (bound > worst) worst = bound;
  }
  const [OH, OW] = convOut(c);
  const layer: QLayer = { op: 'conv', name: 'conv', out: 'y', input: 'x', weight: 'W', ...(c.bias ? { bias: 'b' } : {}), pads: c.pads, strides: c.strides, dilations: c.dilations, accBits: bitsOf(worst) };
  return {
    format: QUANTIZED_MODEL_FORMAT, name: 'simd-conv', source: { file: 'in code', sha256: '', opset: 13, producer: 'test' },
    scaleBits: c.scaleBits, valueBits: c.valueBits,
    inputs: [{ name: 'x', dims: [c.batch, c.C, c.H, c.W] }], outputs: [{ name: 'y', dims: [c.batch, c.M, OH, OW] }],
    tensors: { x: [c.batch, c.C, c.H, c.W], y: [c.batch, c.M, OH, OW] },
    constants: { W: { dims: [c.M, c.C, c.kh, c.kw], data: c.weights, scaleExp: 1 }, ...(c.bias ? { b: { dims: [c.M], data: c.bias, scaleExp: 2 as const } } : {}) },
    layers: [layer], hash: 'test',
  };
}

function referenceConv(c: ConvCase, x: number[]): Outcome {
  const [OH, OW] = convOut(c);
  const data: number[] = [];
  for (let n = 0; n < c.batch; n++)
    for (let m = 0; m < c.M; m++)
      for (let oy = 0; oy < OH; oy++)
        for (let ox = 0; ox < OW; ox++) {
          let acc = c.bias ? BigInt(c.bias[m]!) : 0n;
          for (let ch = 0; ch < c.C; ch++)
            for (let ky = 0; ky < c.kh; ky++)
              for (let kx = 0; kx < c.kw; kx++) {
                const iy = oy * c.strides[0] + ky * c.dilations[0] - c.pads[0];
                const ix = ox * c.strides[1] + kx * c.dilations[1] - c.pads[1];
                if (iy < 0 || iy >= c.H || ix < 0 || ix >= c.W) continue;
                acc += BigInt(x[((n * c.C + ch) * c.H + iy) * c.W + ix]!) * BigInt(c.weights[((m * c.C + ch) * c.kh + ky) * c.kw + kx]!);
              }
          const q = (acc + (1n << BigInt(c.scaleBits - 1))) >> BigInt(c.scaleBits);
          if (q < -(1n << BigInt(c.valueBits - 1)) || q >= 1n << BigInt(c.valueBits - 1)) return { overflow: { index: data.length, value: q.toString() } };
          data.push(Number(q));
        }
  return { data };
}

describe('conv (im2col on the SIMD kernels): padding, stride, dilation, channels, batch', () => {
  const base = { batch: 2, C: 2, H: 9, W: 7, M: 5, kh: 3, kw: 2, pads: [1, 0, 2, 1] as [number, number, number, number], strides: [2, 1] as [number, number], dilations: [1, 2] as [number, number] };
  const kernelOf = (model: QuantizedModel) => createEngine({ model }).layerKernels.conv;
  const size = base.batch * base.C * base.H * base.W;

  it('i16x8 with small weights, i32x4 with weights past i16, bigint past 2^52: the reference integers and overflows', () => {
    const small: ConvCase = { ...base, scaleBits: 9, valueBits: 16, weights: Array.from({ length: 60 }, () => randomInt(-500, 500)), bias: [7, -7, 2 ** 16, -(2 ** 16), 0] };
    expect(kernelOf(convModel(small))).toBe('i16x8');
    const counts = expectSameEverywhere(convModel(small), (x) => referenceConv(small, x), mixedInputs(size, 16, 24));
    expect(counts.inRange).toBeGreaterThan(0);
    expect(counts.overflows).toBeGreaterThan(0);
    const wide: ConvCase = { ...base, scaleBits: 15, valueBits: 16, weights: Array.from({ length: 60 }, () => randomInt(-(2 ** 17), 2 ** 17)) };
    expect(kernelOf(convModel(wide))).toBe('i32x4');
    expect(expectSameEverywhere(convModel(wide), (x) => referenceConv(wide, x), mixedInputs(size, 16, 24)).inRange).toBeGreaterThan(0);
    const huge: ConvCase = { ...base, scaleBits: 8, valueBits: 40, weights: Array.from({ length: 60 }, () => randomInt(-(2 ** 12), 2 ** 12)) };
    expect(kernelOf(convModel(huge))).toBe('bigint');
    expectSameEverywhere(convModel(huge), (x) => referenceConv(huge, x), mixedInputs(size, 40, 6));
  });

  it('a 1×1 conv without padding and a kernel as large as the padded input', () => {
    const pointwise: ConvCase = { batch: 1, C: 9, H: 3, W: 4, M: 6, kh: 1, kw: 1, pads: [0, 0, 0, 0], strides: [1, 1], dilations: [1, 1], scaleBits: 8, valueBits: 16, weights: Array.from({ length: 54 }, () => randomInt(-64, 64)) };
    expect(kernelOf(convModel(pointwise))).toBe('i16x8');
    expectSameEverywhere(convModel(pointwise), (x) => referenceConv(pointwise, x), mixedInputs(108, 16, 12));
    const whole: ConvCase = { batch: 1, C: 1, H: 3, W: 3, M: 2, kh: 5, kw: 5, pads: [1, 1, 1, 1], strides: [1, 1], dilations: [1, 1], scaleBits: 8, valueBits: 16, weights: Array.from({ length: 50 }, () => randomInt(-64, 64)) };
    expectSameEverywhere(convModel(whole), (x) => referenceConv(whole, x), mixedInputs(9, 16, 12));
  });
});

describe('zoo models: SIMD and scalar engines agree bit for bit', () => {
  for (const name of ['mnist-mlp-784-56-10', 'mnist-cnn', 'mnist-cnn-bn-sigmoid', 'mlp-w1024']) {
    it(`${name}: every matmul/conv on i16x8; digits and dense random inputs`, () => {
      const model = quantizeModel({ file: `models/${name}.onnx` });
      const simd = createEngine({ model });
      const scalar = createEngine({ model, kernels: 'scalar' });
      const dotLayers = model.layers.filter((l) => l.op === 'matmul' || l.op === 'conv').map((l) => l.name);
      expect(Object.keys(simd.layerKernels).sort()).toEqual([...dotLayers].sort());
      for (const layer of dotLayers) {
        expect(simd.layerKernels[layer]).toBe('i16x8');
        expect(scalar.layerKernels[layer]).toBe('f64');
      }
      const input = model.inputs[0]!;
      const digits = sampleInputs({ name, count: 5 }).map((sample) => Array.from(sample[input.name]!.data));
      const dense = Array.from({ length: 10 }, () => Array.from({ length: digits[0]!.length }, () => prng.next()));
      for (const x of [...digits, ...dense]) {
        const quantized = quantizeInputs({ model, inputs: { [input.name]: x } });
        const expected = scalar.run(quantized, { keepIntermediates: true });
        expect(simd.run(quantized, { keepIntermediates: true })).toEqual(expected);
      }
    });
  }
});

describe('kernel instances reused across engines of the same weights (reuseDotProducts)', () => {
  it('two engines of one model, runs interleaved, each gives its own input’s reference output', () => {
    const c: MatMulCase = { M: 1, K: 50, N: 7, scaleBits: 10, valueBits: 16, weights: Array.from({ length: 350 }, () => randomInt(-200, 200)) };
    const model = matMulModel(c);
    const first = createEngine({ model });
    const second = createEngine({ model });
    const inputs = Array.from({ length: 8 }, () => Array.from({ length: 50 }, () => randomInt(-300, 300)));
    for (let i = 0; i + 1 < inputs.length; i += 2) {
      const a = first.run({ x: inputs[i]! });
      const b = second.run({ x: inputs[i + 1]! });
      expect(a.outputs[0]!.data).toEqual((referenceMatMul(c, inputs[i]!) as { data: number[] }).data);
      expect(b.outputs[0]!.data).toEqual((referenceMatMul(c, inputs[i + 1]!) as { data: number[] }).data);
    }
  });

  it('a weight edited in place between two createEngine calls is used by the second engine', () => {
    const c: MatMulCase = { M: 1, K: 9, N: 3, scaleBits: 8, valueBits: 16, weights: Array.from({ length: 27 }, () => randomInt(-100, 100)) };
    const model = matMulModel(c);
    const x = Array.from({ length: 9 }, () => randomInt(-1000, 1000));
    expect(createEngine({ model }).run({ x }).outputs[0]!.data).toEqual((referenceMatMul(c, x) as { data: number[] }).data);
    model.constants.W!.data[4] = 1000; // c.weights is the same array
    const edited = createEngine({ model });
    expect(edited.layerKernels.mm).toBe('i16x8');
    expect(edited.run({ x }).outputs[0]!.data).toEqual((referenceMatMul(c, x) as { data: number[] }).data);
  });

  it('one weight constant in two convs of the same patch-matrix size but other geometry (6×6 valid, 5×5 padded at the end): separate patch tables', () => {
    const weights = [3, -1, 2, 5];
    const first: ConvCase = { batch: 1, C: 1, H: 6, W: 6, M: 1, kh: 2, kw: 2, pads: [0, 0, 0, 0], strides: [1, 1], dilations: [1, 1], scaleBits: 2, valueBits: 16, weights };
    const second: ConvCase = { ...first, H: 5, W: 5, pads: [0, 0, 1, 1] }; // 25 patches of 4 taps, like the first
    const model = convModel(first);
    model.layers.push({ op: 'conv', name: 'conv2', out: 'z', input: 'y', weight: 'W', pads: second.pads, strides: second.strides, dilations: second.dilations, accBits: model.layers[0]!.op === 'conv' ? model.layers[0]!.accBits : 0 });
    model.tensors.z = [1, 1, 5, 5];
    model.outputs = [{ name: 'z', dims: [1, 1, 5, 5] }];
    const engine = createEngine({ model });
    expect(engine.layerKernels).toEqual({ conv: 'i16x8', conv2: 'i16x8' });
    for (const x of mixedInputs(36, 8, 6)) {
      const y = referenceConv(first, x) as { data: number[] };
      expect(engine.run({ x }).outputs[0]!.data).toEqual((referenceConv(second, y.data) as { data: number[] }).data);
    }
  });
});
