/**
 * The micro suite: its ladder, its integer reference, its summary (marginal cost by least
 * squares on the median per N, ratios) and verdicts on synthetic data, the Table II verdicts on
 * the documented data shape, and one tiny real op measured end to end over a two-point ladder
 * (exact counts only; the warm curve is gone afterwards).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { autoLadder, suite as microSuite } from '../src/bench/suites/micro.ts';
import { referenceOutputs } from '../src/bench/micro/prepareMicroCircuit.ts';
import { measureMicroOp } from '../src/bench/micro/measureMicroOp.ts';
import { summarizeMicro } from '../src/bench/micro/summarizeMicro.ts';
import { buildOneOpModel } from '../src/bench/micro/buildOneOpModel.ts';
import { createEngine } from '../src/engine/createEngine.ts';
import { MICRO_OPS, median, systemsFor } from '../src/bench/micro/microOps.ts';
import { microVerdicts, table2Verdicts } from '../src/bench/verdicts.ts';
import { createMeasurement } from '../src/bench/createMeasurement.ts';
import type { Measurement } from '../src/bench/types.ts';
import { syntheticResults, syntheticTable2 } from './bench-fixtures.ts';

// No waiting for a quiet machine in tests: other test files run beside this one.
const settings = microSuite.resolveSettings({ ladder: '2,4', samples: '2', 'proof-systems': 'groth16', 'quiet-wait-s': '0' });

describe('micro settings and ladder', () => {
  it('fills every default and validates options', () => {
    expect(microSuite.resolveSettings({})).toMatchObject({
      maxConstraints: 16384, ladderPoints: 5, plonkMaxConstraints: 4096, scaleBits: 8, valueBits: 16, samples: 3, quietWaitS: 120, proofSystems: ['groth16', 'plonk'],
    });
    expect(settings.ladder).toEqual([2, 4]);
    expect(settings.quietWaitS).toBe(0);
    expect(() => microSuite.resolveSettings({ 'quiet-wait-s': '-1' })).toThrow(/--quiet-wait-s '-1' is not a non-negative integer/);
    expect(() => microSuite.resolveSettings({ 'plonk-max-constraints': '0' })).toThrow(/--plonk-max-constraints '0' is not a positive integer/);
    expect(() => microSuite.resolveSettings({ ops: 'mul,gelu' })).toThrow(/unknown op 'gelu'/);
    expect(() => microSuite.resolveSettings({ ladder: '8' })).toThrow(/at least two different N/);
    expect(() => microSuite.resolveSettings({ 'scale-bits': '16', 'value-bits': '8' })).toThrow(/scale-bits < value-bits/);
  });

  it('chooses per-op N so the biggest circuit fits the constraint budget', () => {
    expect(autoLadder({ fixed: 0, perOp: 1, maxConstraints: 2048, points: 3 })).toEqual([512, 1024, 2048]);
    expect(autoLadder({ fixed: 0, perOp: 25, maxConstraints: 2048, points: 3 })).toEqual([16, 32, 64]);
    expect(autoLadder({ fixed: 0, perOp: 517, maxConstraints: 2048, points: 3 })).toEqual([1, 2, 4]);
    // The defaults: 5 points under 16,384 constraints (fixed-mul: 25 per op + 0 fixed; relu-full: 517).
    expect(autoLadder({ fixed: 0, perOp: 25, maxConstraints: 16384, points: 5 })).toEqual([32, 64, 128, 256, 512]);
    expect(autoLadder({ fixed: 0, perOp: 517, maxConstraints: 16384, points: 5 })).toEqual([1, 2, 4, 8, 16]);
  });

  it('proves with PLONK only the circuits up to plonkMaxConstraints', () => {
    const defaults = microSuite.resolveSettings({});
    expect(systemsFor(defaults, 4096)).toEqual(['groth16', 'plonk']);
    expect(systemsFor(defaults, 4097)).toEqual(['groth16']);
    expect(systemsFor({ ...defaults, plonkMaxConstraints: undefined }, 1e6)).toEqual(['groth16', 'plonk']);
    expect(systemsFor(settings, 2)).toEqual(['groth16']);
  });

  it('lists one work item per op, its whole ladder in the id', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'opzk-micro-items-'));
    const items = await microSuite.listWorkItems(microSuite.resolveSettings({ ops: 'mul,relu-full', 'max-constraints': '2100', 'ladder-points': '3' }), { cacheDir });
    expect(items.map((item) => [item.id, item.label])).toEqual([
      ['mul/n=512,1024,2048', 'mul n=512…2048'],
      ['relu-full/n=1,2,4', 'relu-full n=1…4'],
      // The sumcheck/GKR prover's part, by default: the matmul ladder, the ReLU/MAC one-op models, one whole model.
      ['gkr-matmul/n=32,64,128,256,512', 'gkr matmul n=32…512'],
      ['gkr-ops/n=1024,4096,16384', 'gkr relu/dot n=1024…16384'],
      ['gkr-model/mnist-mlp-784-56-10', 'gkr mnist-mlp-784-56-10'],
    ]);
  });
});

describe('integer reference and native models', () => {
  it('computes the fixed-point outputs of docs/fixed-point.md', () => {
    const s = { ...settings, scaleBits: 8 };
    expect(referenceOutputs('mul', { a: [3, -4], b: [5, 6] }, s)).toEqual([15n, -24n]);
    // rescale(x) = floor((x + 128) / 256): 384 → 2 (tie up), -384 → -1, 100 → 0
    expect(referenceOutputs('fixed-mul', { a: [16, -16, 10], b: [24, 24, 10] }, s)).toEqual([2n, -1n, 0n]);
    expect(referenceOutputs('dot', { a: [16, 16], b: [16, 16] }, s)).toEqual([2n]);
    expect(referenceOutputs('relu-8', { a: [-5, 0, 7] }, s)).toEqual([0n, 0n, 7n]);
  });

  it('runs the engine baseline models to the same integers', () => {
    const dot = createEngine({ model: buildOneOpModel({ op: 'dot', n: 2, scaleBits: 8, valueBits: 16 })! });
    expect(dot.run({ a: [16, 16], b: [16, 16] }).outputs[0]!.data).toEqual([2]);
    const fixed = createEngine({ model: buildOneOpModel({ op: 'fixed-mul', n: 3, scaleBits: 8, valueBits: 16 })! });
    expect(fixed.run({ a: [16, -16, 10], b: [24, 24, 10] }).outputs[0]!.data).toEqual([2, -1, 0]);
    expect(buildOneOpModel({ op: 'mul', n: 2, scaleBits: 8, valueBits: 16 })).toBeUndefined();
  });

  it('computes sigmoid, tanh and softmax-8 as the engine does (the tables of docs/fixed-point.md)', () => {
    const s = { ...settings, scaleBits: 8, valueBits: 16 };
    // Past and at the clamps: σ(−8.004) = σ(−8) → knot 0 = round(σ(−8)·256) = 0; σ(0) = 128; tanh(±4) → ±256·0.99933 → ±256.
    expect(referenceOutputs('sigmoid', { a: [-2049, -2048, 0, 256, 2047, 2048, 32767] }, s)).toEqual([0n, 0n, 128n, 187n, 256n, 256n, 256n]);
    expect(referenceOutputs('tanh', { a: [-32768, -1024, 0, 64, 1023, 1024] }, s)).toEqual([-256n, -256n, 0n, 63n, 256n, 256n]);
    // A row of equal values: 256/8 = 32 each; one dominant value takes (almost) everything.
    expect(referenceOutputs('softmax-8', { a: [5, 5, 5, 5, 5, 5, 5, 5, 4096, 0, 0, 0, 0, 0, 0, 0] }, s)).toEqual([...Array(8).fill(32n), 256n, ...Array(7).fill(0n)]);
    for (const op of ['sigmoid', 'tanh', 'softmax-8'] as const) {
      const values = MICRO_OPS[op].inputs(4, s);
      const engine = createEngine({ model: buildOneOpModel({ op, n: 4, scaleBits: 8, valueBits: 16 })! });
      expect(engine.run({ x: values.a }).outputs[0]!.data.map(BigInt), op).toEqual(referenceOutputs(op, values, s));
    }
  });

  it('generates inputs that stay in range for the whole ladder', () => {
    for (const n of [1, 64, 4096]) {
      const { a, b } = MICRO_OPS.dot.inputs(n, settings);
      const [out] = referenceOutputs('dot', { a, b }, settings);
      expect(Math.abs(Number(out))).toBeLessThan(2 ** (settings.valueBits - 1));
    }
  });
});

/** Synthetic raw micro data on exact lines: constraints c·N + 2, times t·N + fixed. */
function syntheticMicro(): Measurement[] {
  const perOp: Record<string, { c: number; groth: number; plonk: number; js: number }> = {
    mul: { c: 1, groth: 0.01, plonk: 0.03, js: 2e-6 },
    'relu-16': { c: 17, groth: 0.1, plonk: 0.9, js: 2e-6 },
    'relu-full': { c: 517, groth: 3, plonk: 40, js: 2e-6 },
  };
  const measurements: Measurement[] = [];
  for (const [op, cost] of Object.entries(perOp)) {
    for (const n of [4, 8, 16]) {
      measurements.push(createMeasurement({ metric: 'constraints', labels: { op, n }, unit: 'constraints', kind: 'deterministic', value: cost.c * n + 2 }));
      measurements.push(createMeasurement({ metric: 'proveTime', labels: { op, n, system: 'groth16' }, unit: 'ms', kind: 'timing', value: 50 + cost.groth * n }));
      measurements.push(createMeasurement({ metric: 'proveTime', labels: { op, n, system: 'plonk' }, unit: 'ms', kind: 'timing', value: 90 + cost.plonk * n }));
      measurements.push(createMeasurement({ metric: 'nativeTime', labels: { op, n, system: 'js-float' }, unit: 'ms', kind: 'timing', value: 1e-4 + cost.js * n }));
    }
  }
  return measurements;
}

describe('micro summary and verdicts', () => {
  const results = syntheticResults({ measurements: syntheticMicro() });
  const derived = summarizeMicro({ results });
  const find = (metric: string, labels: Record<string, string>) =>
    derived.find((m) => m.metric === metric && Object.entries(labels).every(([k, v]) => m.labels[k] === v));

  it('fits the marginal cost per op (fixed costs cancel)', () => {
    expect(find('marginalConstraints', { op: 'relu-full' })).toMatchObject({ value: 517, standardError: 0, samples: 3, unit: 'constraints/op' });
    expect(find('marginalTime', { op: 'mul', system: 'groth16' })!.value).toBeCloseTo(10_000, 6); // 0.01 ms = 10,000 ns
    expect(find('marginalTime', { op: 'mul', system: 'js-float' })!.value).toBeCloseTo(2, 6);
  });

  it('fits a timing on its median per N where one is recorded', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    // Medians on the line 10 + 2·N; the means are thrown off by one slow sample at N = 16.
    const points = [4, 8, 16].map((n) => ({
      ...createMeasurement({ metric: 'proveTime', labels: { op: 'mul', n, system: 'groth16' }, unit: 'ms', kind: 'timing', samples: [10 + 2 * n, 10 + 2 * n, n === 16 ? 500 : 10 + 2 * n] }),
      median: 10 + 2 * n,
    }));
    const fitted = summarizeMicro({ results: syntheticResults({ measurements: points }) }).find((m) => m.metric === 'marginalTime')!;
    expect(fitted.value).toBeCloseTo(2e6, 3); // 2 ms per op = 2,000,000 ns
    expect(fitted.note).toContain("slope of the proveTime's median over N = 4, 8, 16");
  });

  it('computes ReLU / multiply and prove / native ratios', () => {
    expect(find('reluOverMultiply', { relu: 'relu-16', versus: 'mul', measure: 'constraints' })).toMatchObject({ value: 17, kind: 'deterministic' });
    expect(find('reluOverMultiply', { relu: 'relu-full', versus: 'mul', measure: 'constraints' })!.value).toBe(517);
    expect(find('reluOverMultiply', { relu: 'relu-full', versus: 'mul', measure: 'groth16' })!.value).toBeCloseTo(300, 6);
    expect(find('overheadVsNative', { op: 'mul', prover: 'groth16', baseline: 'js-float' })!.value).toBeCloseTo(5000, 4);
  });

  it('states under which unit the 200× claim holds and where it does not', () => {
    const [mul, relu] = microVerdicts({ results: { ...results, measurements: [...results.measurements, ...derived] } });
    expect(mul!.status).toBe('untestable');
    expect(mul!.reading).toContain('sumcheck');
    expect(relu!.status).toBe('depends');
    expect(relu!.measured).toContain('ReLU / multiplication in constraints: relu-16 17×, relu-full 517×.');
    expect(relu!.reading).toContain('"up to 200×" holds for relu-16');
    expect(relu!.reading).toContain('It does not hold for relu-full');
    expect(relu!.reading).toContain('Groth16 prove time relative to a multiplication the ratio is within 200× for relu-16 and beyond it for relu-full');
  });

  it('says no-data when the micro suite did not run', () => {
    expect(microVerdicts({ results: syntheticResults({ measurements: [] }) }).map((v) => v.status)).toEqual(['no-data', 'no-data']);
  });
});

describe('Table II verdicts', () => {
  it('judges every row from the documented data shape', () => {
    const verdicts = table2Verdicts({ data: syntheticTable2 });
    expect(verdicts.map((v) => [v.claim.split(':')[0], v.status])).toEqual([
      ['Model size', 'depends'],
      ['Computation', 'holds'],
      // Fewer bytes for opML, but more gas (its synthetic phases are not marked dispute-only): depends.
      ['Storage', 'depends'],
      ['Finality', 'depends'],
      ['Security', 'depends'],
      ['Mechanism', 'holds'],
      ['Proof', 'holds'],
    ]);
    expect(verdicts[1]!.measured).toBe('tiny: zk prove / opML execute = 4,000×; mlp: zk prove / opML execute = 4,500×.');
    expect(verdicts[2]!.reading).toContain('In gas the order reverses: opML\'s 640,000 against zkML\'s 230,000');
    expect(verdicts[6]!.measured).toBe('opML: a fraud proof, only when a result is challenged — the measured dispute took 9 rounds down to one step, re-executed on-chain for 150,000 gas. zkML: a validity proof with every result, verified on-chain for 230,000 gas.');
    expect(verdicts[2]!.measured).toContain('Total on-chain bytes: opML 96, zkML 320.');
  });

  it('says no-data for rows without data', () => {
    const verdicts = table2Verdicts({ data: { models: [], gas: [], storage: [] } });
    expect(verdicts.every((v) => v.status === 'no-data')).toBe(true);
  });
});

describe('non-linear operations beyond ReLU in the 200× verdict', () => {
  const raw = syntheticMicro();
  for (const [op, c, groth] of [['sigmoid', 188, 1.2], ['tanh', 124, 0.8], ['softmax-8', 1234, 9]] as const)
    for (const n of [4, 8, 16]) {
      raw.push(createMeasurement({ metric: 'constraints', labels: { op, n }, unit: 'constraints', kind: 'deterministic', value: c * n + 2 }));
      raw.push(createMeasurement({ metric: 'proveTime', labels: { op, n, system: 'groth16' }, unit: 'ms', kind: 'timing', value: 50 + groth * n }));
      raw.push(createMeasurement({ metric: 'nativeTime', labels: { op, n, system: 'js-float' }, unit: 'ms', kind: 'timing', value: 1e-4 + 2e-5 * n }));
    }
  const results = syntheticResults({ measurements: raw });
  const derived = summarizeMicro({ results });

  it('derives sigmoid, tanh, softmax / multiply (and / ReLU-16) in constraints and prove time', () => {
    const find = (labels: Record<string, string>) => derived.find((m) => m.metric === 'nonLinearOverMultiply' && Object.entries(labels).every(([k, v]) => m.labels[k] === v));
    expect(find({ op: 'sigmoid', versus: 'mul', measure: 'constraints' })).toMatchObject({ kind: 'deterministic' });
    expect(find({ op: 'sigmoid', versus: 'mul', measure: 'constraints' })!.value).toBeCloseTo(188, 9);
    expect(find({ op: 'softmax-8', versus: 'mul', measure: 'constraints' })!.value).toBeCloseTo(1234, 9);
    expect(find({ op: 'tanh', versus: 'relu-16', measure: 'constraints' })!.value).toBeCloseTo(124 / 17, 9);
    expect(find({ op: 'sigmoid', versus: 'mul', measure: 'groth16' })!.value).toBeCloseTo(120, 6);
  });

  it('the verdict names them: within 200× of a multiplication for sigmoid and tanh, beyond it for a softmax row', () => {
    const [, verdict] = microVerdicts({ results: { ...results, measurements: [...raw, ...derived] } });
    expect(verdict!.status).toBe('depends');
    expect(verdict!.measured).toContain('constraints per op sigmoid 188 constraints/op, tanh 124 constraints/op, softmax-8 1234 constraints/op');
    expect(verdict!.measured).toContain('Per multiplication in constraints: sigmoid 188×, tanh 124×, softmax-8 1234×; per 16-bit ReLU: sigmoid 11.06×');
    expect(verdict!.reading).toContain('"up to 200×" holds for sigmoid, tanh; it does not hold for softmax-8, beyond 200× (softmax-8 154.3× per element of its row)');
    const none = microVerdicts({ results: syntheticResults({ measurements: [] }) })[1]!;
    expect(none.status).toBe('no-data');
  });
});

describe('micro op, measured for real (tiny)', () => {
  it('sigmoid, tanh and softmax-8 at N = 1 and 2: the circuit equals the reference, exact constraints, native baselines run', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'opzk-micro-smooth-'));
    const tiny = { ...settings, samples: 1, nativeTimeMs: 20 };
    const constraints: Record<string, number[]> = {};
    for (const op of ['sigmoid', 'tanh', 'softmax-8'] as const) {
      const { measurements } = await measureMicroOp({ op, ladder: [1, 2], settings: tiny, cacheDir, native: true });
      constraints[op] = [1, 2].map((n) => measurements.find((m) => m.name === `constraints{n=${n},op=${op}}`)!.value);
      for (const system of ['js-float', 'engine', 'onnxruntime'])
        expect(measurements.find((m) => m.metric === 'nativeTime' && m.labels.system === system && m.labels.n === 2), `${op} ${system}`).toBeDefined();
      expect(measurements.find((m) => m.name === `proveTime{n=2,op=${op},system=groth16}`)).toMatchObject({ unit: 'ms', kind: 'timing' });
    }
    // No fixed cost: 188 per sigmoid, 124 per tanh, 1,286 per softmax over 8 values (s = 8, v = 16).
    expect(constraints).toEqual({ sigmoid: [188, 376], tanh: [124, 248], 'softmax-8': [1286, 2572] });
  }, 600_000);


  it('compiles, checks the witness against the reference and proves mul at N = 2 and 4 on one warm curve, then terminates it', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'opzk-micro-'));
    const { measurements, quiet } = await measureMicroOp({ op: 'mul', ladder: [2, 4], settings, cacheDir, native: false });
    const find = (name: string) => measurements.find((m) => m.name === name);
    expect(find('constraints{n=2,op=mul}')?.value).toBe(2);
    expect(find('constraints{n=4,op=mul}')?.value).toBe(4);
    expect(find('proofBytes{n=4,op=mul,system=groth16}')?.value).toBe(256);
    const prove = find('proveTime{n=2,op=mul,system=groth16}')!;
    expect(prove).toMatchObject({ unit: 'ms', kind: 'timing', samples: 2 });
    // The median of two samples is their mean.
    expect(prove.median).toBeCloseTo(prove.value, 9);
    expect(find('witnessTime{n=4,op=mul}')).toMatchObject({ samples: 2 });
    expect(measurements.some((m) => m.metric === 'nativeTime')).toBe(false);
    // With no waiting budget nothing is retaken; contended samples are only counted.
    expect(quiet.retakes).toBe(0);
    expect(find('retakenSamples{op=mul}')?.value).toBe(0);
    expect(find('contendedSamples{op=mul}')?.value).toBe(quiet.contended);
    expect((globalThis as { curve_bn128?: unknown }).curve_bn128 ?? null).toBeNull();
  });
});
