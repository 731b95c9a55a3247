// The table2 suite's parts without a full run: the Table II data and the paper-style table from
// a fixed set of measurements (exact figures), the work items, and the child-process limits
// (a time limit and a memory cap end an attempt with a measured reason, not a crash).
import { describe, expect, it } from 'vitest';
import { buildCharts } from '../src/bench/buildCharts.ts';
import { createMeasurement } from '../src/bench/createMeasurement.ts';
import { summarizeTable2Run } from '../src/bench/suites/shared/summarizeTable2Run.ts';
import { measureAttempt } from '../src/bench/suites/shared/measureAttempt.ts';
import { suite as table2 } from '../src/bench/suites/table2.ts';
import { runAttempt } from '../src/bench/table2/runAttempt.ts';
import type { Table2Data } from '../src/bench/table2Data.ts';
import type { Measurement, RunResults } from '../src/bench/types.ts';

const count = (metric: string, labels: Record<string, string | number>, value: number, note?: string) =>
  createMeasurement({ metric, labels, unit: 'x', kind: 'deterministic', value, note });
const timing = (metric: string, labels: Record<string, string | number>, value: number) =>
  createMeasurement({ metric, labels, unit: 'ms', kind: 'timing', samples: [value] });
const info = (metric: string, labels: Record<string, string | number>, value: number, note?: string) =>
  createMeasurement({ metric, labels, unit: 'x', kind: 'info', value, note });

const settings = table2.resolveSettings({ models: 'ref', ladder: 'w8,w16,w32', 'reference-model': 'ref', 'cheats-model': 'ref', 'time-limit': '60', 'memory-cap': '1024' });

function fixture(): Measurement[] {
  const ref = { model: 'ref' };
  const sys = { model: 'ref', system: 'groth16' };
  const m: Measurement[] = [
    count('parameters', ref, 100), timing('nativeInferenceTime', ref, 0.5), timing('opmlExecuteTime', ref, 40), timing('opmlReexecuteTime', ref, 42),
    count('traceSteps', ref, 500), count('opmlGas', { ...ref, phase: 'request' }, 300_000), count('opmlGas', { ...ref, phase: 'submit' }, 200_000),
    count('opmlGas', { ...ref, phase: 'finalize' }, 100_000), count('opmlGas', { ...ref, phase: 'challenge' }, 150_000), count('opmlGas', { ...ref, phase: 'bisection' }, 400_000),
    count('opmlGas', { ...ref, phase: 'one-step' }, 110_000), count('opmlStorageBytes', ref, 608), count('opmlCalldataBytes', ref, 7_000),
    count('finalitySeconds', { ...ref, case: 'unchallenged' }, 3600), count('finalitySeconds', { ...ref, case: 'disputed-worst-case' }, 10_800),
    count('finalitySeconds', { ...ref, case: 'mainnet-unchallenged' }, 604_800), count('finalitySeconds', { ...ref, case: 'mainnet-disputed-worst-case' }, 1_209_600),
    count('disputeRounds', ref, 9), timing('disputeWallTime', ref, 2000),
    count('cheatCaught', { ...ref, cheat: 'output' }, 1), count('cheatCaught', { ...ref, cheat: 'silent' }, 1), count('cheatCaught', { ...ref, cheat: 'false-challenge' }, 1),
    count('constraints', ref, 1224), timing('witnessTime', sys, 10), timing('proveTime', sys, 490), count('provingKeyBytes', sys, 1_286_312),
    info('zkVerifyGas', sys, 1_695_450), count('zkStorageBytes', sys, 32), count('zkCalldataBytes', sys, 6980),
    count('tamperRejected', { ...ref, tamper: 'proof-points-swapped', where: 'on-chain' }, 1), count('tamperRejected', { ...ref, tamper: 'wrong-output', where: 'on-chain' }, 1),
    count('tamperRejected', { ...ref, tamper: 'forged-from-vkey', where: 'native' }, 1), count('tamperRejected', { ...ref, tamper: 'forged-from-vkey', where: 'on-chain' }, 1),
  ];
  // The ladder: opML completes all three, zkML fails at w16 (and w32 is then not tried).
  for (const [model, parameters] of [['w8', 6370], ['w16', 12730], ['w32', 25450]] as const) {
    m.push(info('attemptParameters', { model, path: 'opML' }, parameters), info('attempt', { model, path: 'opML' }, 1, 'completed'));
    m.push(timing('opmlExecuteTime', { model }, parameters / 100));
  }
  m.push(info('attempt', { model: 'w8', path: 'zkML' }, 1, 'completed'), timing('proveTime', { model: 'w8', system: 'groth16' }, 900), count('constraints', { model: 'w8' }, 604));
  m.push(info('attempt', { model: 'w16', path: 'zkML' }, 0, "over the memory cap of 1024 MiB (1100 MiB resident) during 'zkML: circuit, witness, setup, prove'"));
  m.push(info('attempt', { model: 'w32', path: 'zkML' }, 0, 'not attempted: the smaller w16 already failed on this path'));
  return m;
}

describe('table2 summary', () => {
  const results = { measurements: fixture(), settings } as unknown as RunResults;
  const summary = summarizeTable2Run({ results, settings });
  const data = summary.sections!.table2 as Table2Data;

  it('builds the Table II data from the measurements', () => {
    expect(data.models.map((row) => [row.model, row.parameters, row.zkml?.status ?? null, row.opmlAttempt?.status ?? null])).toEqual([
      ['ref', 100, 'proved', null], ['w8', 6370, 'proved', 'completed'], ['w16', 12730, 'failed', 'completed'], ['w32', 25450, 'failed', 'completed'],
    ]);
    expect(data.sizeLimits).toEqual({
      timeLimitSeconds: 60, setupTimeLimitSeconds: 600, memoryCapBytes: 1024 * 2 ** 20, ladder: ['w8', 'w16', 'w32'],
      opml: { largest: 'w32', largestParameters: 25450 },
      zkml: { largest: 'w8', largestParameters: 6370, failedAt: 'w16', failure: "over the memory cap of 1024 MiB (1100 MiB resident) during 'zkML: circuit, witness, setup, prove'" },
    });
    expect(data.gas.map((g) => [g.system, g.gas])).toEqual([['opML', 300_000], ['opML', 200_000], ['opML', 100_000], ['opML', 150_000], ['opML', 400_000], ['opML', 110_000], ['zkML', 1_695_450]]);
    expect(data.storage.map((s) => [s.system, s.kind, s.onChainBytes])).toEqual([['opML', 'storage', 608], ['opML', 'calldata', 7000], ['zkML', 'storage', 32], ['zkML', 'calldata', 6980]]);
    expect(data.finality).toEqual({
      opml: { challengeWindowSeconds: 3600, disputeRounds: 9, disputeWallSeconds: 2, disputedWorstCaseSeconds: 10_800, mainnetLike: { unchallengedSeconds: 604_800, disputedWorstCaseSeconds: 1_209_600 } },
      zkml: { proveSeconds: 0.5, blockSeconds: 12 },
    });
    expect(data.security?.opml.cheaterLostDispute).toBe(true);
    expect(data.security?.opml.honestDefended).toBe(true);
    expect(data.security?.zkml.tamperedProofRejected).toBe(true);
    expect(data.security?.zkml.wrongOutputRejected).toBe(true);
  });

  it('renders the paper table with every row, the paper entries, the figures and a verdict each', () => {
    const markdown = summary.sections!.reportMarkdown as string;
    for (const entry of ['Model Size** | Unlimited', 'Computation** | Low', 'Storage** | High', 'Finality** | Delayed', 'Security** | Medium', 'Mechanism** | Crypto-economic', 'Proof** | Fraud-proof'])
      expect(markdown).toContain(entry);
    expect(markdown).toContain('next (w16) failed: over the memory cap of 1024 MiB');
    // Each attack class from the data, with its count: defeated/tried and where.
    expect(markdown).toContain('cheats caught 3/3 by class: output 1/1, silent 1/1, false-challenge 1/1;');
    expect(markdown).toContain('tampered and forged proofs rejected 4/4 by class: proof-points-swapped 1/1 (on-chain), wrong-output 1/1 (on-chain), forged-from-vkey 2/2 (native, on-chain); setup:');
    const security = summary.verdicts!.find((v) => v.claim.startsWith('Security'))!;
    expect(security.measured).toContain('Proof attacks: 4/4 rejected (proof-points-swapped 1/1 (on-chain), wrong-output 1/1 (on-chain), forged-from-vkey 2/2 (native, on-chain)).');
    expect(markdown).toContain('12.5 s = witness + prove 0.5 s + one 12 s block');
    // Storage depends: opML writes more bytes (608 + 7,000 against zkML's 32 + 6,980), but zkML's
    // verification costs more gas (1,695,450 against opML's unchallenged 600,000).
    expect(summary.verdicts!.map((v) => v.status)).toEqual(['depends', 'holds', 'depends', 'depends', 'depends', 'holds', 'holds']);
    expect(summary.verdicts![2]!.reading).toContain("In gas the order reverses: zkML's 1,695,450 against opML's 600,000");
    // Computation: (10 + 490) ms / 40 ms.
    expect(summary.measurements.find((m) => m.name === 'zkOverOpmlCompute{model=ref}')?.value).toBe(12.5);
  });

  it('charts cost against model size for both paths', () => {
    const environment = { machine: { cpuModel: 'test', cores: 2, memoryBytes: 2 ** 30, platform: 'linux', arch: 'x64', osRelease: '' }, nodeVersion: 'v20', tools: {}, git: { commit: 'unknown' as const, dirty: false as const, reason: 'test' } };
    const charts = buildCharts({ results: { ...results, suite: 'table2', environment, sections: summary.sections!, verdicts: [] } as RunResults });
    expect(charts.map((chart) => chart.name)).toEqual(expect.arrayContaining(['gas-by-phase', 'finality', 'model-size-limits', 'cost-vs-model-size']));
    const cost = charts.find((chart) => chart.name === 'cost-vs-model-size')!.spec as { data: { values: Array<{ model: string; series: string; value: number }> } };
    // opML execute time for the three ladder models and the reference, zkML prove time where it completed.
    expect(cost.data.values.filter((v) => v.series === 'opML claim: engine + state commitments').map((v) => [v.model, v.value])).toEqual([['ref', 40], ['w8', 63.7], ['w16', 127.3], ['w32', 254.5]]);
  });

  it('lists both sides of every model, rows first and the ladder smallest first', () => {
    const ids = (table2.listWorkItems(settings, { cacheDir: '' }) as Array<{ id: string }>).map((item) => item.id);
    // gkr beside Groth16 on every model, and past the zoo's ladder (generated mlp-w2048, mlp-w4096).
    // The reference model's zkML also with the input committed (zkML-hashed), beside the public default.
    expect(ids).toEqual(['opML/ref', 'zkML/ref', 'gkr/ref', 'zkML-hashed/ref', 'cheats/ref', 'opML/w8', 'zkML/w8', 'gkr/w8', 'opML/w16', 'zkML/w16', 'gkr/w16', 'opML/w32', 'zkML/w32', 'gkr/w32', 'gkr/mlp-w2048', 'gkr/mlp-w4096']);
    // --no-gkr: Groth16 and opML only.
    const withoutGkr = table2.resolveSettings({ models: 'ref', ladder: 'w8', 'reference-model': 'ref', 'cheats-model': 'ref', 'no-gkr': true });
    expect((table2.listWorkItems(withoutGkr, { cacheDir: '' }) as Array<{ id: string }>).map((item) => item.id)).toEqual(['opML/ref', 'zkML/ref', 'zkML-hashed/ref', 'cheats/ref', 'opML/w8', 'zkML/w8']);
    // --inputs hashed: every zk attempt commits its input, and the reference model is also run all-public.
    const hashed = table2.resolveSettings({ models: 'ref', ladder: 'none', 'reference-model': 'ref', 'cheats-model': 'ref', 'no-gkr': true, inputs: 'hashed' });
    expect((table2.listWorkItems(hashed, { cacheDir: '' }) as Array<{ id: string }>).map((item) => item.id)).toEqual(['opML/ref', 'zkML/ref', 'zkML-public/ref', 'cheats/ref']);
    expect(() => table2.resolveSettings({ models: 'ref', inputs: 'secret' })).toThrow(/--inputs 'secret' is not one of public, hashed/);
  });
});

/** The reference model with its input committed (labels inputs=hashed), beside the public default. */
function hashedFigures(): Measurement[] {
  const ref = { model: 'ref', inputs: 'hashed' };
  const sys = { ...ref, system: 'groth16' };
  return [
    info('attempt', { model: 'ref', path: 'zkML-hashed' }, 1, 'completed'),
    count('constraints', ref, 16_180), count('inputCommitmentConstraints', ref, 14_956), count('publicSignals', ref, 11),
    timing('witnessTime', sys, 20), timing('proveTime', sys, 900), count('zkVerifierCodeBytes', sys, 2_300), info('codeSizeLimitLifted', sys, 0),
    count('zkRequestGas', sys, 120_000), count('zkRequestCalldataBytes', sys, 1_796), count('zkRequestStorageBytes', sys, 32),
    info('zkVerifyGas', sys, 260_000), count('zkCalldataBytes', sys, 612), count('zkStorageBytes', sys, 32),
  ];
}

describe('table2 summary: zkML input modes (issue 12 §1)', () => {
  const environment = { machine: { cpuModel: 'test', cores: 2, memoryBytes: 2 ** 30, platform: 'linux', arch: 'x64', osRelease: '' }, nodeVersion: 'v20', tools: {}, git: { commit: 'unknown' as const, dirty: false as const, reason: 'test' } };
  const summarize = (measurements: Measurement[]) => {
    const results = { measurements, settings } as unknown as RunResults;
    const summary = summarizeTable2Run({ results, settings });
    return { summary, data: summary.sections!.table2 as Table2Data, charts: buildCharts({ results: { ...results, suite: 'table2', environment, sections: summary.sections!, verdicts: [] } as RunResults }) };
  };

  it('the rows read the hashed mode, the public one beside it; the ladder rows stay public', () => {
    const { summary, data, charts } = summarize([...fixture(), ...hashedFigures()]);
    expect(data.zkmlInputs?.mode).toBe('hashed');
    expect(data.zkmlInputs?.modes.map((m) => [m.mode, m.constraints, m.submitGas, m.requestGas ?? null])).toEqual([['hashed', 16_180, 260_000, 120_000], ['public', 1224, 1_695_450, null]]);
    expect(data.models.find((row) => row.model === 'ref')?.zkml?.constraints).toBe(1224);
    expect(data.gas.filter((g) => g.system === 'zkML').map((g) => [g.phase, g.gas, g.variant ?? null])).toEqual([
      ['post the input (request: calldata + commitment)', 120_000, null], ['submit proof (verify + record)', 260_000, null],
      ['submit proof (verify + record)', 1_695_450, 'inputs public'],
    ]);
    expect(data.storage.filter((s) => s.system === 'zkML').map((s) => [s.kind, s.onChainBytes, s.variant ?? null])).toEqual([
      ['storage', 64, null], ['calldata', 2408, null], ['storage', 32, 'inputs public'], ['calldata', 6980, 'inputs public'],
    ]);
    // Storage holds in the realistic mode: 2,472 bytes and 380,000 gas against opML's 7,608 and 600,000.
    const storage = summary.verdicts![2]!;
    expect(storage.status).toBe('holds');
    expect(storage.measured).toContain('Total on-chain bytes: opML 7,608, zkML 2,472 (zkML with inputs hashed');
    expect(storage.measured).toContain('Gas per inference (unchallenged opML vs zkML): opML 600,000, zkML 380,000.');
    expect(storage.measured).toContain('Inputs public, beside it: 1,695,450 gas per inference, 6,980 bytes of calldata.');
    const computation = summary.verdicts![1]!;
    expect(computation.measured).toContain('inputs hashed (the realistic mode): witness + prove 920 ms, 16,180 constraints (14,956 for the input commitment)');
    const markdown = summary.sections!.reportMarkdown as string;
    expect(markdown).toContain('inputs hashed (Poseidon commitment public, input posted as calldata): calldata 2,408 B, storage 64 B; gas per inference 380,000 (post the input 120,000 + submit proof 260,000); verifier 2,300 B of code');
    expect(markdown).toContain('beside it, inputs public (every element a public signal): calldata 6,980 B, storage 32 B; gas per inference 1,695,450');
    const gas = charts.find((chart) => chart.name === 'gas-by-phase')!.spec as { layer: Array<{ data: { values: Array<{ bar: string; gas: number }> } }> };
    expect([...new Set(gas.layer[0]!.data.values.map((v) => v.bar))]).toEqual(['opML, unchallenged', 'opML, disputed', 'zkML, inputs hashed', 'zkML, inputs public']);
  });

  it('an all-public verifier refused by EIP-170 is said so in the verdict, the table and the chart', () => {
    const refused = fixture().filter((m) => !['zkVerifyGas', 'zkStorageBytes', 'zkCalldataBytes'].includes(m.metric));
    refused.push(count('zkVerifierCodeBytes', { model: 'ref', system: 'groth16' }, 79_790), count('zkDeployRefused', { model: 'ref', system: 'groth16' }, 1, 'deploy Groth16Verifier: 79,790 bytes of runtime code, over EIP-170'));
    const { summary, data, charts } = summarize([...refused, ...hashedFigures()]);
    expect(data.zkmlInputs?.modes.find((m) => m.mode === 'public')).toMatchObject({ deployRefused: true, verifierCodeBytes: 79_790 });
    expect(summary.verdicts![2]!.measured).toContain('Inputs public: its verifier (79,790 bytes of code) is over EIP-170\'s 24,576 bytes, so mainnet — and the local chain, which enforces the limit — refuses to deploy it');
    expect(summary.sections!.reportMarkdown as string).toContain('beside it, inputs public (every element a public signal): verifier 79,790 B of code, over EIP-170\'s 24,576 — refused by the chain as mainnet would');
    const gas = charts.find((chart) => chart.name === 'gas-by-phase')!.spec as { title: { subtitle: string[] } };
    expect(JSON.stringify(gas)).toContain('zkML, inputs public: no bar — its 79,790-byte verifier is over EIP-170 (24,576), refused as on mainnet');
  });
});

describe('attempt limits', () => {
  const request = {
    path: 'zkML' as const, model: 'mnist-cnn', system: 'groth16' as const, circuit: { weights: 'constant' as const, relu: 'bounded' as const },
    game: { arity: 2, challengeWindowSeconds: 3600, clockSeconds: 3600, bondWei: '1' },
  };

  it('ends an attempt over its time limit with the reason', async () => {
    // The one-time budget defaults to the time limit: loading and quantizing mnist-cnn and compiling its circuit take more than 1 s.
    const result = await runAttempt({ request, timeLimitSeconds: 1, memoryCapBytes: 4 * 2 ** 30 });
    expect(result.completed).toBe(false);
    // Whether another test has already cached this circuit decides the optional clause.
    expect(result.failure).toMatch(/^over the setup time limit of 1 s \(one-time costs: \d+\.\d s(, \d+\.\d s of it the recorded build time of artefacts taken from the cache)?\) during '/);
    expect([result.limitHit, result.limit, result.budgets.setupDone]).toEqual([true, 'setup-time', false]);
    expect(result.measurements).toEqual([]);
  });

  it('ends an attempt over its memory cap with the reason', async () => {
    const result = await runAttempt({ request, timeLimitSeconds: 60, memoryCapBytes: 24 * 2 ** 20 });
    expect(result.completed).toBe(false);
    expect(result.failure).toMatch(/^over the memory cap of 24 MiB \(\d+ MiB resident\) during '/);
  });

  it('records a ladder step after a failure as not attempted, without running it', async () => {
    const { measurements, completed } = await measureAttempt({ settings, path: 'zkML', model: 'mlp-w32', skippedBecause: 'not attempted: the smaller mlp-w16 already failed on this path' });
    expect(completed).toBe(false);
    expect(measurements.map((m) => [m.name, m.value, m.note ?? ''])).toEqual([
      ['attemptParameters{model=mlp-w32,path=zkML}', 25450, ''],
      ['attempt{model=mlp-w32,path=zkML}', 0, 'not attempted: the smaller mlp-w16 already failed on this path'],
    ]);
  });
});

describe('table2 summary: the R1CS builder and the warm witness', () => {
  it('zkml.builder and zkml.witnessWarmMs come from r1csBuilder and witnessWarmTime, and the Computation cell names both', () => {
    const sys = { model: 'ref', system: 'groth16' };
    const measurements = [
      ...fixture(),
      timing('witnessWarmTime', sys, 3),
      info('r1csBuilder', { model: 'ref', builder: 'direct' }, 1, 'R1CS and witness by the direct TypeScript builder'),
    ];
    const summary = summarizeTable2Run({ results: { measurements, settings } as unknown as RunResults, settings });
    const row = (summary.sections!.table2 as Table2Data).models.find((r) => r.model === 'ref')!;
    expect(row.zkml).toMatchObject({ builder: 'direct', witnessMs: 10, witnessWarmMs: 3, proveMs: 490 });
    expect(summary.sections!.reportMarkdown as string).toContain('per inference: witness 10 ms (cold; 3 ms warm) + prove 490 ms (1,224 constraints, R1CS by direct)');
  });
});
