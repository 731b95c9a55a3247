/**
 * Synthetic results for the harness tests: made-up numbers with a known shape (exact slopes,
 * known ratios), never measurements. Nothing here is written under results/.
 */
import { createMeasurement } from '../src/bench/createMeasurement.ts';
import { RESULTS_SCHEMA, RESULTS_SCHEMA_VERSION, type Measurement, type RunResults } from '../src/bench/types.ts';
import type { Table2Data } from '../src/bench/table2Data.ts';

export const syntheticEnvironment: RunResults['environment'] = {
  machine: { cpuModel: 'Synthetic CPU @ 1.00GHz', cores: 2, memoryBytes: 8 * 2 ** 30, platform: 'linux', arch: 'x64', osRelease: 'test' },
  nodeVersion: 'v20.0.0',
  tools: { snarkjs: '0.7.6', circom2: '0.2.23' },
  git: { commit: '0123456789abcdef0123456789abcdef01234567', dirty: false },
};

export function syntheticResults(overrides: Partial<RunResults> = {}): RunResults {
  const measurements: Measurement[] = [];
  const perOp = { mul: 1, 'relu-16': 18, 'relu-full': 517 };
  for (const [op, c] of Object.entries(perOp)) {
    for (const n of [4, 8, 16]) {
      measurements.push(createMeasurement({ metric: 'constraints', labels: { op, n }, unit: 'constraints', kind: 'deterministic', value: c * n + 3 }));
      for (const [system, factor] of [['groth16', 1], ['plonk', 3]] as const) {
        const m = createMeasurement({ metric: 'proveTime', labels: { op, n, system }, unit: 'ms', kind: 'timing', samples: [100 + factor * c * n * 0.01, 101 + factor * c * n * 0.01] });
        m.calibrated = m.value / 10;
        measurements.push(m);
      }
    }
    measurements.push(createMeasurement({ metric: 'marginalConstraints', labels: { op }, unit: 'constraints/op', kind: 'deterministic', value: c, derived: true }));
    measurements.push(createMeasurement({ metric: 'marginalTime', labels: { op, system: 'groth16' }, unit: 'ns/op', kind: 'info', value: c * 1e4, standardError: c * 100, derived: true }));
    measurements.push(createMeasurement({ metric: 'marginalTime', labels: { op, system: 'js-float' }, unit: 'ns/op', kind: 'info', value: 1.5, derived: true }));
  }
  return {
    schema: RESULTS_SCHEMA,
    schemaVersion: RESULTS_SCHEMA_VERSION,
    suite: 'micro',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:01:00.000Z',
    environment: syntheticEnvironment,
    settings: { ladder: [4, 8, 16], samples: 2 },
    calibration: { name: 'synthetic', meanMs: 10, stddevMs: 0.1, samples: 5 },
    measurements,
    sections: {},
    verdicts: [],
    ...overrides,
  };
}

export const syntheticTable2: Table2Data = {
  models: [
    { model: 'tiny', parameters: 50, nativeInferenceMs: 0.05, opml: { executeMs: 0.2, traceSteps: 12 }, zkml: { status: 'proved', constraints: 3000, proveMs: 800 } },
    { model: 'mlp', parameters: 5000, nativeInferenceMs: 0.1, opml: { executeMs: 2, traceSteps: 40 }, zkml: { status: 'proved', constraints: 90000, proveMs: 9000 } },
    { model: 'cnn', parameters: 500000, nativeInferenceMs: 2, opml: { executeMs: 150, traceSteps: 300 }, zkml: { status: 'failed', failure: 'over the 2^20 ptau' } },
  ],
  gas: [
    { system: 'opML', phase: 'submit', gas: 90000 },
    { system: 'opML', phase: 'bisection', gas: 400000 },
    { system: 'opML', phase: 'one-step', gas: 150000 },
    { system: 'zkML', phase: 'verify', gas: 230000 },
  ],
  storage: [
    { system: 'opML', what: 'result + commitment', onChainBytes: 96 },
    { system: 'zkML', what: 'proof + public signals', onChainBytes: 320 },
  ],
  finality: { opml: { challengeWindowSeconds: 604800, disputeRounds: 9 }, zkml: { proveSeconds: 9, blockSeconds: 12 } },
  security: {
    opml: { cheaterLostDispute: true, honestDefended: true, assumption: 'at least one honest, funded challenger watches within the window' },
    zkml: { tamperedProofRejected: true, wrongOutputRejected: true, trustedSetup: 'local, insecure (test only)' },
  },
  mechanism: { opml: 'bond + bisection game + one-step EVM re-execution', zkml: 'Groth16 verifier contract' },
};
