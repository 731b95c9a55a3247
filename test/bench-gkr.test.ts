/**
 * The harness's sumcheck/GKR part (issue 10, items 5 and 6) on fixture data: the micro summary's
 * ratios, the 4× verdict (holds / does-not-hold / not judged below n = 256), the 200× verdict's
 * whole-prover reading, the Table II gkr rows and their off-chain statement, the on-chain gas
 * estimate's arithmetic, and the native matmul baseline. Made-up numbers with a known shape,
 * never measurements.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { measureGkrInference } from '../src/bench/micro/measureGkrInference.ts';
import { measureGkrOps } from '../src/bench/micro/measureGkrOps.ts';
import { buildGkrOneOpModel } from '../src/bench/micro/buildGkrOneOpModel.ts';
import { loadGkrProver } from '../src/zk/loadGkrProver.ts';
import { suite as microSuite } from '../src/bench/suites/micro.ts';
import { loadBenchModel } from '../src/bench/table2/loadBenchModel.ts';
import { measureGkrModel } from '../src/bench/table2/measureGkrModel.ts';
import { createMeasurement } from '../src/bench/createMeasurement.ts';
import { gkrMultiplicationVerdict, withGkrTable2Readings } from '../src/bench/gkrVerdicts.ts';
import { multiplyIntegerMatrices } from '../src/bench/micro/multiplyIntegerMatrices.ts';
import { gkrMatMulOperands, measureGkrMatMul } from '../src/bench/micro/measureGkrMatMul.ts';
import { summarizeGkrMicro } from '../src/bench/micro/summarizeGkrMicro.ts';
import { summarizeTable2Run } from '../src/bench/suites/shared/summarizeTable2Run.ts';
import { suite as table2 } from '../src/bench/suites/table2.ts';
import { renderGkrTable } from '../src/bench/table2/renderGkrTable.ts';
import type { Table2Data } from '../src/bench/table2Data.ts';
import type { Measurement, RunResults, Verdict } from '../src/bench/types.ts';
import { microVerdicts } from '../src/bench/verdicts.ts';
import { describeGkrOpenings, estimateGkrVerifierGas } from '../src/zk/onchain/estimateGkrVerifierGas.ts';

const timing = (metric: string, labels: Record<string, string | number>, median: number): Measurement =>
  ({ ...createMeasurement({ metric, labels, unit: 'ms', kind: 'timing', samples: [median * 0.9, median, median * 1.5] }), median });

/** A matmul ladder where the protocol costs `protocolOverEngine(n)` times the engine's product. */
function matmulFixture(protocolOverEngine: (n: number) => number): Measurement[] {
  const m: Measurement[] = [];
  for (const n of [64, 128, 256, 512]) {
    const engine = n ** 3 * 1e-6;
    m.push(timing('gkrNativeTime', { op: 'gkr-matmul', n, baseline: 'engine' }, engine));
    m.push(timing('gkrNativeTime', { op: 'gkr-matmul', n, baseline: 'onnxruntime' }, engine / 4));
    m.push(timing('gkrProveTime', { op: 'gkr-matmul', n, part: 'protocol' }, engine * protocolOverEngine(n)));
    m.push(timing('gkrProveTime', { op: 'gkr-matmul', n, part: 'prove-no-commit' }, engine * (1 + protocolOverEngine(n))));
    m.push(timing('gkrProveTime', { op: 'gkr-matmul', n, part: 'prove-with-commit' }, engine * 10));
  }
  return m;
}

/** ReLU lookups at 0.5 µs each + a 4 ms table, MACs at 0.05 µs; a whole model 50× onnxruntime. */
function opsAndModelFixture(): Measurement[] {
  const m: Measurement[] = [];
  for (const n of [1024, 4096, 16384]) {
    m.push(timing('gkrProveTime', { op: 'gkr-relu', n, part: 'protocol' }, 4 + 0.5e-3 * n));
    m.push(timing('gkrProveTime', { op: 'gkr-dot', n, part: 'protocol' }, 1 + 0.05e-3 * n));
  }
  const model = { op: 'gkr-model', model: 'mnist-mlp-784-56-10' };
  m.push(timing('gkrProveTime', { ...model, part: 'prove-with-commit' }, 80), timing('gkrProveTime', { ...model, part: 'protocol' }, 20));
  m.push(timing('gkrNativeTime', { ...model, baseline: 'onnxruntime' }, 0.4), timing('gkrNativeTime', { ...model, baseline: 'engine' }, 0.2));
  return m;
}

const results = (measurements: Measurement[]) => ({ measurements }) as Pick<RunResults, 'measurements'>;
const withDerived = (measurements: Measurement[]) => {
  const derived = summarizeGkrMicro({ results: results(measurements) });
  return { derived, all: { measurements: [...measurements, ...derived] } as RunResults };
};

describe('gkr micro summary', () => {
  it('divides the median prover time by the median native time of the same product, per n, part and baseline', () => {
    const { derived } = withDerived(matmulFixture((n) => 512 / n));
    const ratio = (n: number, part: string, baseline: string) => derived.find((m) => m.metric === 'gkrMatMulOverhead' && m.labels.n === n && m.labels.part === part && m.labels.baseline === baseline)?.value;
    expect(ratio(256, 'protocol', 'engine')).toBeCloseTo(2, 12);
    expect(ratio(512, 'protocol', 'engine')).toBeCloseTo(1, 12);
    expect(ratio(512, 'protocol', 'onnxruntime')).toBeCloseTo(4, 12);
    expect(ratio(64, 'prove-no-commit', 'engine')).toBeCloseTo(9, 12);
    expect(derived.filter((m) => m.metric === 'gkrMatMulOverhead')).toHaveLength(4 * 3 * 2);
  });

  it('fits ReLU-by-lookup and MAC per op over N (the table falls into the intercept) and divides them', () => {
    const { derived } = withDerived(opsAndModelFixture());
    expect(derived.find((m) => m.metric === 'gkrMarginalTime' && m.labels.op === 'gkr-relu')!.value).toBeCloseTo(500, 6); // 0.5 µs = 500 ns
    expect(derived.find((m) => m.metric === 'gkrReluOverMac')!.value).toBeCloseTo(10, 9);
    const model = (part: string, baseline: string) => derived.find((m) => m.metric === 'gkrModelOverNative' && m.labels.part === part && m.labels.baseline === baseline)?.value;
    expect(model('prove-with-commit', 'onnxruntime')).toBeCloseTo(200, 9);
    expect(model('protocol', 'engine')).toBeCloseTo(100, 9);
  });
});

describe('gkr in the overhead chart', () => {
  it('plots the matmul ladder\'s largest n and the whole model beside the R1CS ratios, and ReLU-lookup / MAC', async () => {
    const { buildCharts } = await import('../src/bench/buildCharts.ts');
    const { syntheticResults } = await import('./bench-fixtures.ts');
    const { all } = withDerived([...matmulFixture((n) => 512 / n), ...opsAndModelFixture()]);
    const chart = buildCharts({ results: syntheticResults({ measurements: all.measurements }) }).find((c) => c.name === 'overhead-ratios')!;
    const [overhead, relu] = (chart.spec as { hconcat: Array<{ layer: Array<{ data: { values: Array<Record<string, unknown>> } }> }> }).hconcat.map((panel) => panel.layer[0]!.data.values);
    expect(overhead!.map((v) => [v.op, v.prover, v.baseline])).toEqual([
      ['matmul 512×512', 'gkr (no commitment)', 'engine'], ['matmul 512×512', 'gkr (no commitment)', 'onnxruntime'],
      ['whole mnist-mlp-784-56-10', 'gkr (with commitment)', 'onnxruntime'], ['whole mnist-mlp-784-56-10', 'gkr (with commitment)', 'engine'],
    ]);
    expect(relu!.map((v) => [v.relu, Math.round(v.ratio as number)])).toEqual([['lookup (gkr)', 10]]);
  });
});

describe('gkr verdicts', () => {
  const base: Verdict = { claim: 'AI-critical operations like multiplication incur a 4× overhead', source: 's', status: 'untestable', measured: 'R1CS figures.', reading: 'R1CS reading.' };

  it('4×: holds when every ratio at n ≥ 256 is within 4×, whatever the smaller n', () => {
    const { all } = withDerived(matmulFixture((n) => 1024 / n)); // 16, 8, 4, 2
    const verdict = gkrMultiplicationVerdict(base, all);
    expect(verdict.status).toBe('holds');
    expect(verdict.reading).toContain('the claim holds (unit: prover time without the commitment; baseline: the engine\'s integer matmul of the same matrices; at n ≥ 256): the largest ratio is 4× at n=256');
    expect(verdict.measured).toContain('n=64 16×, n=128 8×, n=256 4×, n=512 2×');
    expect(verdict.reading).toContain('For Groth16 and PLONK: R1CS reading.');
  });

  it('4×: does not hold when a ratio at n ≥ 256 exceeds 4×', () => {
    const { all } = withDerived(matmulFixture((n) => (n === 512 ? 4.5 : 1)));
    const verdict = gkrMultiplicationVerdict(base, all);
    expect(verdict.status).toBe('does-not-hold');
    expect(verdict.reading).toContain('the ratio reaches 4.5× at n=512, beyond 4×');
  });

  it('4×: not judged when the ladder stops below n = 256, and untouched without the gkr ladder', () => {
    const small = matmulFixture(() => 2).filter((m) => Number(m.labels.n) < 256);
    const verdict = gkrMultiplicationVerdict(base, withDerived(small).all);
    expect(verdict.status).toBe('untestable');
    expect(verdict.reading).toContain('stopped at n=128, below n=256');
    expect(gkrMultiplicationVerdict(base, results([]))).toEqual(base);
  });

  it('200×: adds the whole-prover / native reading and the ReLU-lookup / MAC ratio next to the R1CS one', () => {
    const { all } = withDerived(opsAndModelFixture());
    const [, relu] = microVerdicts({ results: all });
    expect(relu!.measured).toContain('marginal protocol time per ReLU (a LogUp lookup) / per multiply-accumulate: 10×');
    expect(relu!.measured).toContain('Whole gkr prover / native inference for mnist-mlp-784-56-10: with commitment / onnxruntime 200×, protocol only / onnxruntime 50×, with commitment / engine 400×.');
    expect(relu!.reading).toContain('the gkr prover with its commitment is 200× for mnist-mlp-784-56-10 (within 200×) against onnxruntime');
    // No R1CS ReLU data: the gkr reading decides.
    expect(relu!.status).toBe('holds');
  });
});

const settings = table2.resolveSettings({ models: 'ref', ladder: 'w8,w16', 'reference-model': 'ref', 'cheats-model': 'ref', 'time-limit': '60', 'memory-cap': '1024' });

function table2Fixture(): Measurement[] {
  const count = (metric: string, labels: Record<string, string | number>, value: number, note?: string) => createMeasurement({ metric, labels, unit: 'x', kind: 'deterministic', value, note });
  const one = (metric: string, labels: Record<string, string | number>, value: number) => createMeasurement({ metric, labels, unit: 'ms', kind: 'timing', samples: [value] });
  const info = (metric: string, labels: Record<string, string | number>, value: number, note?: string) => createMeasurement({ metric, labels, unit: 'x', kind: 'info', value, note });
  const m: Measurement[] = [count('parameters', { model: 'ref' }, 100), one('opmlExecuteTime', { model: 'ref' }, 40), count('constraints', { model: 'ref' }, 1224), one('proveTime', { model: 'ref', system: 'groth16' }, 490)];
  for (const model of ['ref', 'w8']) {
    const g = { model, system: 'gkr' };
    m.push(info('setupTime', g, 12), one('witnessTime', g, 1), one('proveTime', g, 30), one('gkrProtocolTime', g, 8), one('verifyTime', g, 6), count('proofBytes', g, 150_000),
      count('gkrCommittedElements', g, 4096), count('gkrSumcheckRounds', g, 120), info('attempt', { model, path: 'gkr' }, 1, 'completed'));
  }
  m.push(info('gkrVerifierGasEstimate', { model: 'ref', system: 'gkr' }, 9_000_000, 'estimate, not deployed: a Solidity verifier would need about 9,000,000 gas per proof (…); parts calldata 1'));
  m.push(count('gkrTamperRejected', { model: 'ref', system: 'gkr', tamper: 'proof-bit-flipped@10', where: 'native' }, 1), count('gkrTamperRejected', { model: 'ref', system: 'gkr', tamper: 'wrong-output', where: 'native' }, 1));
  m.push(info('attemptParameters', { model: 'w8', path: 'zkML' }, 6370), info('attempt', { model: 'w8', path: 'zkML' }, 1), one('proveTime', { model: 'w8', system: 'groth16' }, 900));
  m.push(info('attempt', { model: 'w16', path: 'zkML' }, 0, 'over the memory cap'), info('attemptParameters', { model: 'w16', path: 'gkr' }, 12730), info('attempt', { model: 'w16', path: 'gkr' }, 0, 'over the time limit of 60 s'));
  return m;
}

describe('gkr in Table II', () => {
  const summary = summarizeTable2Run({ results: { measurements: table2Fixture(), settings } as unknown as RunResults, settings });
  const data = summary.sections!.table2 as Table2Data;

  it('gives each model row its gkr figures beside Groth16, and the prover\'s size limit', () => {
    expect(data.models.find((r) => r.model === 'ref')!.gkr).toEqual({ status: 'proved', proveMs: 30, setupMs: 12, witnessMs: 1, protocolMs: 8, verifyMs: 6, proofBytes: 150_000, committedElements: 4096, sumcheckRounds: 120, verifierGasEstimate: 9_000_000 });
    expect(data.models.find((r) => r.model === 'ref')!.zkml?.proveMs).toBe(490);
    expect(data.models.find((r) => r.model === 'w16')!.gkr).toEqual({ status: 'failed', failure: 'over the time limit of 60 s' });
    expect(data.gkr?.sizeLimit).toEqual({ largest: 'w8', largestParameters: 6370, failedAt: 'w16', failure: 'over the time limit of 60 s' });
    expect(data.gkr?.tampering?.map((t) => [t.tamper, t.rejected])).toEqual([['proof-bit-flipped@10', true], ['wrong-output', true]]);
  });

  it('says plainly that gkr proofs are verified off-chain, and why', () => {
    expect(data.gkr?.onChain).toMatchObject({ verified: 'off-chain', gasEstimate: 9_000_000, model: 'ref' });
    expect(data.gkr?.onChain.reason).toBe('for the gkr proof of ref, a Solidity verifier would need about 9,000,000 gas per proof (…)');
    const markdown = summary.sections!.reportMarkdown as string;
    expect(markdown).toContain('; gkr proofs are verified off-chain here: for the gkr proof of ref, a Solidity verifier would need about 9,000,000 gas per proof');
    expect(markdown).toContain('### The sumcheck/GKR prover (gkr) beside Groth16');
    expect(markdown).toContain('| ref | 100 | 490 ms | 12 ms | 30 ms | 8 ms | 6 ms | 146 KiB | 4,096 | 120 |');
    expect(markdown).toContain('Forgeries of the gkr proof of ref: 2/2 rejected (proof-bit-flipped, wrong-output).');
    expect(renderGkrTable({ data: { ...data, gkr: undefined } })).toBe('');
  });

  it('charts the gkr prove time against model size beside the other paths', async () => {
    const { buildCharts } = await import('../src/bench/buildCharts.ts');
    const { syntheticResults } = await import('./bench-fixtures.ts');
    const charts = buildCharts({ results: syntheticResults({ suite: 'table2', measurements: table2Fixture(), sections: summary.sections! }) });
    const cost = charts.find((chart) => chart.name === 'cost-vs-model-size')!.spec as { data: { values: Array<{ model: string; series: string; value: number }> } };
    expect(cost.data.values.filter((v) => v.series === 'zkML gkr prove (sumcheck/GKR, with commitment)').map((v) => [v.model, v.value])).toEqual([['ref', 30], ['w8', 30]]);
  });

  it('adds the gkr readings to the Model Size, Computation, Storage and Security verdicts', () => {
    const [size, computation, storage, , security] = summary.verdicts!;
    expect(size!.measured).toContain('Sumcheck/GKR prover (gkr): largest proved on the ladder w8 (6,370 parameters); next (w16) failed: over the time limit of 60 s.');
    expect(computation!.measured).toContain('ref: gkr prove / opML execute = 0.75×');
    expect(computation!.reading).toContain('With the gkr prover the proof costs no more than the opML execution for ref');
    expect(storage!.measured).toContain('gkr: proof 150,000 bytes; gkr proofs are verified off-chain here');
    expect(security!.measured).toContain('gkr: forgeries rejected 2/2 (natively).');
    expect(withGkrTable2Readings({ verdicts: summary.verdicts!, data: { ...data, gkr: undefined } })).toEqual(summary.verdicts);
  });
});

describe('on-chain estimate for a gkr proof', () => {
  const opening = { columnOpenings: 148, rowsPerColumn: 64, combinedRows: 3, messageLength: 256, codewordLength: 1024 };

  it('adds calldata, SHA-256 Merkle paths and Goldilocks arithmetic at EVM prices', () => {
    const estimate = estimateGkrVerifierGas({ proofBytes: 120_000, openings: [opening], sumcheckRounds: 100, publicElements: 794 });
    // Calldata 16/byte; a column: leaf SHA-256 of 512 bytes (60 + 12·16 + 100) and 10 levels of 184.
    expect(estimate.parts.calldata).toBe(1_920_000);
    expect(estimate.parts.leafHashes).toBe(148 * 352);
    expect(estimate.parts.merklePaths).toBe(148 * 10 * 184);
    // The three row checks folded by β: coefficient vectors 3 · 64, then one inner product per column.
    expect(estimate.parts.columnChecks).toBe(3 * 64 * 110 + 148 * 64 * 80);
    // The folded row (3 · 256) and its codeword at 148 positions: one NTT of 1,024 points (512 · 10 butterflies of 120 gas) beats 148 · 256 direct evaluations.
    expect(estimate.parts.codewords).toBe(3 * 256 * 110 + Math.min(148 * 256 * 80, 512 * 10 * 120));
    expect(estimate.totalGas).toBe(Object.values(estimate.parts).reduce((a, b) => a + b, 0));
    expect(estimate.withinBudget).toBe(estimate.totalGas <= 5_000_000);
    expect(estimate.summary).toMatch(/^a Solidity verifier would need about [\d,]+ gas per proof \(estimate, not deployed: 120,000 bytes of calldata/);
  });

  it('pays the EIP-7623 calldata floor when the execution is cheap', () => {
    const estimate = estimateGkrVerifierGas({ proofBytes: 1_000_000, openings: [], sumcheckRounds: 0, publicElements: 0 });
    expect(estimate.totalGas).toBe(21_000 + 40 * 1_000_000);
    expect(estimate.withinBudget).toBe(false);
  });

  it('finds the opening shapes inside a proof object by their fields', () => {
    const proof = { layers: [{ rounds: [] }], opening: { proximityRow: new Uint32Array(4 * 256), evaluationRows: [new Uint32Array(4), new Uint32Array(4)], columnLength: 64, columns: new Uint32Array(2 * 64 * 148), merkleSiblings: new Uint8Array(32) } };
    // The code's blow-up from a commitment shape with the same k and M (here 1/4), else rate 1/2.
    expect(describeGkrOpenings({ proof, context: { weights: { shape: { logMessageLength: 8, logBlowup: 2, rowCount: 64, polynomials: [] } } } })).toEqual([opening]);
    expect(describeGkrOpenings({ proof })).toEqual([{ ...opening, codewordLength: 512 }]);
    expect(describeGkrOpenings({ proof: { nothing: 1 } })).toEqual([]);
  });
});

describe('native matmul baseline', () => {
  it('computes the exact integer product with the engine\'s kernel', () => {
    const { a, b } = gkrMatMulOperands({ n: 8, seed: 7 });
    const c = multiplyIntegerMatrices({ a, b, n: 8 });
    for (let i = 0; i < 8; i++)
      for (let j = 0; j < 8; j++) {
        let sum = 0n;
        for (let k = 0; k < 8; k++) sum += BigInt(a[i * 8 + k]!) * BigInt(b[k * 8 + j]!);
        expect(c[i * 8 + j]).toBe(Number(sum));
      }
    expect(Math.max(...a.map(Math.abs))).toBeLessThanOrEqual(2 ** 15);
  });
});

describe('the ladder past the zoo', () => {
  it('writes mlp-w2048 like the zoo\'s ladder models, once, outside models/', async () => {
    const { writeWideMlp } = await import('../src/bench/table2/writeWideMlp.ts');
    const cacheDir = mkdtempSync(join(tmpdir(), 'opzk-wide-'));
    const written = writeWideMlp({ width: 2048, cacheDir });
    expect(written).toEqual({ name: 'mlp-w2048', file: join(cacheDir, 'mlp-w2048.onnx') });
    expect(writeWideMlp({ width: 2048, cacheDir })).toEqual(written);
    const loaded = loadBenchModel({ model: written.file });
    expect([loaded.name, loaded.parameters, loaded.macs]).toEqual(['mlp-w2048', 784 * 2048 + 2048 + 2048 * 10 + 10, 784 * 2048 + 2048 * 10]);
    expect(loaded.model.layers.map((layer) => layer.op)).toEqual(['matmul', 'relu', 'matmul']);
    expect(() => table2.resolveSettings({ 'gkr-beyond': '1000' })).toThrow(/--gkr-beyond '1000' is not a power of two above 1024/);
    expect(() => table2.resolveSettings({ 'gkr-beyond': '32768' })).toThrow(/mlp-w32768's first weight has 784 × 32768 elements, more than the importer's 16777216/);
  });
});

describe('gkr micro items and the table2 gkr path, measured for real (tiny)', () => {
  const microSettings = microSuite.resolveSettings({ 'quiet-wait-s': '0', 'gkr-samples': '1', 'native-time-ms': '10' });
  const names = (measurements: Measurement[]) => measurements.map((m) => m.name);
  const value = (measurements: Measurement[], name: string) => measurements.find((m) => m.name === name)?.value;

  it('times the matmul ladder (n = 4, 8) natively and in the prover, its product checked against the engine', async () => {
    const { measurements } = await measureGkrMatMul({ ladder: [4, 8], settings: microSettings, cacheDir: mkdtempSync(join(tmpdir(), 'opzk-gkr-matmul-')) });
    for (const n of [4, 8]) {
      for (const baseline of ['engine', 'engine-in-prover', 'onnxruntime']) expect(names(measurements)).toContain(`gkrNativeTime{baseline=${baseline},n=${n},op=gkr-matmul}`);
      for (const part of ['protocol', 'prove-no-commit']) expect(measurements.find((m) => m.name === `gkrProveTime{n=${n},op=gkr-matmul,part=${part}}`)).toMatchObject({ unit: 'ms', kind: 'timing', samples: 1 });
    }
    // One sumcheck round per bit of n, 52 bytes each on top of 52.
    expect([4, 8].map((n) => [value(measurements, `gkrSumcheckRounds{n=${n},op=gkr-matmul}`), value(measurements, `gkrProofBytes{commit=no,n=${n},op=gkr-matmul}`)])).toEqual([[2, 156], [3, 208]]);
    const derived = summarizeGkrMicro({ results: { measurements } });
    expect(derived.filter((m) => m.metric === 'gkrMatMulOverhead').map((m) => m.name)).toContain('gkrMatMulOverhead{baseline=engine,n=8,op=gkr-matmul,part=protocol}');
  });

  it('times ReLU-by-lookup and MAC one-op models over N and one whole model against native inference', async () => {
    const ops = (await measureGkrOps({ ladder: [16, 32], settings: microSettings })).measurements;
    expect(names(ops).filter((name) => name.startsWith('gkrProveTime')).length).toBe(2 * 2 * 3);
    // The prover's own proofs of the same models, serialized: what the harness must report.
    const prover = await loadGkrProver();
    const expectedBytes = ['gkr-relu', 'gkr-dot'].flatMap((op) => [16, 32].map((n) => {
      const built = buildGkrOneOpModel({ op: op as 'gkr-relu' | 'gkr-dot', n, scaleBits: 8, valueBits: 16, seed: 7 });
      return prover.serializeGkrProof(prover.proveGkr({ key: prover.setupGkrModel({ model: built.model }), inputs: built.inputs }).proof).length;
    }));
    expect(['gkr-relu', 'gkr-dot'].flatMap((op) => [16, 32].map((n) => value(ops, `gkrProofBytes{commit=yes,n=${n},op=${op}}`)))).toEqual(expectedBytes);
    expect(expectedBytes[1]).toBeGreaterThan(expectedBytes[0]!);
    const model = (await measureGkrInference({ model: 'linreg', settings: microSettings })).measurements;
    expect(names(model)).toEqual(expect.arrayContaining([
      'gkrProveTime{model=linreg,op=gkr-model,part=prove-with-commit}', 'gkrProveTime{model=linreg,op=gkr-model,part=protocol}',
      'gkrNativeTime{baseline=onnxruntime,model=linreg,op=gkr-model}', 'gkrNativeTime{baseline=engine,model=linreg,op=gkr-model}', 'gkrSetupTime{model=linreg,op=gkr-model}',
    ]));
    expect([value(model, 'gkrProofBytes{model=linreg,op=gkr-model}'), value(model, 'gkrCommittedElements{model=linreg,op=gkr-model}'), value(model, 'gkrLookups{model=linreg,op=gkr-model}')]).toEqual([11_157, 258, 1]);
    const derived = summarizeGkrMicro({ results: { measurements: [...ops, ...model] } });
    // (The ReLU / MAC ratio needs both slopes above the noise, which two tiny N do not promise.)
    expect(derived.filter((m) => m.metric === 'gkrMarginalTime').map((m) => m.name)).toEqual(expect.arrayContaining(['gkrMarginalTime{op=gkr-relu,part=protocol}', 'gkrMarginalTime{op=gkr-dot,part=protocol}']));
    expect(derived.filter((m) => m.metric === 'gkrModelOverNative')).toHaveLength(2 * 2); // with and without the commitment, against onnxruntime and the engine
  });

  it('proves a Table II row with gkr: sizes, forgeries rejected, and the on-chain estimate', async () => {
    const { measurements } = await measureGkrModel({ loaded: loadBenchModel({ model: 'linreg' }) });
    expect(value(measurements, 'proofBytes{model=linreg,system=gkr}')).toBe(11_157);
    expect(value(measurements, 'gkrSumcheckRounds{model=linreg,system=gkr}')).toBe(31);
    const forgeries = measurements.filter((m) => m.metric === 'gkrTamperRejected');
    expect(forgeries.map((m) => String(m.labels.tamper).replace(/@\d+$/, ''))).toEqual([...Array(8).fill('proof-bit-flipped'), 'wrong-output', 'wrong-input']);
    expect(forgeries.every((m) => m.value === 1)).toBe(true);
    expect(measurements.find((m) => m.metric === 'gkrVerifierGasEstimate')?.note).toMatch(/^estimate, not deployed: a Solidity verifier would need about [\d,]+ gas per proof/);
  });
});
